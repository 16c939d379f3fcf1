package runner

import (
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// connCount counts the body requests the client has open at once (from
// sending one to closing its body), in all and per file: the client's
// side of the budget.
type connCount struct {
	base     http.RoundTripper
	mu       sync.Mutex
	now      int
	peak     int
	perFile  map[string]int
	filePeak map[string]int
	fileReqs map[string]int
	ranged   int
}

func (c *connCount) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(r.URL.Path, "/files/") {
		return c.base.RoundTrip(r)
	}
	name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	c.mu.Lock()
	c.now++
	c.peak = max(c.peak, c.now)
	c.perFile[name]++
	c.filePeak[name] = max(c.filePeak[name], c.perFile[name])
	c.fileReqs[name]++
	if r.Header.Get("Range") != "" {
		c.ranged++
	}
	c.mu.Unlock()
	done := func() {
		c.mu.Lock()
		c.now--
		c.perFile[name]--
		c.mu.Unlock()
	}
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		done()
		return nil, err
	}
	resp.Body = &closeHook{ReadCloser: resp.Body, done: done}
	return resp, nil
}

// closeHook calls done once, at the first Close.
type closeHook struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (h *closeHook) Close() error {
	err := h.ReadCloser.Close()
	h.once.Do(h.done)
	return err
}

// stats returns the most body requests at once, in all and for each file,
// and how many asked for a range.
func (c *connCount) stats() (peak int, filePeak map[string]int, ranged int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peak, maps.Clone(c.filePeak), c.ranged
}

// newCountedEnv is newEnv with a client that counts its body requests in
// flight.
func newCountedEnv(t *testing.T, run wandbtest.RunSpec) (*env, *connCount) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(run)
	count := &connCount{base: http.DefaultTransport.(*http.Transport).Clone(), perFile: map[string]int{}, filePeak: map[string]int{}, fileReqs: map[string]int{}}
	count.base.(*http.Transport).MaxIdleConnsPerHost = 32
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: testKey, Retry: testRetry, Transport: count})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{srv: srv, c: c, run: run}
	e.files = e.list(t)
	return e, count
}

// sliceOpts slices files from 1 MiB on; the engine's pieces are 8 MiB at
// least.
var sliceOpts = wandb.DownloadOptions{SliceThreshold: 1 << 20}

// A large file alone borrows the idle connections of the budget: with
// Parallel 4 its slices come over four connections at once, never more.
func TestSlicesUseIdleConnections(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "model.bin", Size: 32 << 20}
	e, count := newCountedEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "big", Files: []wandbtest.FileSpec{spec}})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 16 << 20})
	dest := t.TempDir()
	var mu sync.Mutex
	slices := 0
	opts := sliceOpts
	opts.ProgressInterval = time.Millisecond
	opts.Progress = func(p wandb.Progress) { mu.Lock(); slices = max(slices, p.Slices); mu.Unlock() }
	r := New(e.c, Options{Dest: dest, Parallel: 4, Download: opts})
	defer r.Close()
	r.Add(e.files...)
	waitIdle(t, r)
	if j := mustJob(t, r, "model.bin"); j.State != Done {
		t.Fatalf("job %+v", j)
	}
	checkOnDisk(t, dest, spec)
	peak, _, ranged := count.stats()
	mu.Lock()
	defer mu.Unlock()
	if peak != 4 || slices != 4 || ranged < 4 {
		t.Fatalf("%d body requests at once (%d ranged in all), %d slices reported; want 4 and 4", peak, ranged, slices)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lent != 0 || r.slicing != 0 || r.busy != 0 {
		t.Fatalf("after the download: lent %d, slicing %d, busy %d; want all back", r.lent, r.slicing, r.busy)
	}
}

// Files queued behind a sliced download get its borrowed connections back
// at once: they finish long before it, and the server never sees more
// than Parallel body requests at once.
func TestSlicesGiveWayToQueuedFiles(t *testing.T) {
	big := wandbtest.FileSpec{Name: "model.bin", Size: 64 << 20}
	small := []wandbtest.FileSpec{{Name: "a.txt", Size: 64 << 10}, {Name: "b.txt", Size: 64 << 10}, {Name: "c.txt", Size: 64 << 10}}
	e, count := newCountedEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "mix", Files: append([]wandbtest.FileSpec{big}, small...)})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 16 << 20})
	byName := map[string]wandb.File{}
	for _, f := range e.files {
		byName[f.Name] = f
	}
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 4, Download: sliceOpts})
	defer r.Close()
	r.Add(byName["model.bin"])
	waitFor(t, r, "four slices at once", func() bool { return mustJob(t, r, "model.bin").Progress.Slices == 4 })
	added := time.Now()
	r.Add(byName["a.txt"], byName["b.txt"], byName["c.txt"])
	waitFor(t, r, "the small files", func() bool {
		for _, s := range small {
			if mustJob(t, r, s.Name).State != Done {
				return false
			}
		}
		return true
	})
	took := time.Since(added)
	if j := mustJob(t, r, "model.bin"); j.State != Running {
		t.Errorf("the large file is %v once the small ones are done after %v; want it still running (they did not wait for it)", j.State, took)
	}
	waitIdle(t, r)
	checkOnDisk(t, dest, big)
	for _, s := range small {
		checkOnDisk(t, dest, s)
	}
	if peak, _, _ := count.stats(); peak > 4 {
		t.Errorf("%d body requests at once, want at most Parallel=4", peak)
	}
}

// Two large files share the idle connections evenly: each gets two of
// four.
func TestSlicesShareEvenly(t *testing.T) {
	files := []wandbtest.FileSpec{{Name: "a.bin", Size: 64 << 20}, {Name: "b.bin", Size: 64 << 20}}
	e, count := newCountedEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "two", Files: files})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 32 << 20})
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 4, Download: sliceOpts})
	defer r.Close()
	r.Add(e.files...)
	waitIdle(t, r)
	for _, f := range files {
		checkOnDisk(t, dest, f)
	}
	peak, filePeak, _ := count.stats()
	if peak > 4 || filePeak["a.bin"] < 2 || filePeak["b.bin"] < 2 {
		t.Errorf("%d body requests at once, per file %v; want at most 4, and 2 for each file", peak, filePeak)
	}
}

// With Parallel 1 there is nothing to lend: a large file comes in one
// stream, without Range.
func TestSlicesNeedParallel(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "model.bin", Size: 4 << 20}
	e, count := newCountedEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "one", Files: []wandbtest.FileSpec{spec}})
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 1, Download: sliceOpts})
	defer r.Close()
	r.Add(e.files...)
	if err := r.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkOnDisk(t, dest, spec)
	if peak, _, ranged := count.stats(); peak != 1 || ranged != 0 {
		t.Errorf("%d requests at once, %d ranged; want one stream", peak, ranged)
	}
}

// Large files that run while others wait get no connection lent: each
// takes the rest of its bytes in one long request after the first slice,
// not in many short ones.
func TestSlicesAloneTakeLongPieces(t *testing.T) {
	files := []wandbtest.FileSpec{{Name: "a.bin", Size: 40 << 20}, {Name: "b.bin", Size: 40 << 20},
		{Name: "c.txt", Size: 1 << 10}, {Name: "d.txt", Size: 1 << 10}}
	e, count := newCountedEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "lone", Files: files})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 64 << 20})
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 2, Download: sliceOpts})
	defer r.Close()
	r.Add(e.files...) // a and b run, c and d wait for them
	waitIdle(t, r)
	for _, f := range files {
		checkOnDisk(t, dest, f)
	}
	count.mu.Lock()
	defer count.mu.Unlock()
	for _, name := range []string{"a.bin", "b.bin"} {
		if n := count.fileReqs[name]; n > 3 {
			t.Errorf("%s: %d requests, want at most 3 (the first slice, maybe one more before the budget said it is busy, the rest)", name, n)
		}
	}
}
