package tui

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// --- helpers -------------------------------------------------------------

// blockingPreviews is a Source whose previews block until their context
// ends; each call's context is sent on calls.
type blockingPreviews struct{ calls chan context.Context }

func (s *blockingPreviews) Files(context.Context, wandb.RunRef, wandb.FilesQuery) (wandb.FilesPage, error) {
	return wandb.FilesPage{}, nil
}
func (s *blockingPreviews) FilePages(context.Context, wandb.RunRef, wandb.FilesQuery) iter.Seq2[wandb.FilesPage, error] {
	return func(func(wandb.FilesPage, error) bool) {}
}
func (s *blockingPreviews) Preview(ctx context.Context, f wandb.File, max int64) ([]byte, bool, error) {
	s.calls <- ctx
	<-ctx.Done()
	return nil, false, ctx.Err()
}

// runAll runs cmd and its batched parts, each on its own goroutine, and
// sends their messages to out.
func runAll(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				runAll(c, out)
			}
			return
		}
		out <- msg
	}()
}

func textModel(t *testing.T, src Source) *Model {
	m := New(Options{Flat: true, Source: src, Run: wandb.RunInfo{Ref: wandb.RunRef{Entity: "e", Project: "p", RunID: "r"}},
		Now: func() time.Time { return testNow }, Dest: t.TempDir()})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	req, _ := m.browser.Next()
	m.browser.Receive(req.Gen, wandb.FilesPage{Files: []wandb.File{
		{ID: "1", Name: "output.log", Mimetype: "text/plain", SizeBytes: 10},
	}}, nil)
	return m
}

// --- 1. detail view: a cancelled preview's answer lands in the reopened view

func TestReopenedDetailShowsCancelledPreview(t *testing.T) {
	src := &blockingPreviews{calls: make(chan context.Context, 4)}
	m := textModel(t, src)
	out := make(chan tea.Msg, 16)

	runAll(m.openDetail(), out) // first fetch
	ctx1 := <-src.calls
	m.Update(keyMsg("esc")) // leaves: the first fetch is cancelled
	if ctx1.Err() == nil {
		t.Fatal("esc did not cancel the first preview")
	}
	_, cmd := m.Update(keyMsg("enter")) // reopens the same file at once
	if m.State() != "detail" {
		t.Fatalf("state %s", m.State())
	}
	runAll(cmd, out)
	ctx2 := <-src.calls

	// The first, cancelled fetch answers now.
	for msg := range out {
		if p, ok := msg.(previewFetchedMsg); ok {
			m.Update(p)
			break
		}
	}
	if s := ansi.Strip(m.View().Content); strings.Contains(s, "context canceled") {
		t.Errorf("the reopened detail view shows the cancelled fetch's error while its own fetch runs:\n%s", s)
	}
	m.Update(keyMsg("esc")) // leaving again must stop the second fetch
	time.Sleep(50 * time.Millisecond)
	if ctx2.Err() == nil {
		t.Errorf("leaving the reopened view did not cancel its preview fetch (the stale answer cleared d.cancel)")
	}
}

// --- 2. frame cache: the runner finishing between Version and Totals ----

// hookDL is a Downloader whose downloads run until released.
type hookDL struct{ release chan struct{} }

func (d *hookDL) Download(ctx context.Context, f wandb.File, _ string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	if opts.Progress != nil {
		opts.Progress(wandb.Progress{Name: f.Name, Done: 5, Total: 10})
	}
	select {
	case <-d.release:
		return wandb.DownloadResult{Name: f.Name, Status: wandb.Downloaded, Bytes: 10}, nil
	case <-ctx.Done():
		return wandb.DownloadResult{Name: f.Name}, ctx.Err()
	}
}

func TestLastChangeNeverDrawn(t *testing.T) {
	dl := &hookDL{release: make(chan struct{})}
	var armed atomic.Bool
	var calls atomic.Int32
	inLock, resume := make(chan struct{}), make(chan struct{})
	now := func() time.Time {
		// The worker's second clock read after the download returned is
		// under the runner's lock, after the job was marked done and
		// before the version is bumped.
		if armed.Load() && calls.Add(1) == 2 {
			close(inLock)
			<-resume
		}
		return time.Now()
	}
	m := New(Options{Flat: true, Downloader: dl, Dest: t.TempDir()})
	run := runner.New(dl, runner.Options{Dest: t.TempDir(), Now: now})
	t.Cleanup(run.Close)
	m.dl.run, m.jobs.run, m.dl.dest = run, run, run.Dest()
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 20})
	m.Update(keyMsg("tab"))

	m.dl.enqueue(m.dl.target(), []wandb.File{{Name: "a.bin", SizeBytes: 10}}, false)
	waitRunner(t, run, "the progress report", func() bool { j, _ := run.Lookup("a.bin"); return j.Done == 5 })
	m.Update(frameMsg{}) // sees the progress
	before := ansi.Strip(m.View().Content)
	if !strings.Contains(before, "1 running") {
		t.Fatalf("not running:\n%s", before)
	}

	armed.Store(true)
	close(dl.release)
	<-inLock // the job is Done, the version not yet bumped

	var cmd tea.Cmd
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.dl.ticking = true // the tick that is delivered now
		_, cmd = m.Update(frameMsg{})
	}()
	time.Sleep(100 * time.Millisecond) // Update has read Version and waits in Totals
	close(resume)
	<-done

	if cmd != nil {
		t.Logf("another tick was scheduled (the race was not hit)")
		return
	}
	if s := ansi.Strip(m.View().Content); strings.Contains(s, "1 running") {
		t.Errorf("the frame ticks stopped, yet the screen still shows the download running:\n%s", s)
	}
}

// --- 3. quit-and-wait cannot be taken back ---------------------------------

func TestKeepGoingAfterWaitStillQuits(t *testing.T) {
	r := newMsgRoot(t, 120, 30)
	r.m.dl.enqueue(r.m.dl.target(), []wandb.File{{Name: "a.bin", SizeBytes: 1}}, false)
	r.dl.call(t, "a.bin")
	r.press("q")
	r.press("w") // quit when done
	r.press("q")
	if q, ok := r.m.asks.front(); !ok || q.kind != askQuit {
		t.Fatalf("no quit question")
	}
	r.press("n") // "keep going"
	if strings.Contains(r.screen(), "quitting when") {
		t.Logf("the screen says it will quit")
	}
	r.dl.finish(t, r.m.Runner(), "a.bin", wandb.DownloadResult{Name: "a.bin", Status: wandb.Downloaded, Bytes: 1}, nil)
	r.m.dl.ticking = true
	cmd := r.update(frameMsg{})
	if cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Errorf("after answering the second quit question 'n' (keep going) the program still quits when the downloads finish")
		}
	}
}

// --- 4. TERM=dumb marker hides the selection mark of the cursor row -------

func TestPlainMarkerHidesSelection(t *testing.T) {
	m := loadedModel(10, 100, 24)
	m.Update(tea.ColorProfileMsg{Profile: colorprofile.NoTTY})
	m.browser.SetCursor(4) // selected (every other file is)
	if !m.Selection().Has(m.browser.Row(4).Name) {
		t.Fatal("row 4 not selected")
	}
	s := ansi.Strip(m.View().Content)
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, ">") {
			if !strings.Contains(line, SelectedMark) {
				t.Errorf("TERM=dumb: the cursor row of a selected file shows no %s: %q", SelectedMark, line)
			}
			return
		}
	}
	t.Fatalf("no marked row:\n%s", s)
}

var _ = fmt.Sprint
var _ sync.Mutex

// --- 5. a cancelled download that completes anyway flips to Done with no tick

// lateDL is a Downloader whose download ends (successfully) only when
// released, as the engine does when a cancel comes during its final
// fsync and rename.
type lateDL struct{ release chan struct{} }

func (d *lateDL) Download(ctx context.Context, f wandb.File, _ string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	<-d.release
	return wandb.DownloadResult{Name: f.Name, Status: wandb.Downloaded, Bytes: 10, Path: "/x/" + f.Name}, nil
}

func TestCancelledThenDoneNotDrawn(t *testing.T) {
	dl := &lateDL{release: make(chan struct{})}
	m := New(Options{Flat: true, Downloader: dl, Dest: t.TempDir()})
	t.Cleanup(m.Runner().Close)
	var release sync.Once
	t.Cleanup(func() { release.Do(func() { close(dl.release) }) }) // runs before Close
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 20})
	if cmd := m.dl.enqueue(m.dl.target(), []wandb.File{{Name: "big.bin", SizeBytes: 10}}, false); cmd == nil {
		t.Fatal("no tick")
	}
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("x")) // cancel the job under the cursor
	if _, cmd := m.Update(frameMsg{}); cmd == nil {
		t.Fatal("the ticks stopped while the cancelled download is still inside the engine")
	}
	_ = m.View() // the program draws after every Update
	release.Do(func() { close(dl.release) })
	waitRunner(t, m.Runner(), "the late success", func() bool { j, _ := m.Runner().Lookup("big.bin"); return j.State == runner.Done })
	waitRunner(t, m.Runner(), "the engine to return", func() bool { return m.Runner().Totals().Busy == 0 })
	// The tick that was pending arrives and draws the late change; none
	// follows it.
	if _, cmd := m.Update(frameMsg{}); cmd != nil {
		t.Error("the ticks go on with nothing left in the engine")
	}
	if s := ansi.Strip(m.View().Content); !strings.Contains(s, "1 of 1 done") || strings.Contains(s, "cancelled") {
		t.Errorf("the job is Done in the runner, but the screen still says:\n%s", s)
	}
}

// --- 6. d pressed twice asks the same large batch twice -------------------

func TestDoubleDownloadKeyAsksTwice(t *testing.T) {
	r := newMsgRoot(t, 120, 30)
	files := manyFiles(runner.ConfirmFiles+1, 1000)
	// d, d: each request checks the free space in the background before
	// anything is queued, so both checks come back with the same files.
	c1 := r.m.dl.request(files, false)
	c2 := r.m.dl.request(files, false)
	r.update(c1())
	r.update(c2())
	if n := len(r.m.asks.queue); n != 1 {
		t.Errorf("%d questions queued for one batch", n)
	}
	r.press("y") // download
	if q, ok := r.m.asks.front(); ok {
		t.Logf("still asking: %s", r.m.asks.View())
		r.press("n")
		t.Logf("after declining the duplicate: status %q, active %d", r.m.dl.status, r.m.Runner().Totals().Queued+r.m.Runner().Totals().Running)
		_ = q
	}
}

// --- 7. the quit question outlives the downloads it asks about -----------

func TestQuitQuestionAfterDownloadsEnd(t *testing.T) {
	r := newMsgRoot(t, 120, 30)
	r.m.dl.enqueue(r.m.dl.target(), []wandb.File{{Name: "a.bin", SizeBytes: 1}}, false)
	r.dl.call(t, "a.bin")
	r.press("q")
	r.dl.finish(t, r.m.Runner(), "a.bin", wandb.DownloadResult{Name: "a.bin", Status: wandb.Downloaded, Bytes: 1}, nil)
	r.m.dl.ticking = true
	r.update(frameMsg{})
	if r.m.asks.Open() {
		t.Errorf("nothing downloads any more, yet the quit question stays: %q", lastLine(r.screen()))
	}
}

// --- 8. a batch with no files view recorded lands in the one shown -------

// A message that carries no target (sent by a caller that knows only the
// files) queues into the folder of the files view shown, never into the
// process's working folder. It failed before enqueue fell back to the
// view shown: the files went to ".".
func TestBatchWithoutTargetLandsInTheViewShown(t *testing.T) {
	r := newMsgRoot(t, 120, 30)
	dest := r.m.dl.dest
	r.update(filesRefreshedMsg{files: []wandb.File{{Name: "a.bin", SizeBytes: 1}}})
	jobs := r.m.Runner().Jobs(0, 1)
	if len(jobs) != 1 || jobs[0].Dest != dest {
		t.Fatalf("jobs %+v; want one in %s", jobs, dest)
	}
}
