package tui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// screenLog reads a program's output. The v2 renderer writes only the
// cells that changed, so a string on screen may never appear whole in the
// stream; waitFor therefore asks for a full repaint (tea.ClearScreen)
// before each look and searches that repaint, ANSI stripped.
type screenLog struct {
	last string
}

// waitFor repaints and reads until the screen shows want.
func (s *screenLog) waitFor(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		tm.Send(tea.ClearScreen())
		time.Sleep(20 * time.Millisecond)
		b, err := io.ReadAll(tm.Output())
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 0 {
			s.last = ansi.Strip(string(b))
		}
		if strings.Contains(s.last, want) {
			return
		}
	}
	t.Fatalf("the screen never showed %q; last output:\n%s", want, s.last)
}

func startProgram(t *testing.T, opts Options, w, h int) (*teatest.TestModel, *screenLog) {
	t.Helper()
	opts.Now = func() time.Time { return testNow }
	if opts.Dest == "" {
		opts.Dest = t.TempDir()
	}
	tm := teatest.NewTestModel(t, New(flatOpts(opts)),
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	// A failed test must not leave its program running behind it.
	t.Cleanup(func() { tm.GetProgram().Kill() })
	return tm, &screenLog{}
}

func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

// TestProgramBrowseFilterDetail runs the real program on the demo run:
// list, server filter, details with preview, back, quit.
func TestProgramBrowseFilterDetail(t *testing.T) {
	_, c := newDemo(t)
	info := openRun(t, c, wandbtest.DemoRun)
	tm, scr := startProgram(t, Options{Source: c, Run: info}, 100, 30)
	scr.waitFor(t, tm, "50 of 78 files loaded")
	press(tm, "/")
	tm.Type("*.json")
	press(tm, "enter")
	scr.waitFor(t, tm, `filter "*.json"`)
	scr.waitFor(t, tm, "end of list")
	press(tm, "enter")
	scr.waitFor(t, tm, "── preview")
	scr.waitFor(t, tm, `"peft_type": "LORA"`) // pretty-printed JSON
	press(tm, "esc", "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	if final.browser.Pattern() != "%.json" || final.State() != "list" {
		t.Fatalf("final state %s pattern %q", final.State(), final.browser.Pattern())
	}
	for i := range final.browser.Len() {
		if n := final.browser.Row(i).Name; !strings.HasSuffix(n, ".json") {
			t.Fatalf("row %q after the *.json filter", n)
		}
	}
}

// TestProgramPagesLargeRun scrolls a 20,000-file run to the end of the
// loaded rows a few times: each G loads one more page, never the run.
func TestProgramPagesLargeRun(t *testing.T) {
	srv, c := newDemo(t)
	info := openRun(t, c, wandbtest.DemoSweepRun)
	tm, scr := startProgram(t, Options{Source: c, Run: info, PageSize: 100}, 120, 40)
	scr.waitFor(t, tm, "100 of 20,484 files loaded")
	for _, want := range []string{"200 of 20,484", "300 of 20,484", "400 of 20,484"} {
		press(tm, "G")
		scr.waitFor(t, tm, want)
	}
	before := srv.Stats().GraphQLRequests
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	if final.browser.Loaded() != 400 || final.browser.Cursor() != 299 {
		t.Fatalf("loaded %d cursor %d; want 400 loaded, cursor on row 299", final.browser.Loaded(), final.browser.Cursor())
	}
	if got := srv.Stats().GraphQLRequests; got != before {
		t.Fatalf("requests went on after quitting: %d then %d", before, got)
	}
}
