package cli

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// The engine's names beside a file being downloaded (wandb/download_path.go,
// wandb/download_slices_sidecar.go): what a finished get must not leave.
const (
	partialSuffix = ".wbfiles-partial"
	slicesSuffix  = ".wbfiles-slices"
)

// bodies are the body requests (API file URL or signed storage) a server
// saw: the file's name and the Range header, in order.
type bodies struct {
	mu   sync.Mutex
	reqs []bodyReq
}

type bodyReq struct{ name, rng string }

func (b *bodies) observe(t wandbtest.Target, r *http.Request) {
	if t == wandbtest.GraphQL {
		return
	}
	_, name, _ := strings.Cut(r.URL.Path, "/run1/")
	b.mu.Lock()
	b.reqs = append(b.reqs, bodyReq{name, r.Header.Get("Range")})
	b.mu.Unlock()
}

// take returns the requests seen since the last take.
func (b *bodies) take() []bodyReq {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.reqs
	b.reqs = nil
	return out
}

// of returns the Range headers of the requests for name.
func of(reqs []bodyReq, name string) []string {
	var out []string
	for _, r := range reqs {
		if r.name == name {
			out = append(out, r.rng)
		}
	}
	return out
}

// getServer serves ent/proj/run1 with files and logs the body requests.
func getServer(t *testing.T, files ...wandbtest.FileSpec) (*wandbtest.Server, *bodies, map[string]string) {
	t.Helper()
	log := &bodies{}
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey, Observe: log.observe})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", State: "finished", Files: files})
	return srv, log, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}
}

// bodyTargets are the hosts file bodies come from.
const bodyTargets = wandbtest.AllTargets &^ wandbtest.GraphQL

// syncBuffer is stderr that a test reads while Main writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// partialOf is the temporary file the engine keeps for name under dest.
func partialOf(dest, name string) string {
	dir, base := filepath.Split(filepath.FromSlash(name))
	return filepath.Join(dest, dir, "."+base+partialSuffix)
}

// sizeOfFile returns the size of the file at p, -1 when there is none.
func sizeOfFile(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// assertPrefix checks that the file at p holds the start of f's content.
func assertPrefix(t *testing.T, p string, f wandbtest.FileSpec) int64 {
	t.Helper()
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, len(got))
	if _, err := io.ReadFull(f.Open(), want); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s (%d bytes) is not the start of %s (%v)", p, len(got), f.Name, err)
	}
	return int64(len(got))
}

// assertExact checks every file under its final name, byte-exact, with
// the md5 the server reports.
func assertExact(t *testing.T, dest string, files ...wandbtest.FileSpec) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dest, filepath.FromSlash(f.Name))
		if err := f.SameAs(p); err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		file, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		h := md5.New()
		io.Copy(h, file)
		file.Close()
		if sum := base64.StdEncoding.EncodeToString(h.Sum(nil)); sum != f.MD5() {
			t.Errorf("%s: md5 %s, the server's %s", f.Name, sum, f.MD5())
		}
	}
}

// assertClean checks that no temporary file or sidecar is left under dest.
func assertClean(t *testing.T, dest string) {
	t.Helper()
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(p, partialSuffix) || strings.HasSuffix(p, slicesSuffix)) {
			t.Errorf("left %s", p)
		}
		return err
	})
}

// TestGetResumesAfterCut: the server cuts a checkpoint's body every time,
// so the first get gives up on it (exit 1, the other file done, the bytes
// so far kept beside it, nothing under its name); the second get, on a
// server that behaves again, asks only for the rest (a Range from the
// partial's size), says the other file is up to date and exits 0 with the
// checkpoint byte-exact.
func TestGetResumesAfterCut(t *testing.T) {
	ckpt := wandbtest.FileSpec{Name: "ckpt/model.pt", Size: 1 << 20}
	cfg := wandbtest.FileSpec{Name: "config.yaml", Content: []byte("lr: 0.1\n")}
	srv, log, vars := getServer(t, cfg, ckpt)
	// testEnv allows 2 attempts and a cut 256 KiB in is short of the
	// progress that restarts the budget: the first get keeps 512 KiB.
	srv.SetFaults(bodyTargets, wandbtest.Faults{CutBodyAfter: 256 << 10})
	dest := t.TempDir()
	code, _, errs := runMain(t, vars, "get", "--dest", dest, "ent/proj/run1")
	if code != verbFailed || !strings.Contains(errs, "failed     ckpt/model.pt: ") || !strings.Contains(errs, "gave up after 2 attempts") ||
		!strings.Contains(errs, "done       config.yaml") {
		t.Fatalf("first get: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Lstat(filepath.Join(dest, "ckpt", "model.pt")); err == nil {
		t.Fatal("a cut download is under its final name")
	}
	kept := assertPrefix(t, partialOf(dest, ckpt.Name), ckpt)
	if kept <= 0 || kept >= ckpt.Size {
		t.Fatalf("the partial file holds %d of %d bytes", kept, ckpt.Size)
	}
	if st := srv.Stats(); st.CutBodies != 2 {
		t.Fatalf("%d cuts, want one per attempt (2)", st.CutBodies)
	}

	srv.SetFaults(bodyTargets, wandbtest.Faults{})
	log.take()
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/proj/run1")
	if code != exitOK || !strings.Contains(errs, "done       ckpt/model.pt") || !strings.Contains(errs, "up to date config.yaml") {
		t.Fatalf("second get: exit %d, stderr %q", code, errs)
	}
	reqs := log.take()
	if got, want := of(reqs, ckpt.Name), "bytes="+strconv.FormatInt(kept, 10)+"-"; len(got) != 1 || got[0] != want {
		t.Errorf("the checkpoint was asked for with %q, want one request with %q", got, want)
	}
	if got := of(reqs, cfg.Name); len(got) != 0 {
		t.Errorf("the up-to-date file was fetched again: %q", got)
	}
	assertExact(t, dest, cfg, ckpt)
	assertClean(t, dest)
}

// TestGetInterruptedThenRerun: a get interrupted twice (exit 130, the
// running file's partial kept, the queued one never started) and then run
// again finishes everything: the file done before is up to date and not
// fetched, the cancelled one resumes from its partial, the one never
// started is downloaded; exit 0, every file byte-exact, nothing left over.
func TestGetInterruptedThenRerun(t *testing.T) {
	a := wandbtest.FileSpec{Name: "eval/a.json", Size: 3000}
	b := wandbtest.FileSpec{Name: "eval/b.json", Size: 70000}
	notes := wandbtest.FileSpec{Name: "eval/notes.txt", Content: []byte("notes")}
	srv, log, vars := getServer(t, a, b, notes)
	srv.SetFaults(bodyTargets, wandbtest.Faults{BytesPerSecond: 20_000})
	dest := t.TempDir()
	env, _ := testEnv(t, vars)
	env.IsTerminal = func(uintptr) bool { return false }
	stderr := &syncBuffer{}
	env.Stderr = stderr
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"get", "--parallel", "1", "--dest", dest, "ent/proj/run1", "eval/*"}, env)
	}()
	// With one at a time, a.json (3 KB) is done before b.json (70 KB at
	// 20 KB/s, 3.5 s) starts; interrupt once b.json has bytes on disk.
	waitFor(t, "b.json is under way", func() bool {
		return sizeOfFile(filepath.Join(dest, "eval", "a.json")) == a.Size && sizeOfFile(partialOf(dest, b.Name)) >= 4000
	})
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	waitFor(t, "get heard the first interrupt", func() bool { return strings.Contains(stderr.String(), "wbfiles: interrupted: ") })
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-done:
		if code != verbInterrupted {
			t.Fatalf("exit %d, want %d; stderr %q", code, verbInterrupted, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("get went on after two interrupts")
	}
	errs := stderr.String()
	if !strings.Contains(errs, "done       eval/a.json") || !strings.Contains(errs, "cancelled  eval/b.json") || !strings.Contains(errs, "1 file not started") {
		t.Fatalf("interrupted get: stderr %q", errs)
	}
	for _, f := range []wandbtest.FileSpec{b, notes} {
		if _, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(f.Name))); err == nil {
			t.Fatalf("%s is under its final name after the interrupt", f.Name)
		}
	}
	kept := assertPrefix(t, partialOf(dest, b.Name), b)
	if kept <= 0 || kept >= b.Size {
		t.Fatalf("b.json's partial holds %d of %d bytes", kept, b.Size)
	}

	srv.SetFaults(bodyTargets, wandbtest.Faults{})
	log.take()
	code, _, errs := runMain(t, vars, "get", "--parallel", "1", "--dest", dest, "ent/proj/run1", "eval/*")
	if code != exitOK || !strings.Contains(errs, "up to date eval/a.json") || !strings.Contains(errs, "done       eval/b.json") ||
		!strings.Contains(errs, "done       eval/notes.txt") {
		t.Fatalf("rerun: exit %d, stderr %q", code, errs)
	}
	reqs := log.take()
	if got := of(reqs, a.Name); len(got) != 0 {
		t.Errorf("the file done before was fetched again: %q", got)
	}
	if got, want := of(reqs, b.Name), "bytes="+strconv.FormatInt(kept, 10)+"-"; len(got) != 1 || got[0] != want {
		t.Errorf("b.json was asked for with %q, want one request with %q (a resume)", got, want)
	}
	if got := of(reqs, notes.Name); len(got) != 1 || got[0] != "" {
		t.Errorf("notes.txt was asked for with %q, want one whole-body request", got)
	}
	assertExact(t, dest, a, b, notes)
	assertClean(t, dest)
}

// twoAtOnceFiles are the files two gets fetch into one folder at once;
// at twoAtOncePace each body takes about a second, long enough for the
// second get to start while the first is under way.
var twoAtOnceFiles = []wandbtest.FileSpec{
	{Name: "ckpt/a.bin", Size: 200_000},
	{Name: "ckpt/b.bin", Size: 200_000},
	{Name: "ckpt/c.bin", Size: 200_000},
	{Name: "logs/out.txt", Size: 150_000},
}

const twoAtOncePace = 200_000 // bytes per second and response

// outcomes counts, per file, how the two gets reported it: "done",
// "up to date" or "busy" (failed as being downloaded by another process);
// any other line about a file fails the test.
func outcomes(t *testing.T, errs ...string) map[string]map[string]int {
	t.Helper()
	got := map[string]map[string]int{}
	for _, f := range twoAtOnceFiles {
		got[f.Name] = map[string]int{}
	}
	for _, e := range errs {
		for line := range strings.Lines(e) {
			for _, f := range twoAtOnceFiles {
				switch {
				case strings.HasPrefix(line, "done       "+f.Name+" "):
					got[f.Name]["done"]++
				case strings.HasPrefix(line, "up to date "+f.Name+"\n"):
					got[f.Name]["up to date"]++
				case strings.HasPrefix(line, "failed     "+f.Name+": ") && strings.Contains(line, wandb.ErrBusy.Error()):
					got[f.Name]["busy"]++
				case strings.HasPrefix(line, "failed     "+f.Name) || strings.HasPrefix(line, "cancelled  "+f.Name):
					t.Errorf("unexpected line %q", line)
				}
			}
		}
	}
	return got
}

// TestGetTwoAtOnce runs two gets of one run into one folder at the same
// time. The engine never lets two downloads write one file: in one
// process, downloads of the same path wait for each other, so the second
// finds each file up to date when it gets to it (both exit 0, every body
// fetched once); across processes the partial file's lock makes the
// second fail that file as busy at once (exit 1) instead of waiting, or
// find it up to date if the first was done. Either way each file is
// downloaded by exactly one get and ends byte-exact, with no temporary
// file left.
func TestGetTwoAtOnce(t *testing.T) {
	t.Run("goroutines", func(t *testing.T) {
		srv, log, vars := getServer(t, twoAtOnceFiles...)
		srv.SetFaults(bodyTargets, wandbtest.Faults{BytesPerSecond: twoAtOncePace})
		dest := t.TempDir()
		type result struct {
			code int
			errs string
		}
		results := make(chan result, 2)
		for range 2 {
			env, stderr := testEnv(t, vars)
			env.IsTerminal = func(uintptr) bool { return false }
			go func() {
				code := Main([]string{"get", "--dest", dest, "ent/proj/run1"}, env)
				results <- result{code, stderr.String()}
			}()
		}
		r1, r2 := <-results, <-results
		if r1.code != exitOK || r2.code != exitOK {
			t.Fatalf("exits %d and %d, want 0 and 0; stderr\n%s\n%s", r1.code, r2.code, r1.errs, r2.errs)
		}
		for name, n := range outcomes(t, r1.errs, r2.errs) {
			if n["done"] != 1 || n["up to date"] != 1 {
				t.Errorf("%s: %v, want done by one get and up to date in the other", name, n)
			}
		}
		reqs := log.take()
		for _, f := range twoAtOnceFiles {
			if got := of(reqs, f.Name); len(got) != 1 {
				t.Errorf("%s fetched %d times, want once", f.Name, len(got))
			}
		}
		assertExact(t, dest, twoAtOnceFiles...)
		assertClean(t, dest)
	})
	t.Run("processes", func(t *testing.T) {
		srv, _, vars := getServer(t, twoAtOnceFiles...)
		srv.SetFaults(bodyTargets, wandbtest.Faults{BytesPerSecond: twoAtOncePace})
		dest := t.TempDir()
		args := []string{"get", "--dest", dest, "ent/proj/run1"}
		job, _ := json.Marshal(helperGet{Args: args, Vars: vars})
		cmd := exec.Command(os.Args[0], "-test.run=^TestGetHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperGetEnv+"="+string(job))
		var childOut, childErr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &childOut, &childErr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		waitFor(t, "the other process is downloading", func() bool {
			for _, f := range twoAtOnceFiles {
				if sizeOfFile(partialOf(dest, f.Name)) > 0 {
					return true
				}
			}
			return false
		})
		code, _, errs := runMain(t, vars, args...)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("the other process: %v\n%s%s", err, childOut.String(), childErr.String())
		}
		var other int
		_, status, _ := strings.Cut(childOut.String(), "helper exit ")
		if _, err := fmt.Sscanf(status, "%d", &other); err != nil {
			t.Fatalf("the other process's exit: %v\n%s", err, childOut.String())
		}
		// A get exits 1 when it found a file busy, else 0.
		for _, g := range []struct {
			code int
			errs string
		}{{code, errs}, {other, childErr.String()}} {
			want := exitOK
			if strings.Contains(g.errs, wandb.ErrBusy.Error()) {
				want = verbFailed
			}
			if g.code != want {
				t.Errorf("exit %d, want %d; stderr\n%s", g.code, want, g.errs)
			}
		}
		busy := 0
		for name, n := range outcomes(t, errs, childErr.String()) {
			busy += n["busy"]
			if n["done"] != 1 || n["done"]+n["up to date"]+n["busy"] != 2 {
				t.Errorf("%s: %v, want done by one get, and up to date or busy in the other", name, n)
			}
		}
		if busy == 0 {
			t.Errorf("no file was busy though both ran at once; stderr\n%s\n%s", errs, childErr.String())
		}
		assertExact(t, dest, twoAtOnceFiles...)
		assertClean(t, dest)
	})
}

// helperGetEnv carries a get to TestGetHelperProcess.
const helperGetEnv = "WBFILES_HELPER_GET"

type helperGet struct {
	Args []string
	Vars map[string]string
}

// TestGetHelperProcess is the other process of TestGetTwoAtOnce: it runs
// Main with the arguments it is given, stderr its own, and prints the exit
// status on stdout. It does nothing in a normal run.
func TestGetHelperProcess(t *testing.T) {
	raw := os.Getenv(helperGetEnv)
	if raw == "" {
		t.Skip("helper process")
	}
	var job helperGet
	if err := json.Unmarshal([]byte(raw), &job); err != nil {
		t.Fatal(err)
	}
	env, _ := testEnv(t, job.Vars)
	env.Stderr, env.IsTerminal = os.Stderr, func(uintptr) bool { return false }
	fmt.Printf("helper exit %d\n", Main(job.Args, env))
}

// TestGetBigFileSliced: a file above the slice threshold comes in several
// closed ranges under --parallel 4, none asked twice, byte-exact
// and md5 checked; from a server that ignores Range it still comes whole
// in one stream.
func TestGetBigFileSliced(t *testing.T) {
	big := wandbtest.FileSpec{Name: "ckpt/big.bin", Size: wandb.DefaultSliceThreshold + 8<<20}
	srv, log, vars := getServer(t, big)
	dest := t.TempDir()
	code, _, errs := runMain(t, vars, "get", "--parallel", "4", "--dest", dest, "ent/proj/run1")
	if code != exitOK || !strings.Contains(errs, "done       ckpt/big.bin") {
		t.Fatalf("sliced get: exit %d, stderr %q", code, errs)
	}
	assertExact(t, dest, big)
	assertClean(t, dest)
	ranges := of(log.take(), big.Name)
	if len(ranges) < 2 {
		t.Fatalf("requests %q: want the file in several slices", ranges)
	}
	var total int64
	for _, r := range ranges {
		var from, to int64
		if _, err := fmt.Sscanf(r, "bytes=%d-%d", &from, &to); err != nil || to < from {
			t.Fatalf("request %q of %q is not a closed range", r, ranges)
		}
		total += to - from + 1
	}
	if total != big.Size {
		t.Errorf("slices %q ask for %d bytes of %d (a byte asked twice or never)", ranges, total, big.Size)
	}

	srv.SetFaults(bodyTargets, wandbtest.Faults{NoRange: true})
	dest = t.TempDir()
	code, _, errs = runMain(t, vars, "get", "--parallel", "4", "--dest", dest, "ent/proj/run1")
	if code != exitOK || !strings.Contains(errs, "done       ckpt/big.bin") {
		t.Fatalf("get from a server without Range: exit %d, stderr %q", code, errs)
	}
	assertExact(t, dest, big)
	assertClean(t, dest)
	// The first slice's answer (200, the whole body) tells; then one
	// stream without Range.
	if ranges := of(log.take(), big.Name); len(ranges) != 2 || ranges[0] == "" || ranges[1] != "" {
		t.Errorf("requests %q: want the first slice, then one request without Range", ranges)
	}
}
