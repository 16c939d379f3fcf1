package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// testNow is the fixed clock of every test, so relative times are stable.
var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const testKey = "test-key-0000000000000000000000000000000000"

// quickRetry keeps failing requests short in tests.
var quickRetry = wandb.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxElapsed: time.Second}

// newServer starts a W&B-compatible server with runs and a client for it.
func newServer(t testing.TB, runs ...wandbtest.RunSpec) (*wandbtest.Server, *wandb.Client) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey})
	if err != nil {
		t.Fatalf("starting the test server: %v", err)
	}
	t.Cleanup(srv.Close)
	for _, r := range runs {
		srv.AddRun(r)
	}
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: testKey, Retry: quickRetry})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return srv, c
}

// numberedRun is a run with n files dirD/fileNNNNN.txt, D = N/100, so
// the server's name order is the numbering.
func numberedRun(id string, n int) wandbtest.RunSpec {
	r := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: id, DisplayName: "numbered", State: "finished"}
	for i := range n {
		r.Files = append(r.Files, wandbtest.FileSpec{
			Name:      fmt.Sprintf("dir%d/file%05d.txt", i/100, i),
			Content:   fmt.Appendf(nil, "line of file %d\n", i),
			UpdatedAt: testNow.Add(-time.Duration(i) * time.Hour),
		})
	}
	return r
}

// openRun fetches the run's header through the client, as main does.
func openRun(t testing.TB, c *wandb.Client, ref string) wandb.RunInfo {
	t.Helper()
	r, err := wandb.ParseRunRef(ref, "")
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Run(t.Context(), r)
	if err != nil {
		t.Fatalf("Run(%s): %v", ref, err)
	}
	return info
}

// driver runs the root model's Update loop by hand: commands run
// synchronously, their answers wait in an inbox until settle delivers
// them, so a test can see what is in flight at any moment.
type driver struct {
	t      testing.TB
	m      *Model
	inbox  []tea.Msg
	src    *countingSource
	copied []string // clipboard writes
}

// countingSource records the page queries a driver's model sends.
type countingSource struct {
	Source
	queries []wandb.FilesQuery
}

func (s *countingSource) Files(ctx context.Context, run wandb.RunRef, q wandb.FilesQuery) (wandb.FilesPage, error) {
	s.queries = append(s.queries, q)
	return s.Source.Files(ctx, run, q)
}

func newDriver(t testing.TB, c *wandb.Client, info wandb.RunInfo, opts Options, w, h int) *driver {
	t.Helper()
	src := &countingSource{Source: c}
	opts.Source = src
	opts.Run = info
	opts.Now = func() time.Time { return testNow }
	if opts.Dest == "" {
		opts.Dest = t.TempDir()
	}
	d := &driver{t: t, m: New(flatOpts(opts)), src: src}
	d.run(d.m.Init())
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) update(msg tea.Msg) {
	d.t.Helper()
	mm, cmd := d.m.Update(msg)
	d.m = mm.(*Model)
	d.run(cmd)
}

// run executes cmd and queues its messages; batches are flattened.
func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case spinner.TickMsg:
		// Dropped: the spinner would tick for as long as a page loads.
	case pageFetchedMsg:
		d.inbox = append(d.inbox, msg)
		if n := d.inFlight(); n > 1 {
			d.t.Fatalf("%d page requests in flight at once", n)
		}
	default:
		if s := fmt.Sprintf("%T", msg); s == "tea.setClipboardMsg" {
			d.copied = append(d.copied, fmt.Sprint(msg))
			return
		}
		d.inbox = append(d.inbox, msg)
	}
}

// inFlight counts page answers of the current generation not yet
// delivered; answers to a superseded filter do not count.
func (d *driver) inFlight() int {
	n := 0
	for _, m := range d.inbox {
		if p, ok := m.(pageFetchedMsg); ok && p.gen == d.m.browser.Gen() {
			n++
		}
	}
	return n
}

// settle delivers queued answers (and those they cause) until none is left.
func (d *driver) settle() {
	d.t.Helper()
	for len(d.inbox) > 0 {
		msg := d.inbox[0]
		d.inbox = d.inbox[1:]
		d.update(msg)
	}
}

// press sends keys: named keys ("down", "enter", "esc", "end", "pgdown",
// "ctrl+c", "space", "backspace") or single characters.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.update(keyMsg(k))
	}
}

// typeText sends each rune of s as a key press.
func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "enter": tea.KeyEnter, "esc": tea.KeyEscape,
		"end": tea.KeyEnd, "home": tea.KeyHome, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
		"space": tea.KeySpace, "backspace": tea.KeyBackspace, "tab": tea.KeyTab,
	}
	if c, ok := named[k]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	if rest, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the current frame without ANSI sequences.
func (d *driver) screen() string { return ansi.Strip(d.m.View().Content) }

// flatOpts is opts opening the flat list, as the tests of the flat list
// (written before the folders) expect; folder tests build their own.
func flatOpts(opts Options) Options {
	opts.Flat = true
	return opts
}
