package tui

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// testClock is a clock the test sets; a runner over it gives stable
// speeds and times left.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// stepDL is a Downloader the test drives: each download waits for the
// test to report progress or to end it (or for its context to end), so a
// runner over it holds jobs in any state, at the times the test chooses.
type stepDL struct {
	mu      sync.Mutex
	calls   map[string]*stepCall
	started chan struct{} // a value after each start
}

// stepCall is one running download of a stepDL.
type stepCall struct {
	steps chan stepAction
}

// stepAction is what the test tells a running download to do: report
// progress (progress set) or return res and err.
type stepAction struct {
	progress *wandb.Progress
	res      wandb.DownloadResult
	err      error
	done     chan struct{} // closed once the download acted
}

func newStepDL() *stepDL {
	return &stepDL{calls: map[string]*stepCall{}, started: make(chan struct{}, 1)}
}

func (s *stepDL) Download(ctx context.Context, f wandb.File, _ string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	c := &stepCall{steps: make(chan stepAction)}
	s.mu.Lock()
	s.calls[f.Name] = c
	s.mu.Unlock()
	select {
	case s.started <- struct{}{}:
	default:
	}
	defer func() {
		s.mu.Lock()
		if s.calls[f.Name] == c {
			delete(s.calls, f.Name)
		}
		s.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return wandb.DownloadResult{Name: f.Name}, ctx.Err()
		case a := <-c.steps:
			if a.progress != nil {
				if opts.Progress != nil {
					opts.Progress(*a.progress)
				}
				close(a.done)
				continue
			}
			close(a.done)
			return a.res, a.err
		}
	}
}

// call waits for the download of name to be running inside s.
func (s *stepDL) call(t testing.TB, name string) *stepCall {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		c := s.calls[name]
		s.mu.Unlock()
		if c != nil {
			return c
		}
		select {
		case <-s.started:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the download of %s did not start", name)
		}
	}
}

// progress has the download of name report done bytes of total; the
// runner has recorded it when progress returns.
func (s *stepDL) progress(t testing.TB, name string, done, total int64) {
	t.Helper()
	a := stepAction{progress: &wandb.Progress{Name: name, Done: done, Total: total}, done: make(chan struct{})}
	s.call(t, name).steps <- a
	<-a.done
}

// finish has the download of name return res and err, and waits for r to
// record the outcome.
func (s *stepDL) finish(t testing.TB, r *runner.Runner, name string, res wandb.DownloadResult, err error) {
	t.Helper()
	a := stepAction{res: res, err: err, done: make(chan struct{})}
	s.call(t, name).steps <- a
	<-a.done
	waitRunner(t, r, name+" to end", func() bool {
		j, _ := r.Lookup(name)
		return j.State != runner.Running
	})
}

// waitRunner waits, woken by r.Changed, until cond holds.
func waitRunner(t testing.TB, r *runner.Runner, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-r.Changed():
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; totals %+v", what, r.Totals())
		}
	}
}

// viewFiles are the files of viewRunner, in their order.
var viewFiles = []wandb.File{
	{Name: "config.yaml", SizeBytes: 1_234},
	{Name: "checkpoints/epoch-0001/model-weights-with-a-rather-long-name.safetensors", SizeBytes: 52_428_800},
	{Name: "media/images/sample_0001.png", SizeBytes: 300_000},
	{Name: "../evil", SizeBytes: 6},
	{Name: "output.log", SizeBytes: -1},
	{Name: "media/tables/metrics.table.json", SizeBytes: 4_096},
	{Name: "requirements.txt", SizeBytes: 880},
	{Name: "wandb-summary.json", SizeBytes: 2_000},
}

// viewRunner returns a runner over a stepDL holding one job in every
// state (see fillViewJobs), with a test clock so speeds and times left are
// stable.
func viewRunner(t testing.TB, dest string) *runner.Runner {
	t.Helper()
	clock := &testClock{t: viewTime}
	s := newStepDL()
	// Three at once: the last file stays queued behind three running.
	r := runner.New(s, runner.Options{Dest: dest, Parallel: 3, Now: clock.now})
	t.Cleanup(r.Close)
	fillViewJobs(t, s, r, clock)
	return r
}

// viewTime is the start of viewRunner's clock.
var viewTime = time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)

// fillViewJobs adds viewFiles to r, a runner over s that runs three at
// once, and drives s so that there is one job in every state, as the
// engine would leave them: done, running at 1 MB/s (4%), up to date,
// failed (unsafe name), running with an unknown size, cancelled while
// queued, running at 0%, queued. clock, when not nil, is r's clock: it
// moves with the progress reports.
func fillViewJobs(t testing.TB, s *stepDL, r *runner.Runner, clock *testClock) {
	t.Helper()
	set := func(at time.Time) {
		if clock != nil {
			clock.set(at)
		}
	}
	dest := r.Dest()
	r.Add(viewFiles...)
	r.Cancel("media/tables/metrics.table.json")
	res := func(f wandb.File, st wandb.DownloadStatus) wandb.DownloadResult {
		return wandb.DownloadResult{Name: f.Name, Path: dest + "/" + f.Name, Status: st, Bytes: f.SizeBytes}
	}
	s.finish(t, r, viewFiles[0].Name, res(viewFiles[0], wandb.Downloaded), nil) // ../evil starts
	for i := range 11 {                                                         // 1 MB/s over 2 s
		set(viewTime.Add(time.Duration(i) * 200 * time.Millisecond))
		s.progress(t, viewFiles[1].Name, int64(i)*200_000, viewFiles[1].SizeBytes)
	}
	set(viewTime)
	s.finish(t, r, viewFiles[2].Name, res(viewFiles[2], wandb.UpToDate), nil) // output.log starts
	_, err := wandb.LocalPath(dest, "../evil")
	if err == nil {
		t.Fatal("LocalPath accepted ../evil")
	}
	s.finish(t, r, "../evil", wandb.DownloadResult{}, err) // requirements.txt starts
	s.progress(t, "output.log", 70_000, -1)
	s.call(t, "requirements.txt")
	if tot := r.Totals(); tot.Running != 3 || tot.Queued != 1 || tot.Done != 1 || tot.UpToDate != 1 || tot.Failed != 1 || tot.Cancelled != 1 {
		t.Fatalf("fillViewJobs: totals %+v", tot)
	}
}

// viewJobs returns a downloads view of w x h (the view's own height) over
// viewRunner's jobs.
func viewJobs(t testing.TB, dest string, w, h int) jobsView {
	t.Helper()
	return newJobsView(testCommon(w, h), viewRunner(t, dest), dest)
}

// testCommon is the common part of a child model sized w x h.
func testCommon(w, h int) common {
	return common{width: w, height: h, styles: DefaultStyles(true), keys: keymap.Default(), now: func() time.Time { return testNow }}
}

// fillRunner puts n jobs into r, a runner over dl with Parallel 8, in a
// mix of states, in turn done, running (the first 8 of that kind;
// cancelled after them), failed and queued, without a server: a runner as
// a large batch leaves it.
func fillRunner(tb testing.TB, r *runner.Runner, dl *mixDL, n int) {
	tb.Helper()
	if r.Parallel() != 8 {
		tb.Fatalf("fillRunner wants a runner of 8 at once, not %d", r.Parallel())
	}
	files := make([]wandb.File, n)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("media/images/step_%06d.png", i), SizeBytes: int64(1000 + i)}
	}
	// First every file ends at once, done or failed by its kind.
	r.Add(files...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.Wait(ctx); err != nil {
		tb.Fatal(err)
	}
	// Then downloads block: the first 8 of kind 1 run, the rest of kind 1
	// and kind 3 are queued behind them, and kind 1's are cancelled.
	dl.block.Store(true)
	var running, waiting []wandb.File
	for i, f := range files {
		switch {
		case i%4 == 1 && len(running) < 8:
			running = append(running, f)
		case i%4 == 1 || i%4 == 3:
			waiting = append(waiting, f)
		}
	}
	r.Add(running...)
	r.Add(waiting...)
	for i := 1; i < n; i += 4 {
		if j, _ := r.Lookup(files[i].Name); j.State == runner.Queued {
			r.Cancel(files[i].Name)
		}
	}
	want := runner.Totals{Files: n, Running: min(8, (n+2)/4), Done: (n + 3) / 4, Failed: (n + 1) / 4}
	if tot := r.Totals(); tot.Files != want.Files || tot.Running != want.Running || tot.Done != want.Done || tot.Failed != want.Failed {
		tb.Fatalf("fillRunner: totals %+v", tot)
	}
}

// mixDL ends fillRunner's downloads at once (file i of size 1000+i fails
// as an unsafe name when i%4 == 2, else is done) until block is set; then
// each reports half its bytes and waits for its context to end.
type mixDL struct{ block atomic.Bool }

func (d *mixDL) Download(ctx context.Context, f wandb.File, _ string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	if d.block.Load() {
		if opts.Progress != nil {
			opts.Progress(wandb.Progress{Name: f.Name, Done: f.SizeBytes / 2, Total: f.SizeBytes})
		}
		<-ctx.Done()
		return wandb.DownloadResult{Name: f.Name}, ctx.Err()
	}
	if (f.SizeBytes-1000)%4 == 2 {
		return wandb.DownloadResult{Name: f.Name}, fmt.Errorf("%w %q: bad", wandb.ErrUnsafeName, f.Name)
	}
	return wandb.DownloadResult{Name: f.Name, Status: wandb.Downloaded, Bytes: f.SizeBytes}, nil
}
