package wandb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// sliceOpts slices files from 1 MiB on, over at most 4 connections.
var sliceOpts = DownloadOptions{SliceThreshold: 1 << 20, MaxSlices: 4}

// rangeLog records the Range header of every body request the server
// sees, for tests that check which bytes were asked for.
type rangeLog struct {
	mu     sync.Mutex
	ranges []string
	only   wandbtest.Target // the body host to log, 0 for both
}

func (l *rangeLog) observe(t wandbtest.Target, r *http.Request) {
	l.mu.Lock()
	only := l.only
	l.mu.Unlock()
	if t == wandbtest.GraphQL || (only != 0 && t != only) {
		return
	}
	l.mu.Lock()
	l.ranges = append(l.ranges, r.Header.Get("Range"))
	l.mu.Unlock()
}

// list returns the ranges seen so far and forgets them.
func (l *rangeLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.ranges
	l.ranges = nil
	return out
}

// rangeBytes sums the lengths of "bytes=a-b" ranges (an open or missing
// range counts the rest of a file of size).
func rangeBytes(t *testing.T, ranges []string, size int64) int64 {
	t.Helper()
	var n int64
	for _, r := range ranges {
		a, b, _ := strings.Cut(strings.TrimPrefix(r, "bytes="), "-")
		from, to := int64(0), size-1
		if r != "" {
			var err error
			if from, err = strconv.ParseInt(a, 10, 64); err != nil {
				t.Fatalf("range %q", r)
			}
			if b != "" {
				if to, err = strconv.ParseInt(b, 10, 64); err != nil {
					t.Fatalf("range %q", r)
				}
			}
		}
		n += to - from + 1
	}
	return n
}

// parseRange reads a closed "bytes=a-b".
func parseRange(t *testing.T, r string) (int64, int64) {
	t.Helper()
	var a, b int64
	if _, err := fmt.Sscanf(r, "bytes=%d-%d", &a, &b); err != nil {
		t.Fatalf("range %q: %v", r, err)
	}
	return a, b
}

// newSliceEnv is newDLEnv whose server logs the ranges asked for.
func newSliceEnv(t *testing.T, files ...wandbtest.FileSpec) (*dlEnv, *rangeLog) {
	t.Helper()
	log := &rangeLog{}
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: "download-test-key-0123456789", Observe: log.observe})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", Files: files}
	srv.AddRun(run)
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	e := &dlEnv{t: t, srv: srv, c: c, run: run, specs: map[string]wandbtest.FileSpec{}, dest: filepath.Join(t.TempDir(), "dest")}
	for _, f := range files {
		e.specs[f.Name] = f
	}
	return e, log
}

// sliced runs a sliced download with pieces of 256–512 KiB.
func (e *dlEnv) sliced(ctx context.Context, f File, opts DownloadOptions) (DownloadResult, error) {
	d := e.c.newDownloader(opts)
	d.minPiece, d.maxPiece = 256<<10, 512<<10
	return d.download(ctx, f, e.dest)
}

// assertNoState asserts neither a temporary file nor a sidecar is left.
func assertNoState(t *testing.T, dest string) {
	t.Helper()
	for _, p := range tree(t, dest) {
		if strings.HasSuffix(p, partialSuffix) || strings.HasSuffix(p, slicesSuffix) {
			t.Errorf("left %s", p)
		}
	}
}

// TestSlicedDownload fetches a 3 MiB file in slices over up to four
// connections at once (each paced, as storage paces streams): byte-exact,
// md5 checked, every request a closed range, none asked twice, several at
// once, and nothing left beside it.
func TestSlicedDownload(t *testing.T) {
	const size = 3<<20 + 123
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "ckpt/model.bin", Size: size})
	f := e.file("ckpt/model.bin")
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 4 << 20})
	var mu sync.Mutex
	most := 0
	opts := sliceOpts
	opts.ProgressInterval = time.Millisecond
	opts.Progress = func(p Progress) {
		mu.Lock()
		most = max(most, p.Slices)
		mu.Unlock()
	}
	res, err := e.sliced(context.Background(), f, opts)
	if err != nil {
		t.Fatal(err)
	}
	e.checkFile("ckpt/model.bin")
	if res.Status != Downloaded || res.Bytes != size || res.Resumed {
		t.Errorf("result %+v", res)
	}
	ranges := log.list()
	if len(ranges) < 6 || len(slices.Compact(slices.Sorted(slices.Values(ranges)))) != len(ranges) {
		t.Errorf("ranges asked for: %q; want 6 or more pieces, none twice", ranges)
	}
	if n := rangeBytes(t, ranges, size); n != size {
		t.Errorf("asked for %d bytes in all, want the file's %d", n, size)
	}
	for _, r := range ranges {
		if !strings.HasPrefix(r, "bytes=") || strings.HasSuffix(r, "-") {
			t.Errorf("range %q: want a closed range", r)
		}
	}
	if most < 2 || most > 4 {
		t.Errorf("at most %d slices at once reported, want 2–4", most)
	}
	assertNoState(t, e.dest)
}

// TestSlicedResumesEachSliceAfterCut cuts three bodies 100 KiB in: each
// cut slice continues from where it stopped (no byte asked for twice),
// and the result is exact.
func TestSlicedResumesEachSliceAfterCut(t *testing.T) {
	const size = 3 << 20
	for _, via := range []string{"url", "directUrl"} {
		e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: size})
		target, f := wandbtest.FileURL, e.file("big.bin")
		if via == "directUrl" {
			target, f = wandbtest.Storage, e.direct("big.bin")
		}
		e.srv.SetFaults(target, wandbtest.Faults{CutBodyAfter: 100 << 10, CutBodyTimes: 3})
		res, err := e.sliced(context.Background(), f, sliceOpts)
		if err != nil {
			t.Fatalf("via %s: %v", via, err)
		}
		e.checkFile("big.bin")
		ranges := log.list()
		if st := e.srv.Stats(); st.CutBodies != 3 || st.StorageAuthRejected != 0 || !res.Resumed {
			t.Errorf("via %s: stats %+v, resumed %v", via, st, res.Resumed)
		}
		// Each cut request a-b is followed by one for (a+100K)-b, and the
		// bytes asked for, less what the cuts kept from coming, are the
		// file's: no slice started over.
		resumed, fetched := 0, int64(0)
		for _, r := range ranges {
			a, b := parseRange(t, r)
			n := b - a + 1
			if slices.Contains(ranges, fmt.Sprintf("bytes=%d-%d", a+100<<10, b)) {
				resumed++
				n = 100 << 10
			}
			fetched += n
		}
		if resumed != 3 || fetched != size {
			t.Errorf("via %s: %d slices continued after a cut, %d bytes fetched; want 3 and %d (%q)", via, resumed, fetched, size, ranges)
		}
		assertNoState(t, e.dest)
	}
}

// TestSlicedResumesAcrossCalls cancels a sliced download midway: the
// temporary file and the sidecar stay, and the next call asks only for
// the bytes the first did not write.
func TestSlicedResumesAcrossCalls(t *testing.T) {
	const size = 4 << 20
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: size})
	f := e.file("big.bin")
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 2 << 20})
	ctx, cancel := context.WithCancel(context.Background())
	opts := sliceOpts
	opts.ProgressInterval = time.Millisecond
	opts.Progress = func(p Progress) {
		if p.Done >= size/3 {
			cancel()
		}
	}
	if _, err := e.sliced(ctx, f, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want cancelled", err)
	}
	tmp := filepath.Join(e.dest, tempName("big.bin"))
	side := filepath.Join(e.dest, sidecarName("big.bin"))
	root, err := os.OpenRoot(e.dest)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	kept := readSidecar(root, sidecarName("big.bin"), size, f.MD5)
	var keptBytes int64
	for _, x := range kept {
		keptBytes += x.to - x.from
	}
	if fi, err := os.Stat(tmp); err != nil || fi.Size() != size || keptBytes < size/3 || keptBytes == size {
		t.Fatalf("after the cancel: temporary file %v %v, sidecar %s records %d bytes in %v", fi, err, side, keptBytes, kept)
	}
	// The second call goes to the storage host, and only its requests
	// are counted: a request the first call sent just before the cancel
	// may reach the server after it returned.
	log.mu.Lock()
	log.only, log.ranges = wandbtest.Storage, nil
	log.mu.Unlock()
	res, err := e.sliced(context.Background(), e.direct("big.bin"), sliceOpts)
	if err != nil || !res.Resumed {
		t.Fatalf("resume: %+v %v", res, err)
	}
	e.checkFile("big.bin")
	if n := rangeBytes(t, log.list(), size); n != size-keptBytes {
		t.Errorf("the second call asked for %d bytes, want the %d the first did not write", n, size-keptBytes)
	}
	assertNoState(t, e.dest)
}

// TestSlicedDamagedSidecarStartsOver: a sidecar that does not check out
// (its crc, another md5) is not trusted: the file is fetched whole.
func TestSlicedDamagedSidecarStartsOver(t *testing.T) {
	const size = 2 << 20
	for _, damage := range []string{"crc", "md5", "garbage"} {
		e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: size})
		f := e.file("big.bin")
		if err := os.MkdirAll(e.dest, 0o755); err != nil {
			t.Fatal(err)
		}
		// A temporary file of the whole size, zeros, that a sidecar claims
		// is half done.
		if err := os.WriteFile(filepath.Join(e.dest, tempName("big.bin")), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		md5 := f.MD5
		if damage == "md5" {
			md5 = "AAAAAAAAAAAAAAAAAAAAAA=="
		}
		root, _ := os.OpenRoot(e.dest)
		sc := createSidecar(root, sidecarName("big.bin"))
		sc.write(size, md5, []extent{{0, size / 2}})
		sc.close()
		root.Close()
		path := filepath.Join(e.dest, sidecarName("big.bin"))
		switch damage {
		case "crc":
			b, _ := os.ReadFile(path)
			os.WriteFile(path, []byte(strings.Replace(string(b), "done 0 ", "done 1 ", 1)), 0o644)
		case "garbage":
			os.WriteFile(path, []byte("wbfiles-slices 1\nsize 2097152\n"), 0o644)
		}
		res, err := e.sliced(context.Background(), f, sliceOpts)
		if err != nil || res.Resumed {
			t.Fatalf("%s: %+v %v", damage, res, err)
		}
		e.checkFile("big.bin")
		if n := rangeBytes(t, log.list(), size); n != size {
			t.Errorf("%s: asked for %d bytes, want the whole %d", damage, n, size)
		}
		assertNoState(t, e.dest)
	}
}

// TestSlicedTakesOverSingleStreamLeftover: the prefix a single stream
// left is kept; the slices fetch the rest.
func TestSlicedTakesOverSingleStreamLeftover(t *testing.T) {
	const size, kept = 2 << 20, 700 << 10
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: size})
	os.MkdirAll(e.dest, 0o755)
	if err := os.WriteFile(filepath.Join(e.dest, tempName("big.bin")), prefixOf(t, e.specs["big.bin"], kept), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := e.sliced(context.Background(), e.file("big.bin"), sliceOpts)
	if err != nil || !res.Resumed {
		t.Fatalf("%+v %v", res, err)
	}
	e.checkFile("big.bin")
	if n := rangeBytes(t, log.list(), size); n != size-kept {
		t.Errorf("asked for %d bytes, want %d", n, size-kept)
	}
}

// TestSlicedNoRangeFallsBack: a server that answers a ranged request with
// 200 and the whole body gets one stream instead, and the file is exact.
func TestSlicedNoRangeFallsBack(t *testing.T) {
	const size = 2 << 20
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: size})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{NoRange: true})
	res, err := e.sliced(context.Background(), e.file("big.bin"), sliceOpts)
	if err != nil || res.Status != Downloaded {
		t.Fatalf("%+v %v", res, err)
	}
	e.checkFile("big.bin")
	// The probe (one slice, answered 200), then one stream.
	if ranges := log.list(); len(ranges) != 2 || ranges[0] == "" || ranges[1] != "" {
		t.Errorf("requests %q: want the probe, then one request without Range", ranges)
	}
	assertNoState(t, e.dest)
}

// TestSlicedWrongMD5 detects a reassembled file whose md5 is not the
// server's: ErrChecksum, nothing under the final name, nothing left.
func TestSlicedWrongMD5(t *testing.T) {
	e, _ := newSliceEnv(t, wandbtest.FileSpec{Name: "d/big.bin", Size: 2 << 20})
	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	_, err := e.sliced(context.Background(), e.file("d/big.bin"), sliceOpts)
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err %v, want ErrChecksum", err)
	}
	assertAbsent(t, filepath.Join(e.dest, "d", "big.bin"))
	assertNoState(t, e.dest)
}

// TestSlicedFailureLeavesNoFinalName: a slice refused for good (404 on a
// later request) fails the download; nothing is under the final name and
// the bytes fetched are kept for a resume.
func TestSlicedFailureLeavesNoFinalName(t *testing.T) {
	e, _ := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: 2 << 20})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 3, ServerErrorStatus: http.StatusNotFound})
	_, err := e.sliced(context.Background(), e.file("big.bin"), sliceOpts)
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("err %v, want the 404", err)
	}
	assertAbsent(t, filepath.Join(e.dest, "big.bin"))
	if p := partials(t, e.dest); len(p) != 1 {
		t.Errorf("temporary files %v, want the one kept for a resume", p)
	}
}

// TestSlicedFullDisk: a write failing with ENOSPC fails the download and
// removes the temporary file and the sidecar, to give the space back.
func TestSlicedFullDisk(t *testing.T) {
	e, _ := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: 2 << 20})
	d := e.c.newDownloader(sliceOpts)
	d.minPiece, d.maxPiece = 256<<10, 512<<10
	d.wrapWriterAt = func(w io.WriterAt) io.WriterAt { return fullAfter{w, 1 << 20} }
	_, err := d.download(context.Background(), e.file("big.bin"), e.dest)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "removed the temporary file") {
		t.Fatalf("err %v, want ENOSPC", err)
	}
	assertAbsent(t, filepath.Join(e.dest, "big.bin"))
	assertNoState(t, e.dest)
}

// fullAfter fails every write that reaches past limit with ENOSPC.
type fullAfter struct {
	w     io.WriterAt
	limit int64
}

func (f fullAfter) WriteAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.limit {
		return 0, &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	}
	return f.w.WriteAt(p, off)
}

func TestParseSidecar(t *testing.T) {
	sc := &sidecar{}
	good := func(done ...extent) []byte {
		f, err := os.CreateTemp(t.TempDir(), "sc")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc.f = f
		sc.write(1000, "md5==", done)
		b, _ := os.ReadFile(f.Name())
		return b
	}
	if got := parseSidecar(good(extent{0, 10}, extent{20, 1000}), 1000, "md5=="); !slices.Equal(got, []extent{{0, 10}, {20, 1000}}) {
		t.Errorf("round trip: %v", got)
	}
	for name, data := range map[string][]byte{
		"other size":  good(extent{0, 10}),
		"overlapping": good(extent{0, 10}, extent{5, 20}),
		"past end":    good(extent{0, 2000}),
		"empty":       good(extent{5, 5}),
		"torn":        good(extent{0, 10})[:30],
		"tail":        append(good(extent{0, 10}), "done 20 30\n"...),
	} {
		size := int64(1000)
		if name == "other size" {
			size = 999
		}
		if got := parseSidecar(data, size, "md5=="); got != nil {
			t.Errorf("%s: %v, want nil", name, got)
		}
	}
	if got := parseSidecar(good(extent{0, 10}), 1000, "other"); got != nil {
		t.Errorf("other md5: %v", got)
	}
}

func TestSliceableNames(t *testing.T) {
	if _, err := LocalPath("d", "x"+slicesSuffix); !errors.Is(err, ErrUnsafeName) {
		t.Errorf("a name ending in %s: %v, want ErrUnsafeName", slicesSuffix, err)
	}
	if got := sidecarName(filepath.FromSlash("a/b.bin")); got != filepath.FromSlash("a/.b.bin"+slicesSuffix) {
		t.Errorf("sidecarName = %q", got)
	}
	if got := sidecarName(strings.Repeat("x", 250)); len(got) > 255 {
		t.Errorf("sidecarName of a long name is %d bytes", len(got))
	}
}

// TestSlicedSizeMismatchFallsBack: a listing whose size is not the
// server's (the Content-Range total says otherwise) is not sliced on: the
// download falls back to one stream, which takes the bytes on disk as the
// truth, and the md5 holds.
func TestSlicedSizeMismatchFallsBack(t *testing.T) {
	const size = 2 << 20
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: size})
	f := e.file("big.bin")
	f.SizeBytes = size + 4096
	res, err := e.sliced(context.Background(), f, sliceOpts)
	if err != nil || res.Bytes != size {
		t.Fatalf("%+v %v", res, err)
	}
	e.checkFile("big.bin")
	if ranges := log.list(); len(ranges) != 2 || ranges[0] == "" || ranges[1] != "" {
		t.Errorf("requests %q: want the probe, then one stream", ranges)
	}
	assertNoState(t, e.dest)
}
