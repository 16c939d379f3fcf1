package keymap

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"github.com/charmbracelet/x/ansi"
)

// TestFooterKeepsHelpAndQuit renders each view's short help as the
// footer does (the help bubble at the terminal's width) at every width
// from 40 to 200 columns, with few and with every feature on: "? help"
// and "q quit" must always be there. The filter view is left out: there
// ? and q are typed into the filter (ctrl+c still quits).
func TestFooterKeepsHelpAndQuit(t *testing.T) {
	cases := []struct {
		name string
		view View
		f    Features
	}{
		{"list", ListView, Features{}},
		{"list with downloads", ListView, Features{Selection: true, Downloads: true}},
		{"list, everything", ListView, everything(NoPrompt)},
		{"detail", DetailView, Features{}},
		{"detail, everything", DetailView, everything(NoPrompt)},
		{"help", HelpView, everything(NoPrompt)},
		{"downloads", DownloadsView, Features{Downloads: true}},
		{"downloads, everything", DownloadsView, everything(NoPrompt)},
	}
	for _, c := range cases {
		k := Default().ForView(c.view, c.f)
		for w := 40; w <= 200; w++ {
			h := help.New()
			h.SetWidth(w)
			out := ansi.Strip(h.ShortHelpView(k.ShortHelp()))
			if !strings.Contains(out, "? help") || !strings.Contains(out, "q quit") {
				t.Errorf("%s at %d columns: footer %q lacks ? help or q quit", c.name, w, out)
			}
		}
	}
}

// TestFooterAt80 checks that at 80 columns the list footer offers the
// downloads view once downloads are wired, next to selecting and
// downloading.
func TestFooterAt80(t *testing.T) {
	h := help.New()
	h.SetWidth(80)
	k := Default().ForView(ListView, Features{Selection: true, Downloads: true})
	out := ansi.Strip(h.ShortHelpView(k.ShortHelp()))
	for _, want := range []string{"/ filter", "space select", "d download", "tab downloads"} {
		if !strings.Contains(out, want) {
			t.Errorf("footer at 80 columns %q lacks %q", out, want)
		}
	}
}
