package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

const dlTestKey = "dl-test-key-000000000000000000000000000000"

// dlRetry keeps failing downloads short in tests.
var dlRetry = wandb.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxElapsed: 2 * time.Second}

// dlServer starts a W&B-compatible server holding run and returns it with
// a client and the run's files as the client lists them.
func dlServer(t testing.TB, run wandbtest.RunSpec) (*wandbtest.Server, *wandb.Client, []wandb.File) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: dlTestKey})
	if err != nil {
		t.Fatalf("starting the test server: %v", err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(run)
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: dlTestKey, Retry: dlRetry})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return srv, c, dlListAll(t, c, dlRef(run))
}

func dlRef(run wandbtest.RunSpec) wandb.RunRef {
	return wandb.RunRef{Entity: run.Entity, Project: run.Project, RunID: run.ID}
}

// dlListAll lists every file of ref, page by page.
func dlListAll(t testing.TB, c *wandb.Client, ref wandb.RunRef) []wandb.File {
	t.Helper()
	var files []wandb.File
	q := wandb.FilesQuery{First: wandb.MaxPageSize}
	for {
		page, err := c.Files(context.Background(), ref, q)
		if err != nil {
			t.Fatalf("listing %s: %v", ref, err)
		}
		files = append(files, page.Files...)
		if !page.HasNextPage {
			return files
		}
		q.After = page.EndCursor
	}
}

// dlRun is a run of n small generated files of varied sizes.
func dlRun(id string, n int) wandbtest.RunSpec {
	r := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: id, State: "finished"}
	for i := range n {
		r.Files = append(r.Files, wandbtest.FileSpec{
			Name: fmt.Sprintf("part%d/file%04d.bin", i%4, i),
			Size: int64(1 + (i*977)%6000),
		})
	}
	return r
}

// concurrencyProbe wraps the real engine and records how many downloads
// ran inside it at once.
type concurrencyProbe struct {
	Downloader
	mu        sync.Mutex
	now, peak int
	calls     int
}

func (p *concurrencyProbe) Download(ctx context.Context, f wandb.File, dest string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	p.mu.Lock()
	p.now++
	p.calls++
	p.peak = max(p.peak, p.now)
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.now--
		p.mu.Unlock()
	}()
	return p.Downloader.Download(ctx, f, dest, opts)
}

func (p *concurrencyProbe) stats() (peak, calls int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak, p.calls
}

// dlHarness runs a Downloads model the way the Bubble Tea runtime does:
// every command runs on its own goroutine, and the messages they return
// go through Update one at a time on the test goroutine.
type dlHarness struct {
	t        testing.TB
	d        Downloads
	msgs     chan tea.Msg
	inFlight int // commands running
	quit     bool
	// maxRunning is the most jobs the model had Running after any Update.
	maxRunning int
}

func newDLHarness(t testing.TB, opts DownloadsOptions, width, height int) *dlHarness {
	d := NewDownloads(opts)
	d.SetSize(width, height)
	h := &dlHarness{t: t, d: d, msgs: make(chan tea.Msg, 64)}
	t.Cleanup(h.drain)
	return h
}

// run starts cmd on its own goroutine.
func (h *dlHarness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.inFlight++
	go func() { h.msgs <- cmd() }()
}

// deliver feeds one message to the model, expanding batches.
func (h *dlHarness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	case tea.KeyPressMsg:
	default:
		// The root routes by isDownloadMsg: every message the downloads'
		// commands produce must pass it, or it would never arrive.
		if !isDownloadMsg(msg) {
			h.t.Errorf("message %T would not be routed to the downloads", msg)
		}
	}
	d, cmd := h.d.Update(msg)
	h.d = d
	h.maxRunning = max(h.maxRunning, h.d.jobs.Count(model.Running))
	h.run(cmd)
}

// press sends a key to the model.
func (h *dlHarness) press(k string) {
	h.t.Helper()
	h.deliver(dlKey(k))
}

// do runs a command the test got from the model's API (Enqueue, Request).
func (h *dlHarness) do(cmd tea.Cmd) { h.run(cmd) }

// until delivers messages until cond holds, failing after timeout.
func (h *dlHarness) until(what string, timeout time.Duration, cond func() bool) {
	h.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !cond() {
		if h.inFlight == 0 {
			h.t.Fatalf("waiting for %s: no command left running; state:\n%s", what, h.d.View())
		}
		select {
		case msg := <-h.msgs:
			h.inFlight--
			h.deliver(msg)
		case <-deadline.C:
			h.t.Fatalf("waiting for %s: timed out after %v; state:\n%s", what, timeout, h.d.View())
		}
	}
}

// settle delivers messages until no command is left running.
func (h *dlHarness) settle(timeout time.Duration) {
	h.t.Helper()
	h.until("all commands to end", timeout, func() bool { return h.inFlight == 0 })
}

// drain cancels whatever still runs and waits for it, so no download
// outlives its test.
func (h *dlHarness) drain() {
	h.d.CancelAll()
	deadline := time.After(10 * time.Second)
	for h.inFlight > 0 {
		select {
		case msg := <-h.msgs:
			h.inFlight--
			h.deliver(msg)
		case <-deadline:
			h.t.Errorf("downloads still running 10 s after cancel")
			return
		}
	}
}

// dlKey builds a key press: a named key or one character.
func dlKey(k string) tea.KeyPressMsg {
	switch k {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// checkOnDisk fails unless dest/<name> holds exactly spec's content.
func checkOnDisk(t testing.TB, dest string, spec wandbtest.FileSpec) {
	t.Helper()
	got, err := os.Open(filepath.Join(dest, filepath.FromSlash(spec.Name)))
	if err != nil {
		t.Fatalf("%s: %v", spec.Name, err)
	}
	defer got.Close()
	if err := sameReaders(got, spec.Open()); err != nil {
		t.Fatalf("%s on disk: %v", spec.Name, err)
	}
}

// sameReaders compares two streams chunk by chunk, so large files cost no
// memory.
func sameReaders(a, b io.Reader) error {
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	var off int64
	for {
		na, errA := io.ReadFull(a, bufA)
		nb, errB := io.ReadFull(b, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return fmt.Errorf("content differs in the %d bytes from offset %d (%d vs %d bytes read)", max(na, nb), off, na, nb)
		}
		off += int64(na)
		endA := errA == io.EOF || errA == io.ErrUnexpectedEOF
		endB := errB == io.EOF || errB == io.ErrUnexpectedEOF
		if endA && endB {
			return nil
		}
		if endA != endB {
			return fmt.Errorf("lengths differ after %d bytes", off)
		}
		if errA != nil && !endA {
			return errA
		}
		if errB != nil && !endB {
			return errB
		}
	}
}

// noFinalFile fails when dest/<name> exists.
func noFinalFile(t testing.TB, dest, name string) {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(name))); err == nil {
		t.Fatalf("%s exists under its final name", name)
	}
}

// stripped is the view without ANSI sequences.
func (h *dlHarness) stripped() string { return ansi.Strip(h.d.View()) }
