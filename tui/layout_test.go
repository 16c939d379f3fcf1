package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestFramesFitEverySize resizes each view through many sizes: every
// frame has exactly the terminal's height in lines and no line is wider
// than the terminal, so nothing wraps or scrolls the alt screen.
func TestFramesFitEverySize(t *testing.T) {
	_, c := newDemo(t)
	info := openRun(t, c, wandbtest.DemoRun)
	d := newDriver(t, c, info, Options{Dest: "downloads", Downloader: c}, 80, 24)
	d.settle()
	d.cursorTo("media/html/attention_map.html")
	enter := map[string]func(){
		"list":   func() {},
		"filter": func() { d.press("/"); d.typeText("ü %") },
		"detail": func() { d.press("enter"); d.settle() },
		"help":   func() { d.press("?") },
		"downloads": func() {
			d.press("tab")
		},
		"prompt": func() {
			d.press("A") // the select-all question over the list
			d.settle()
		},
	}
	leave := map[string]func(){
		"list":   func() {},
		"filter": func() { d.press("esc"); d.settle() },
		"detail": func() { d.press("esc") },
		"help":   func() { d.press("?") },
		"downloads": func() {
			d.press("tab")
		},
		"prompt": func() { d.press("n") },
	}
	sizes := [][2]int{{40, 10}, {41, 11}, {59, 17}, {60, 20}, {79, 23}, {80, 24}, {99, 30}, {120, 40}, {200, 60}}
	state := map[string]string{"prompt": "list"}
	for _, view := range []string{"list", "filter", "detail", "help", "downloads", "prompt"} {
		enter[view]()
		for _, sz := range sizes {
			w, h := sz[0], sz[1]
			d.update(tea.WindowSizeMsg{Width: w, Height: h})
			frame := d.m.View().Content
			lines := strings.Split(frame, "\n")
			if len(lines) != h {
				t.Errorf("%s at %dx%d: %d lines", view, w, h, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%s at %dx%d: line %d is %d cells: %q", view, w, h, i, lw, ansi.Strip(l))
				}
			}
		}
		d.update(tea.WindowSizeMsg{Width: 80, Height: 24})
		want := view
		if s, ok := state[view]; ok {
			want = s
		}
		if got := d.m.State(); got != want {
			t.Fatalf("resizing left %s for %s", view, got)
		}
		leave[view]()
	}
	if s := fmt.Sprint(d.m.State()); s != "list" {
		t.Fatalf("ended in %s", s)
	}
}
