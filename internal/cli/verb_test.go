package cli

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// verbServer serves run1 with a file at the top and two JSON files in a
// folder, and returns the server, its run and the environment variables
// that point at it.
func verbServer(t *testing.T) (*wandbtest.Server, wandbtest.RunSpec, map[string]string) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", State: "finished", Files: []wandbtest.FileSpec{
		{Name: "config.yaml", Content: []byte("lr: 0.1\n")},
		{Name: "eval/a.json", Size: 3000},
		{Name: "eval/b.json", Size: 70000},
		{Name: "eval/notes.txt", Content: []byte("notes")},
	}}
	srv.AddRun(run)
	return srv, run, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}
}

// runMain runs Main on args with stdout not a terminal and returns the
// exit code, stdout and stderr.
func runMain(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	env, stderr := testEnv(t, vars)
	env.IsTerminal = func(uintptr) bool { return false }
	code := Main(args, env)
	out, err := os.ReadFile(env.Stdout.Name())
	if err != nil {
		t.Fatal(err)
	}
	return code, string(out), stderr.String()
}

// TestLs lists names one a line on a pipe, filtered by globs and exact
// names, and JSON Lines with --json, which never carry the key and carry
// the signed directUrl only with --urls.
func TestLs(t *testing.T) {
	_, _, vars := verbServer(t)
	code, out, errs := runMain(t, vars, "ls", "ent/proj/run1")
	if code != 0 || out != "config.yaml\neval/a.json\neval/b.json\neval/notes.txt\n" {
		t.Fatalf("ls: exit %d, out %q, err %q", code, out, errs)
	}
	code, out, _ = runMain(t, vars, "ls", "ent/proj/run1", "eval/*.json", "config.yaml", "*a.json")
	if code != 0 || out != "eval/a.json\neval/b.json\nconfig.yaml\n" {
		t.Fatalf("ls with globs (each file once): exit %d, out %q", code, out)
	}
	code, out, _ = runMain(t, vars, "ls", "--json", "ent/proj/run1", "eval/b.json")
	var e map[string]any
	if err := json.Unmarshal([]byte(out), &e); code != 0 || err != nil {
		t.Fatalf("ls --json: exit %d, %v, %q", code, err, out)
	}
	if e["name"] != "eval/b.json" || e["size"] != float64(70000) || e["md5"] == "" || e["url"] == "" || e["updatedAt"] == "" {
		t.Fatalf("ls --json entry %v", e)
	}
	if _, ok := e["directUrl"]; ok || strings.Contains(out, testKey) {
		t.Fatalf("ls --json shows a signed URL or the key: %q", out)
	}
	_, out, _ = runMain(t, vars, "ls", "--json", "--urls", "ent/proj/run1", "eval/b.json")
	if !strings.Contains(out, `"directUrl"`) {
		t.Fatalf("ls --json --urls lacks the directUrl: %q", out)
	}
}

// TestGet downloads the matching files byte-exact, says so per file, and
// a second run finds them up to date; a file that differs locally is kept
// and the exit status says a file failed.
func TestGet(t *testing.T) {
	_, run, vars := verbServer(t)
	dest := t.TempDir()
	code, _, errs := runMain(t, vars, "get", "--dest", dest, "ent/proj/run1", "eval/*.json")
	if code != 0 || strings.Count(errs, "done       eval/") != 2 || !strings.Contains(errs, "2 files downloaded") {
		t.Fatalf("get: exit %d, stderr %q", code, errs)
	}
	for _, f := range run.Files[1:3] {
		if err := f.SameAs(filepath.Join(dest, f.Name)); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "config.yaml")); err == nil {
		t.Fatal("a file no glob matched was downloaded")
	}
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/proj/run1", "eval/*.json")
	if code != 0 || strings.Count(errs, "up to date eval/") != 2 {
		t.Fatalf("second get: exit %d, stderr %q", code, errs)
	}
	mine := filepath.Join(dest, "eval", "a.json")
	if err := os.WriteFile(mine, []byte("my own"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/proj/run1", "eval/a.json")
	if b, _ := os.ReadFile(mine); code != verbFailed || string(b) != "my own" || !strings.Contains(errs, "failed     eval/a.json") {
		t.Fatalf("a different local file: exit %d, content %q, stderr %q", code, b, errs)
	}
	if code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/proj/run1", "nothing/*"); code != verbFailed || !strings.Contains(errs, "no file of the run matches") {
		t.Fatalf("a glob that matches nothing: exit %d, stderr %q", code, errs)
	}
	code, _, _ = runMain(t, vars, "get", "--dest", dest, "--overwrite", "ent/proj/run1", "eval/a.json")
	if err := run.Files[1].SameAs(mine); code != 0 || err != nil {
		t.Fatalf("--overwrite: exit %d, %v", code, err)
	}
}

// TestGetDryRun says what get would do and writes nothing.
func TestGetDryRun(t *testing.T) {
	_, _, vars := verbServer(t)
	dest := t.TempDir()
	if err := os.WriteFile(filepath.Join(dest, "config.yaml"), []byte("lr: 0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runMain(t, vars, "get", "--dry-run", "--dest", dest, "ent/proj/run1")
	if code != 0 || !strings.Contains(out, "up to date config.yaml") || !strings.Contains(out, "download   eval/b.json (68 KiB)") ||
		!strings.Contains(out, "would download 3 files") {
		t.Fatalf("dry run: exit %d, out %q, err %q", code, out, errs)
	}
	entries, _ := os.ReadDir(dest)
	if len(entries) != 1 {
		t.Fatalf("a dry run wrote files: %v", entries)
	}
}

// TestVerbErrors: usage and start-up problems exit 2 with one line.
func TestVerbErrors(t *testing.T) {
	_, _, vars := verbServer(t)
	for _, args := range [][]string{
		{"ls"},
		{"get", "not a run"},
		{"ls", "--urls", "ent/proj/run1"},
		{"get", "--parallel", "0", "ent/proj/run1"},
		{"ls", "ent/proj/nope"},
	} {
		code, _, errs := runMain(t, vars, args...)
		if code != verbStartup || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "wbfiles: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// TestVerbDemoGlobs: with --demo the RUN may be left out, the arguments
// then being globs.
func TestVerbDemoGlobs(t *testing.T) {
	c, err := parseVerb("ls", []string{"--demo", "code/*", "config.yaml"}, io.Discard)
	if err != nil || c.Run != "" || len(c.Globs) != 2 {
		t.Fatalf("--demo with globs: %+v, %v", c, err)
	}
	c, err = parseVerb("get", []string{"--demo", "wbfiles-demo/llama-finetune/c4r5t6y7", "*.log"}, io.Discard)
	if err != nil || c.Run != "wbfiles-demo/llama-finetune/c4r5t6y7" || len(c.Globs) != 1 {
		t.Fatalf("--demo with a run: %+v, %v", c, err)
	}
}

// TestGetInterrupted: a first SIGINT stops starting new files and lets
// the running one go on, a second cancels it (its partial file kept);
// the exit status is 130 and nothing is left under a final name.
func TestGetInterrupted(t *testing.T) {
	srv, _, vars := verbServer(t)
	srv.SetFaults(wandbtest.AllTargets&^wandbtest.GraphQL, wandbtest.Faults{BytesPerSecond: 20_000})
	dest := t.TempDir()
	env, stderr := testEnv(t, vars)
	env.IsTerminal = func(uintptr) bool { return false }
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"get", "--parallel", "1", "--dest", dest, "ent/proj/run1", "eval/*"}, env)
	}()
	time.Sleep(300 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	time.Sleep(200 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-done:
		if code != verbInterrupted {
			t.Fatalf("exit %d, want %d; stderr %q", code, verbInterrupted, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("get went on after two interrupts")
	}
	if errs := stderr.String(); !strings.Contains(errs, "1 file not started") || !strings.Contains(errs, "cancelled  eval/b.json") {
		t.Fatalf("stderr %q", errs)
	}
	// a.json (3 KB) is done by the first signal, b.json (70 KB at 20 KB/s)
	// is running, notes.txt waits.
	for _, name := range []string{"eval/b.json", "eval/notes.txt"} {
		if _, err := os.Stat(filepath.Join(dest, name)); err == nil {
			t.Errorf("%s is under its final name", name)
		}
	}
}

// TestGetLiveBlock: on a terminal, get redraws one compact block (totals,
// a bar, the files in flight) instead of a line per file, clears it at the
// end and leaves the summary.
func TestGetLiveBlock(t *testing.T) {
	srv, _, vars := verbServer(t)
	srv.SetFaults(wandbtest.AllTargets&^wandbtest.GraphQL, wandbtest.Faults{BytesPerSecond: 100_000})
	env, _ := testEnv(t, vars)
	errFile, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	env.Stderr, env.Width = errFile, 80
	dest := t.TempDir()
	if code := Main([]string{"get", "--dest", dest, "ent/proj/run1", "eval/*.json"}, env); code != 0 {
		t.Fatalf("exit %d", code)
	}
	b, _ := os.ReadFile(errFile.Name())
	out := string(b)
	if !strings.Contains(out, "of 2 files done") || !strings.Contains(out, "░") || !strings.Contains(out, "eval/b.json") {
		t.Fatalf("no live block: %q", out)
	}
	if !strings.Contains(out, "\x1b[3A\x1b[J") && !strings.Contains(out, "\x1b[4A\x1b[J") {
		t.Fatalf("the block is not redrawn in place: %q", out)
	}
	if strings.Contains(out, "done       eval/") {
		t.Fatalf("a line per file on a terminal: %q", out)
	}
	if !strings.HasSuffix(out, "\x1b[J2 files downloaded (71 KiB).\n") {
		t.Fatalf("the block is not cleared before the summary: %q", out[max(len(out)-120, 0):])
	}
}
