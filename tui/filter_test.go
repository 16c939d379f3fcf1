package tui

import (
	"slices"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// shownNames returns the names of the rows the list shows.
func (d *driver) shownNames() []string {
	var out []string
	for i := range d.m.browser.Len() {
		out = append(out, d.m.browser.Row(i).Name)
	}
	slices.Sort(out)
	return out
}

// TestTypedGlobNarrowsAsTheServerFilters types globs into the filter line
// with every file loaded: while typing, the rows shown are exactly those
// the server returns once enter sends the filter.
func TestTypedGlobNarrowsAsTheServerFilters(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "g1", DisplayName: "globs", State: "finished"}
	for _, name := range []string{
		"media/images/a.png", "media/images/deep/B.PNG", "media/a.png.txt", "img.png",
		"step_12.pt", "step_123.pt", "STEP_é1.PT", "logs/50%_done.txt", "logs/50x_done.txt",
		"a/c", "abc", "données/résumé.txt", "config.yaml", "Kelvin_\u212a.txt",
	} {
		run.Files = append(run.Files, wandbtest.FileSpec{Name: name, Content: []byte("x"), UpdatedAt: testNow})
	}
	_, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/g1")
	d := newDriver(t, c, info, Options{PageSize: 100}, 100, 30)
	d.settle()
	if d.m.browser.Len() != len(run.Files) {
		t.Fatalf("%d rows loaded; want %d", d.m.browser.Len(), len(run.Files))
	}
	for _, glob := range []string{"*.png", "*.PNG", "media/*", "step_??.pt", "*%*", "a?c", "*k*", "DONNÉES/*", "*.nothing", "*"} {
		d.press("/")
		d.typeText(glob)
		typed := d.shownNames()
		d.press("enter")
		d.settle()
		served := d.shownNames()
		if !slices.Equal(typed, served) {
			t.Errorf("%q: typing shows %q; the server returns %q", glob, typed, served)
		}
		if glob == "*.png" && len(typed) != 3 {
			t.Errorf("*.png: %d rows while typing; want 3", len(typed))
		}
		d.press("esc") // back to the whole run
		d.settle()
	}
}
