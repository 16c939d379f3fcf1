package runner

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// 220 files at Parallel 4: never more than 4 run, in the runner's state
// or inside the engine; every byte lands; a second round finds every file
// up to date.
func TestManyFilesAtMostParallel(t *testing.T) {
	e := newEnv(t, manyRun("many", 220), testRetry)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: 2 * time.Millisecond})
	dest := t.TempDir()
	p := &probe{Downloader: e.c}
	r := New(p, Options{Dest: dest, Parallel: 4})
	defer r.Close()

	// A reader samples the running count on every change, as a UI would.
	var maxRunning int
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-r.Changed():
				maxRunning = max(maxRunning, r.Totals().Running)
			}
		}
	})

	if n := r.Add(e.files...); n != 220 {
		t.Fatalf("Add queued %d, want 220", n)
	}
	if tot := r.Totals(); tot.Running != 4 || tot.Queued != 216 {
		t.Fatalf("right after Add: %+v; want 4 running", tot)
	}
	if j := mustJob(t, r, e.files[219].Name); j.State != Queued || j.Index != 219 || j.ETA != UnknownETA {
		t.Fatalf("last job %+v", j)
	}
	if n := r.Add(e.files[:10]...); n != 0 || r.Len() != 220 {
		t.Fatalf("re-adding running or queued files queued %d (len %d)", n, r.Len())
	}
	waitIdle(t, r)
	close(stop)
	wg.Wait()

	_, peak, calls := p.stats()
	if maxRunning > 4 || peak > 4 || maxRunning == 0 {
		t.Fatalf("at most 4 may run: the runner had %d running, the engine %d at once", maxRunning, peak)
	}
	if len(calls) != 220 {
		t.Fatalf("engine called for %d files, want 220", len(calls))
	}
	var want int64
	for _, spec := range e.run.Files {
		want += spec.Len()
		checkOnDisk(t, dest, spec)
	}
	tot := r.Totals()
	if tot.Done != 220 || tot.Failed+tot.Cancelled+tot.UpToDate != 0 || tot.BytesDone != want || tot.BytesTotal != want ||
		tot.BytesRemaining != 0 || tot.ETA != 0 || tot.Fraction() != 1 || tot.Finished() != 220 {
		t.Fatalf("totals %+v, want 220 done, %d bytes", tot, want)
	}
	window := r.Jobs(215, 10)
	if len(window) != 5 || window[0].Name != e.files[215].Name || window[0].State != Done || window[0].Path == "" {
		t.Fatalf("Jobs(215, 10) = %d jobs, first %+v", len(window), window[0])
	}
	if r.Jobs(220, 5) != nil || r.Jobs(-3, 1)[0].Name != e.files[0].Name || len(r.Jobs(0, 1<<62)) != 220 {
		t.Fatal("Jobs windows at the edges")
	}
	if s := r.Summary(); s.Downloaded != 220 || s.Bytes != want || !strings.HasPrefix(s.String(), "220 files downloaded (") {
		t.Fatalf("summary %+v %q", s, s.String())
	}

	// Added again, every file is found up to date by its md5, and still
	// counts as downloaded in the summary.
	if n := r.Add(e.files...); n != 220 {
		t.Fatalf("second Add queued %d", n)
	}
	waitIdle(t, r)
	if tot := r.Totals(); tot.UpToDate != 220 {
		t.Fatalf("second round: %+v", tot)
	}
	if j := mustJob(t, r, e.files[5].Name); j.State != UpToDate || j.Attempt != 2 {
		t.Fatalf("second round job %+v", j)
	}
	if s := r.Summary(); s.Downloaded != 220 || s.UpToDate != 0 {
		t.Fatalf("summary after the second round %+v", s)
	}
}

// A running download cancelled keeps its partial file and ends Cancelled;
// the next file starts; a retry resumes the partial file byte-exact.
func TestCancelSlowDownloadAndRetry(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "slow", Files: []wandbtest.FileSpec{
		{Name: "ckpt/model.bin", Size: 4 << 20},
		{Name: "small.txt", Content: []byte("hello\n")},
	}}
	e := newEnv(t, run, testRetry)
	e.srv.SetFaults(wandbtest.AllTargets&^wandbtest.GraphQL, wandbtest.Faults{BytesPerSecond: 128 << 10})
	dest := t.TempDir()
	var reports atomic.Int64 // the caller's own Progress sees every report too
	r := New(e.c, Options{Dest: dest, Parallel: 1, Download: wandb.DownloadOptions{
		ProgressInterval: 20 * time.Millisecond,
		Progress:         func(wandb.Progress) { reports.Add(1) },
	}})
	defer r.Close()

	r.Add(e.files...) // model.bin first; small.txt waits its turn
	if j := mustJob(t, r, "small.txt"); j.State != Queued {
		t.Fatalf("small.txt %v, want queued behind the slow file", j.State)
	}
	waitFor(t, r, "some bytes of the slow file", func() bool {
		j := mustJob(t, r, "ckpt/model.bin")
		return j.Done > 0 && j.Speed > 0
	})
	j := mustJob(t, r, "ckpt/model.bin")
	if j.Progress.Name != "ckpt/model.bin" || j.Progress.Done != j.Done || j.Total != 4<<20 || j.ETA <= 0 || reports.Load() < 2 {
		t.Fatalf("running job %+v after %d reports", j, reports.Load())
	}
	if !r.Cancel("ckpt/model.bin") {
		t.Fatal("Cancel of a running job reported nothing to cancel")
	}
	if j := mustJob(t, r, "ckpt/model.bin"); j.State != Cancelled {
		t.Fatalf("right after Cancel: %v", j.State)
	}
	waitIdle(t, r)
	if j := mustJob(t, r, "ckpt/model.bin"); j.State != Cancelled || j.Err != nil {
		t.Fatalf("after the engine returned: %+v", j)
	}
	noFinalFile(t, dest, "ckpt/model.bin")
	if p := partials(t, dest); len(p) != 1 || filepath.Base(p[0]) != ".model.bin.wbfiles-partial" {
		t.Fatalf("partial files %v, want the cancelled one kept", p)
	}
	checkOnDisk(t, dest, run.Files[1])
	if s := r.Summary(); s.Cancelled != 1 || s.Downloaded != 1 || !strings.Contains(s.String(), "1 cancelled") {
		t.Fatalf("summary %q", s.String())
	}
	if r.Cancel("ckpt/model.bin") || r.Cancel("no such file") || r.Retry("small.txt") || r.Retry("no such file") {
		t.Fatal("Cancel of a finished job or Retry of a done one did something")
	}

	e.srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	if !r.Retry("ckpt/model.bin") {
		t.Fatal("Retry of a cancelled job refused")
	}
	waitIdle(t, r)
	if j := mustJob(t, r, "ckpt/model.bin"); j.State != Done || !j.Resumed || j.Attempt != 2 || j.Done != 4<<20 {
		t.Fatalf("retried job %+v", j)
	}
	checkOnDisk(t, dest, run.Files[0])
	if p := partials(t, dest); len(p) != 0 {
		t.Fatalf("partial files left: %v", p)
	}
}

// A queued job cancelled leaves the line: the engine never sees it.
func TestCancelQueuedDropsIt(t *testing.T) {
	e := newEnv(t, manyRun("queued", 3), testRetry)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: 300 * time.Millisecond})
	p := &probe{Downloader: e.c}
	r := New(p, Options{Dest: t.TempDir(), Parallel: 1})
	defer r.Close()
	r.Add(e.files...)
	last := e.files[2].Name
	if !r.Cancel(last) || mustJob(t, r, last).State != Cancelled {
		t.Fatalf("cancel of a queued job: %v", mustJob(t, r, last).State)
	}
	waitIdle(t, r)
	if _, _, calls := p.stats(); calls[last] != 0 || len(calls) != 2 {
		t.Fatalf("engine calls %v: the cancelled queued file must not start", calls)
	}
	if got := p.started(); len(got) != 2 || got[0] != e.files[0].Name || got[1] != e.files[1].Name {
		t.Fatalf("engine started %v; want the files in the order added", got)
	}
	if tot := r.Totals(); tot.Done != 2 || tot.Cancelled != 1 {
		t.Fatalf("totals %+v", tot)
	}
}

// A wrong md5 fails the job and puts nothing at the final name; adding the
// file again with the server's corrected listing downloads it.
func TestWrongMD5Fails(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "md5", Files: []wandbtest.FileSpec{
		{Name: "data/table.json", Size: 300 << 10},
	}}
	e := newEnv(t, run, testRetry)
	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	bad := e.list(t)
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest})
	defer r.Close()

	r.Add(bad...)
	waitIdle(t, r)
	j := mustJob(t, r, "data/table.json")
	if j.State != Failed || !errors.Is(j.Err, wandb.ErrChecksum) || ShortReason(j.Err) != "md5 mismatch" || !strings.Contains(j.Reason(), "md5") {
		t.Fatalf("job %+v, want failed with an md5 mismatch", j)
	}
	noFinalFile(t, dest, "data/table.json")
	if s := r.Summary(); len(s.Failed) != 1 || s.Failed[0].Name != "data/table.json" || !strings.Contains(s.String(), "failed: ") {
		t.Fatalf("summary %+v", s)
	}

	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{})
	if n := r.Add(e.list(t)...); n != 1 {
		t.Fatalf("re-adding a failed file queued %d", n)
	}
	waitIdle(t, r)
	if j := mustJob(t, r, "data/table.json"); j.State != Done || j.Err != nil {
		t.Fatalf("after the corrected listing: %+v", j)
	}
	checkOnDisk(t, dest, run.Files[0])
}

// A panic inside a download fails that job with "internal error" and the
// runner goes on with the others, and with files added later.
func TestPanicFailsTheJob(t *testing.T) {
	e := newEnv(t, manyRun("panic", 3), testRetry)
	dest := t.TempDir()
	r := New(&probe{Downloader: e.c, panicOn: e.files[0].Name}, Options{Dest: dest, Parallel: 1})
	defer r.Close()
	r.Add(e.files[:2]...)
	waitIdle(t, r)
	j := mustJob(t, r, e.files[0].Name)
	if j.State != Failed || j.Err == nil || !strings.HasPrefix(j.Err.Error(), "internal error: boom") {
		t.Fatalf("panicking job %+v", j)
	}
	r.Add(e.files[2])
	waitIdle(t, r)
	for _, spec := range e.run.Files[1:] {
		checkOnDisk(t, dest, spec)
	}
	if tot := r.Totals(); tot.Done != 2 || tot.Failed != 1 {
		t.Fatalf("totals %+v", tot)
	}
}

// Jobs failed by the server stay failed on a retry while it fails, and
// RetryFailed brings them all home once it answers again.
func TestRetryFailedAfterServerErrors(t *testing.T) {
	e := newEnv(t, manyRun("errors", 3), testRetry)
	e.srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 1})
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 2})
	defer r.Close()
	r.Add(e.files...)
	waitIdle(t, r)
	if tot := r.Totals(); tot.Failed != 3 {
		t.Fatalf("with every request failing: %+v", tot)
	}
	if !r.Retry(e.files[0].Name) {
		t.Fatal("Retry of a failed job refused")
	}
	waitIdle(t, r)
	if tot := r.Totals(); tot.Failed != 3 || mustJob(t, r, e.files[0].Name).Attempt != 2 {
		t.Fatalf("retry while the server still fails: %+v", tot)
	}
	e.srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	if n := r.RetryFailed(); n != 3 {
		t.Fatalf("RetryFailed queued %d", n)
	}
	waitIdle(t, r)
	if tot := r.Totals(); tot.Done != 3 || tot.Failed != 0 {
		t.Fatalf("after retrying all: %+v", tot)
	}
	for _, spec := range e.run.Files {
		checkOnDisk(t, dest, spec)
	}
	if n := r.RetryFailed(); n != 0 {
		t.Fatalf("RetryFailed with nothing failed queued %d", n)
	}
}

// Rate limits and server errors on many parallel downloads are retried by
// the engine; a file added twice is one job. (Ported from the tests of
// wandb.DownloadAll.)
func TestFaultyServerManyParallel(t *testing.T) {
	var specs []wandbtest.FileSpec
	for i := range 40 {
		specs = append(specs, wandbtest.FileSpec{Name: "media/images/img_" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ".png", Size: int64(1000 + 997*i)})
	}
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "faulty", Files: specs}
	// Failures hit every 5th and 7th request whichever file it is for, so
	// one file may meet several in a row: allow enough attempts.
	retry := testRetry
	retry.MaxAttempts = 20
	e := newEnv(t, run, retry)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{RateLimitEvery: 7, ServerErrorEvery: 5})
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 4})
	defer r.Close()
	if n := r.Add(append(e.files, e.files[0], e.files[1])...); n != 40 {
		t.Fatalf("Add queued %d, want 40 (duplicates are one job)", n)
	}
	waitIdle(t, r)
	if tot := r.Totals(); tot.Done != 40 {
		t.Fatalf("totals %+v; summary %s", tot, r.Summary())
	}
	for _, s := range specs {
		checkOnDisk(t, dest, s)
	}
	if p := partials(t, dest); len(p) != 0 {
		t.Fatalf("temporary files left: %v", p)
	}
}

// A listing with nulls (no url, no md5, no size, no url at all) downloads
// as the UI will: each file from where it can come, the impossible one
// failing with the reason. (Ported from the tests of wandb.DownloadAll.)
func TestListedFilesWithNulls(t *testing.T) {
	specs := []wandbtest.FileSpec{
		{Name: "config.yaml", Content: []byte("epochs: 3\n")},
		{Name: "media/images/sample 1 – ünï.png", Size: 70 << 10},
		{Name: "only-direct.bin", Size: 40 << 10, NullURL: true},
		{Name: "no-md5.txt", Size: 1234, NullMD5: true},
		{Name: "no-size.bin", Size: 300 << 10, NullSize: true},
		{Name: "code/src/100%_done.py", Content: []byte("print('hi')\n")},
		{Name: "nowhere.bin", Size: 10, NullURL: true, EmptyDirectURL: true},
	}
	e := newEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "nulls", Files: specs}, testRetry)
	dest := t.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: 3})
	defer r.Close()
	r.Add(e.files...)
	if tot := r.Totals(); tot.UnknownSize != 1 {
		t.Fatalf("before: %+v, want one file of unknown size", tot)
	}
	waitIdle(t, r)
	for _, spec := range specs {
		j := mustJob(t, r, spec.Name)
		if spec.Name == "nowhere.bin" {
			if j.State != Failed || !strings.Contains(j.Reason(), "neither a url nor a directUrl") {
				t.Errorf("%s: %+v", spec.Name, j)
			}
			continue
		}
		if j.State != Done || j.Total != spec.Len() {
			t.Errorf("%s: %+v", spec.Name, j)
			continue
		}
		checkOnDisk(t, dest, spec)
	}
	if tot := r.Totals(); tot.UnknownSize != 0 || tot.Done != 6 || tot.Failed != 1 {
		t.Fatalf("after: %+v", tot)
	}
	st := e.srv.Stats()
	if st.StorageRequests != 1 || st.StorageAuthRejected != 0 || st.FileRequests != int64(len(specs)-2) {
		t.Errorf("stats %+v: want the url-less file from storage, the rest from the API host", st)
	}
}

// Close cancels everything and returns once the engine has let go of its
// files; afterwards nothing can be queued and Wait does not block.
func TestCloseStopsEverything(t *testing.T) {
	e := newEnv(t, manyRun("close", 6), testRetry)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: 10 * time.Second})
	p := &probe{Downloader: e.c}
	r := New(p, Options{Dest: t.TempDir(), Parallel: 2})
	r.Add(e.files...)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait on slow downloads: %v, want the context's deadline", err)
	}
	start := time.Now()
	r.Close()
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v: the downloads did not stop promptly", d)
	}
	if now, peak, _ := p.stats(); now != 0 || peak > 2 {
		t.Fatalf("after Close %d downloads still run (peak %d)", now, peak)
	}
	if tot := r.Totals(); tot.Cancelled != 6 || tot.Active() {
		t.Fatalf("after Close: %+v", tot)
	}
	if n := r.Add(e.files...); n != 0 {
		t.Fatalf("Add after Close queued %d", n)
	}
	if err := r.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Close() // a second Close is harmless
}

// Version changes and Changed signals on every change, coalesced: a reader
// that never reads does not stop the runner.
func TestVersionAndChanged(t *testing.T) {
	e := newEnv(t, manyRun("changes", 30), testRetry)
	r := New(e.c, Options{Dest: t.TempDir(), Parallel: 3})
	defer r.Close()
	v0 := r.Version()
	r.Add(e.files...) // nobody reads Changed while 30 files download
	waitIdle(t, r)
	if r.Version() <= v0+30 {
		t.Fatalf("version went from %d to %d over 30 downloads", v0, r.Version())
	}
	select {
	case <-r.Changed():
	default:
		t.Fatal("no change signalled")
	}
	select {
	case <-r.Changed():
		t.Fatal("changes were not coalesced into one signal")
	default:
	}
	v := r.Version()
	if r.Cancel(e.files[0].Name) || r.Version() != v {
		t.Fatal("a command that changed nothing changed the version")
	}
}

// Commands from many goroutines at once, while downloads run and a reader
// takes snapshots: the limit holds, the counts add up, and every job that
// says Done has its exact bytes on disk.
func TestCommandsFromManyGoroutines(t *testing.T) {
	e := newEnv(t, manyRun("storm", 120), testRetry)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: time.Millisecond})
	dest := t.TempDir()
	p := &probe{Downloader: e.c}
	r := New(p, Options{Dest: dest, Parallel: 4})
	defer r.Close()

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 300 {
				f := e.files[(i*7+g*31)%len(e.files)]
				switch i % 5 {
				case 0, 1:
					r.Add(f)
				case 2:
					r.Cancel(f.Name)
				case 3:
					r.Retry(f.Name)
				case 4:
					r.Jobs(i%len(e.files), 20)
					r.Totals()
				}
			}
		})
	}
	wg.Go(func() { // a UI frame loop
		for range 50 {
			select {
			case <-r.Changed():
			case <-time.After(5 * time.Second):
				return
			}
			if tot := r.Totals(); tot.Running > 4 {
				t.Errorf("%d running", tot.Running)
			}
		}
	})
	wg.Wait()
	r.Add(e.files...) // whatever was cancelled or never added
	waitIdle(t, r)

	if _, peak, _ := p.stats(); peak > 4 {
		t.Fatalf("%d downloads at once", peak)
	}
	tot := r.Totals()
	if tot.Files != len(e.files) || tot.Done+tot.UpToDate != len(e.files) || tot.Finished() != tot.Files {
		t.Fatalf("totals %+v; summary %s", tot, r.Summary())
	}
	specs := map[string]int{}
	for i, s := range e.run.Files {
		specs[s.Name] = i
	}
	for _, j := range r.Jobs(0, r.Len()) {
		checkOnDisk(t, dest, e.run.Files[specs[j.Name]])
	}
}
