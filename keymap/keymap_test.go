package keymap

import (
	"slices"
	"testing"

	"charm.land/bubbles/v2/key"
)

// enabled lists the help keys of the enabled bindings in groups.
func enabled(groups [][]key.Binding) []string {
	var out []string
	for _, g := range groups {
		for _, b := range g {
			if b.Enabled() {
				out = append(out, b.Help().Key)
			}
		}
	}
	return out
}

var (
	views   = []View{ListView, FilterView, DetailView, HelpView, DownloadsView}
	prompts = []Prompt{NoPrompt, YesNoPrompt, QuitPrompt}
	allJobs = Jobs{Several: true, CursorActive: true, CursorRetryable: true, AnyActive: true, AnyFailed: true}
)

// everything is every feature on, with the given question open.
func everything(p Prompt) Features {
	return Features{Selection: true, Downloads: true, Retry: true, Filtered: true, Jobs: allJobs, Prompt: p}
}

// TestNoConflicts checks that within each view, and under each question,
// no key is bound twice among the enabled bindings, with every feature on.
// It looks at every binding, not only those the help shows.
func TestNoConflicts(t *testing.T) {
	for _, v := range views {
		for _, p := range prompts {
			km := Default().ForView(v, everything(p))
			seen := map[string]string{}
			for _, b := range km.all() {
				if !b.Enabled() {
					continue
				}
				for _, k := range b.Keys() {
					if other, dup := seen[k]; dup {
						t.Errorf("view %d, prompt %d: %q is bound to %q and %q", v, p, k, other, b.Help().Desc)
					}
					seen[k] = b.Help().Desc
				}
			}
		}
	}
}

// TestHelpShowsEveryEnabledBinding checks that the full help of each view
// lists every binding that is enabled in it, and nothing disabled is
// matched: a key that acts is a key the help names.
func TestHelpShowsEveryEnabledBinding(t *testing.T) {
	for _, v := range views {
		for _, p := range prompts {
			km := Default().ForView(v, everything(p))
			shown := enabled(km.FullHelp())
			for _, b := range km.all() {
				if b.Enabled() && !slices.Contains(shown, b.Help().Key) {
					t.Errorf("view %d, prompt %d: %s (%s) is enabled but not in the help %v",
						v, p, b.Help().Key, b.Help().Desc, shown)
				}
			}
		}
	}
}

// TestForView checks what help shows in each view.
func TestForView(t *testing.T) {
	list := enabled(Default().ForView(ListView, Features{}).FullHelp())
	for _, want := range []string{"↑/k", "G/end", "/", "enter", "s", "?", "q", "ctrl+c"} {
		if !slices.Contains(list, want) {
			t.Errorf("list view lacks %s: %v", want, list)
		}
	}
	for _, absent := range []string{"r", "space", "d", "tab", "y", "esc"} {
		if slices.Contains(list, absent) {
			t.Errorf("list view offers %s without its feature or state", absent)
		}
	}
	withRetry := enabled(Default().ForView(ListView, Features{Retry: true, Filtered: true}).FullHelp())
	if !slices.Contains(withRetry, "r") || !slices.Contains(withRetry, "esc") {
		t.Errorf("retry or clear filter missing: %v", withRetry)
	}
	filter := enabled([][]key.Binding{Default().ForView(FilterView, Features{}).ShortHelp()})
	if !slices.Equal(filter, []string{"enter", "esc"}) {
		t.Errorf("filter view short help %v; want enter, esc (q must type)", filter)
	}
	detail := enabled(Default().ForView(DetailView, Features{}).FullHelp())
	if !slices.Contains(detail, "y") || !slices.Contains(detail, "esc") || slices.Contains(detail, "/") {
		t.Errorf("detail view keys %v", detail)
	}
	dl := enabled(Default().ForView(ListView, Features{Selection: true, Downloads: true, Jobs: allJobs}).FullHelp())
	for _, want := range []string{"space", "a", "A", "c/x", "d", "tab"} {
		if !slices.Contains(dl, want) {
			t.Errorf("wired downloads but %s missing: %v", want, dl)
		}
	}
	for _, absent := range []string{"x", "X", "R", "r"} {
		if slices.Contains(dl, absent) {
			t.Errorf("list view offers the downloads view's %s: %v", absent, dl)
		}
	}
}

// TestDownloadsViewKeys checks that each key of the downloads view is
// offered exactly when there is something for it to act on.
func TestDownloadsViewKeys(t *testing.T) {
	none := enabled(Default().ForView(DownloadsView, Features{Downloads: true}).FullHelp())
	if want := []string{"tab", "?", "q", "ctrl+c", "ctrl+z"}; !slices.Equal(none, want) {
		t.Errorf("downloads view without jobs: %v; want %v", none, want)
	}
	base := enabled(Default().ForView(DownloadsView, Features{Downloads: true, Jobs: Jobs{Several: true}}).FullHelp())
	want := []string{"↑/k", "↓/j", "pgup/ctrl+u", "pgdn/ctrl+d", "g/home", "G/end", "tab", "?", "q", "ctrl+c", "ctrl+z"}
	if !slices.Equal(base, want) {
		t.Errorf("downloads view with jobs: %v; want %v", base, want)
	}
	for _, c := range []struct {
		jobs Jobs
		key  string
	}{
		{Jobs{CursorActive: true}, "x"},
		{Jobs{AnyActive: true}, "X"},
		{Jobs{CursorRetryable: true}, "r"},
		{Jobs{AnyFailed: true}, "R"},
	} {
		c.jobs.Several = true
		got := enabled(Default().ForView(DownloadsView, Features{Downloads: true, Jobs: c.jobs}).FullHelp())
		if extra := slices.DeleteFunc(got, func(k string) bool { return slices.Contains(want, k) }); !slices.Equal(extra, []string{c.key}) {
			t.Errorf("jobs %+v: downloads-view keys %v; want just %s", c.jobs, extra, c.key)
		}
	}
	off := enabled(Default().ForView(DownloadsView, Features{Jobs: allJobs}).FullHelp())
	if !slices.Equal(off, []string{"?", "q", "ctrl+c", "ctrl+z"}) {
		t.Errorf("downloads view without the downloads feature offers %v", off)
	}
	short := enabled([][]key.Binding{Default().ForView(DownloadsView, everything(NoPrompt)).ShortHelp()})
	if !slices.Equal(short, []string{"?", "q", "x", "X", "r", "R", "tab"}) {
		t.Errorf("downloads view short help %v", short)
	}
}

// TestPromptTakesEveryKey checks that an open question leaves only its
// answers and ctrl+c enabled, whatever the view.
func TestPromptTakesEveryKey(t *testing.T) {
	for _, v := range views {
		yn := Default().ForView(v, everything(YesNoPrompt))
		if got := enabled([][]key.Binding{yn.ShortHelp()}); !slices.Equal(got, []string{"y", "n/esc"}) {
			t.Errorf("view %d, yes/no question: short help %v", v, got)
		}
		quit := Default().ForView(v, everything(QuitPrompt))
		if got := enabled([][]key.Binding{quit.ShortHelp()}); !slices.Equal(got, []string{"y", "w", "n/esc"}) {
			t.Errorf("view %d, quit question: short help %v", v, got)
		}
		for _, km := range []KeyMap{yn, quit} {
			var on []string
			for _, b := range km.all() {
				if b.Enabled() {
					on = append(on, b.Keys()...)
				}
			}
			for _, k := range on {
				if !slices.Contains([]string{"y", "enter", "w", "n", "esc", "ctrl+c"}, k) {
					t.Errorf("view %d: %q still enabled under a question (%v)", v, k, on)
				}
			}
		}
	}
	if Default().ForView(ListView, everything(NoPrompt)).Confirm.Enabled() {
		t.Error("y is enabled with no question open")
	}
}
