package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/wandb"
)

// rootHarness runs the root model as the program does: each command on
// its own goroutine, their messages delivered one at a time to Update.
// Unlike driver, downloads really run in parallel with key presses, so a
// test can press keys while they are under way.
type rootHarness struct {
	t        testing.TB
	m        *Model
	msgs     chan tea.Msg
	inFlight int
	quit     bool // a tea.Quit came back
}

// newRootHarness builds the wired root model (selection and downloads on,
// c as Source and Downloader) over run info, sized w x h, and loads the
// first page.
func newRootHarness(t testing.TB, c *wandb.Client, info wandb.RunInfo, opts Options, w, h int) *rootHarness {
	t.Helper()
	opts.Source, opts.Downloader, opts.Run = c, c, info
	opts.Now = func() time.Time { return testNow }
	if opts.Dest == "" {
		opts.Dest = t.TempDir()
	}
	r := &rootHarness{t: t, m: New(flatOpts(opts)), msgs: make(chan tea.Msg, 256)}
	t.Cleanup(r.drain)
	r.run(r.m.Init())
	r.update(tea.WindowSizeMsg{Width: w, Height: h})
	r.until("the first page", 10*time.Second, func() bool { return r.m.browser.Pages() > 0 })
	return r
}

// run starts cmd on its own goroutine; batches are split so each part
// runs on its own, as in the program.
func (r *rootHarness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	r.inFlight++
	go func() { r.msgs <- cmd() }()
}

// update delivers one message.
func (r *rootHarness) update(msg tea.Msg) {
	r.t.Helper()
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			r.run(c)
		}
		return
	case tea.QuitMsg:
		r.quit = true
		return
	case spinner.TickMsg:
		return // it would tick for as long as a page loads
	}
	if t := fmt.Sprintf("%T", msg); strings.HasPrefix(t, "cursor.") || t == "tea.setClipboardMsg" {
		return // the filter's blinking cursor would never stop
	}
	mm, cmd := r.m.Update(msg)
	r.m = mm.(*Model)
	r.run(cmd)
}

// press sends keys as driver.press does.
func (r *rootHarness) press(keys ...string) {
	r.t.Helper()
	for _, k := range keys {
		r.update(keyMsg(k))
	}
}

// until delivers messages until cond holds, failing after timeout.
func (r *rootHarness) until(what string, timeout time.Duration, cond func() bool) {
	r.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !cond() {
		if r.inFlight == 0 {
			r.t.Fatalf("waiting for %s: no command left running; screen:\n%s", what, r.screen())
		}
		select {
		case msg := <-r.msgs:
			r.inFlight--
			r.update(msg)
		case <-deadline.C:
			r.t.Fatalf("waiting for %s: timed out after %v; screen:\n%s", what, timeout, r.screen())
		}
	}
}

// settle delivers messages until no command is left running.
func (r *rootHarness) settle() {
	r.t.Helper()
	r.until("every command to end", 30*time.Second, func() bool { return r.inFlight == 0 })
}

// drain cancels the downloads still running and waits for their
// commands, so none outlives the test.
func (r *rootHarness) drain() {
	if run := r.m.Runner(); run != nil {
		run.Close() // cancels every download and waits for them
	}
	deadline := time.After(10 * time.Second)
	for r.inFlight > 0 {
		select {
		case msg := <-r.msgs:
			r.inFlight--
			r.update(msg)
		case <-deadline:
			r.t.Errorf("commands still running 10 s after cancel")
			return
		}
	}
}

// screen is the current frame without ANSI sequences.
func (r *rootHarness) screen() string { return ansi.Strip(r.m.View().Content) }

// jobState is the state column of the file called name.
func (r *rootHarness) jobState(name string) string {
	j, ok := r.m.dl.job(name)
	if !ok {
		return ""
	}
	return jobStateText(j)
}

// typeText sends each rune of s as a key press.
func (r *rootHarness) typeText(s string) {
	r.t.Helper()
	for _, ch := range s {
		r.update(tea.KeyPressMsg{Code: ch, Text: string(ch)})
	}
}
