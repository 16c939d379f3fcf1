package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// newDemo starts the demo server and a client for it.
func newDemo(t testing.TB) (*wandbtest.Server, *wandb.Client) {
	t.Helper()
	srv, err := wandbtest.StartDemo()
	if err != nil {
		t.Fatalf("starting the demo server: %v", err)
	}
	t.Cleanup(srv.Close)
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: wandbtest.DemoAPIKey, Retry: quickRetry})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// loopbackPort matches the random ports of the test server; they are
// replaced by text of the same width so wrapping does not change.
var loopbackPort = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// signedParts matches the time-dependent parts of the demo's signed
// storage URLs (date, shortened signature), also where a wrap split
// their X-Goog- prefix off.
var signedParts = regexp.MustCompile(`(Date=)\d{8}T\d{6}Z|(Signature=)[0-9a-f]{6}…[0-9a-f]{4}`)

func normalize(s string) string {
	s = loopbackPort.ReplaceAllStringFunc(s, func(m string) string {
		return fmt.Sprintf("%-*s", len(m), "127.0.0.1:PORT")
	})
	return signedParts.ReplaceAllStringFunc(s, func(m string) string {
		k, v, _ := strings.Cut(m, "=")
		return k + "=" + strings.Repeat("x", len([]rune(v)))
	})
}

// cursorTo moves the cursor to the loaded row named name with key presses.
func (d *driver) cursorTo(name string) {
	d.t.Helper()
	for i := range d.m.browser.Len() {
		if d.m.browser.Row(i).Name == name {
			for range i - d.m.browser.Cursor() {
				d.press("j")
			}
			d.settle()
			return
		}
	}
	d.t.Fatalf("no loaded row %q", name)
}

// TestGolden renders each view of the demo run at 80x24 and 120x40, ANSI
// stripped, with a fixed clock. Refresh with go test ./tui -run Golden -update.
func TestGolden(t *testing.T) {
	_, c := newDemo(t)
	info := openRun(t, c, wandbtest.DemoRun)
	views := map[string]func(d *driver){
		"list": func(d *driver) { d.press("j", "j") },
		"filter": func(d *driver) {
			d.press("/")
			d.typeText("Step_0")
		},
		"filtered": func(d *driver) {
			d.press("/")
			d.typeText("*.json")
			d.press("enter")
			d.settle()
		},
		"sorted": func(d *driver) { d.press("s", "s") },
		"detail": func(d *driver) {
			d.cursorTo("media/html/attention_map.html") // no signed URL: stable text
			d.press("enter")
			d.settle()
		},
		"detail_json": func(d *driver) {
			d.cursorTo("checkpoints/step_01000/adapter_config.json")
			d.press("enter")
			d.settle()
			d.press("j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j") // past the signed URL
		},
		"help":           func(d *driver) { d.press("?") },
		"selected":       func(d *driver) { d.press("space", "j", "space", "space") },
		"downloads":      func(d *driver) { d.press("tab") },
		"downloads_help": func(d *driver) { d.press("tab", "?") },
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for name, act := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				// Wired as the program is: selection and downloads on.
				d := newDriver(t, c, info, Options{Dest: "downloads", Downloader: c}, size[0], size[1])
				d.settle()
				act(d)
				golden.RequireEqual(t, normalize(d.screen()))
			})
		}
	}
}
