package model

import "testing"

// TestNeedleGlob checks the glob semantics the server applies to what
// wandb.GlobToLike makes of the text: the whole name, case ignored, * any
// run including /, ? one character, other characters literal.
func TestNeedleGlob(t *testing.T) {
	cases := []struct {
		glob, name string
		want       bool
	}{
		{"*.png", "media/images/a.png", true},
		{"*.png", "media/images/a.PNG", true},
		{"*.png", "a.png.txt", false},
		{"*.pn", "a.png", false},
		{"media/*", "media/images/deep/a.png", true},
		{"media/*", "xmedia/a.png", false},
		{"step_??.pt", "step_12.pt", true},
		{"step_??.pt", "step_123.pt", false},
		{"step_??.pt", "STEP_é1.PT", true}, // ? is one character, not one byte
		{"*%*", "logs/50%_done.txt", true}, // % and _ are literal
		{"*%*", "logs/50_done.txt", false},
		{"a?c", "a/c", true},
		{"*k*", "Kelvin \u212a", true},
		{"*\u212a", "kk", true}, // the Kelvin sign folds with k
		{"*", "", true},
		{"?", "", false},
		{"**a**b**", "xaxxbx", true},
		{"*a*b", "xaxxbx", false},
		{"données/*.txt", "DONNÉES/résumé.txt", true},
	}
	for _, c := range cases {
		n := NewNeedle(c.glob)
		if !n.IsGlob() || n.Empty() {
			t.Fatalf("%q: not a glob", c.glob)
		}
		if _, _, got := n.Match(c.name); got != c.want {
			t.Errorf("%q on %q = %v; want %v", c.glob, c.name, got, c.want)
		}
	}
	if NewNeedle(".png").IsGlob() {
		t.Error("text without * or ? became a glob")
	}
}

// TestNarrowingGlobWhileTyping types a glob character by character: each
// step shows exactly the rows its glob matches, also where a longer text
// matches rows the shorter one did not ("*.pn" then "*.png").
func TestNarrowingGlobWhileTyping(t *testing.T) {
	l := benchList(2000)
	text := "*sample_3.png"
	for i := 1; i <= len(text); i++ {
		l.SetNarrowing(text[:i])
		want := 0
		n := NewNeedle(text[:i])
		for _, f := range l.Files() {
			if _, _, ok := n.Match(f.Name); ok {
				want++
			}
		}
		if l.Len() != want {
			t.Fatalf("%q: %d rows; want %d", text[:i], l.Len(), want)
		}
	}
	if l.Len() != 250 {
		t.Fatalf("%q: %d rows; want 250", text, l.Len())
	}
	l.SetNarrowing("*sample_3.pn")
	if l.Len() != 0 {
		t.Fatalf("*sample_3.pn: %d rows; want 0", l.Len())
	}
}
