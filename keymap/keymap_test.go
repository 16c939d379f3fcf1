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

// TestNoConflicts checks that within each view no key is bound twice
// among the enabled bindings, with every feature on.
func TestNoConflicts(t *testing.T) {
	all := Features{Selection: true, Downloads: true, Retry: true, Filtered: true}
	for _, v := range []View{ListView, FilterView, DetailView, HelpView, DownloadsView} {
		km := Default().ForView(v, all)
		seen := map[string]string{}
		for _, b := range slices.Concat(km.FullHelp()...) {
			if !b.Enabled() {
				continue
			}
			for _, k := range b.Keys() {
				if other, dup := seen[k]; dup {
					t.Errorf("view %d: %q is bound to %q and %q", v, k, other, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
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
	dl := enabled(Default().ForView(ListView, Features{Selection: true, Downloads: true}).FullHelp())
	for _, want := range []string{"space", "a", "A", "c/x", "d", "tab"} {
		if !slices.Contains(dl, want) {
			t.Errorf("wired downloads but %s missing: %v", want, dl)
		}
	}
}
