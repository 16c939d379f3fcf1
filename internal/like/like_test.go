package like

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMatch: wildcards, escapes, case folding and code points, over the
// whole string.
func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"%", "", true},
		{"%", "any/thing", true},
		{"%%%", "x", true},
		{"_", "", false},
		{"_", "a", true},
		{"_", "ab", false},
		{"a_c", "abc", true},
		{"a_c", "a/c", true},
		{"images/%", "images/a.png", true},
		{"images/%", "images/", true},
		{"images/%", "images", false},
		{"images/%", "x/images/a.png", false},
		{"%.json", "a/b/c.json", true},
		{"%.json", "a/b/c.json.bak", false},
		{"%.json", ".json", true},
		{"%loss%", "eval_loss.csv", true},
		{"a%b%c", "aXbYc", true},
		{"a%b%c", "aXcYb", false},
		{"%a%a%a%a%b", strings.Repeat("a", 60), false},
		// Escapes: \% \_ \\ are literals; \x is x; a trailing \ is itself.
		{`step\_1`, "step_1", true},
		{`step\_1`, "stepx1", false},
		{`step_1`, "stepx1", true},
		{`100\%`, "100%", true},
		{`100\%`, "1000", false},
		{`a\\b`, `a\b`, true},
		{`a\\%`, `a\bc`, true},
		{`a\b`, "ab", true},
		{`a\`, `a\`, true},
		{`a\`, "a", false},
		{`my\_folder/%`, "my_folder/x", true},
		{`my\_folder/%`, "myXfolder/x", false},
		// Case is ignored, by Unicode simple folding.
		{"IMAGES/%", "images/A.PNG", true},
		{"%.JSON", "config.json", true},
		{"straße", "STRASSE", false},
		{"ÉTÉ/%", "été/x", true},
		{"k", "\u212a", true}, // Kelvin sign
		{"σ", "Σ", true},
		{"ς", "Σ", true},
		// _ is one code point, not one byte.
		{"_", "é", true},
		{"__", "é", false},
		{"日本語/_.txt", "日本語/書.txt", true},
		{"%/データ_1\\%.csv", "日本語/データ 1%.csv", true},
		// Accents are not ignored (the server's collation here ignores case only).
		{"e", "é", false},
		// Invalid UTF-8 is one character a byte.
		{"a_b", "a\xffb", true},
		{"a__b", "a\xffb", false},
	} {
		if got := Match(tc.pattern, tc.s); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// reference translates a pattern to a regular expression: Go's (?i) folds
// case by the same simple folding orbits.
func reference(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?is)\A`)
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			escaped = false
			b.WriteString(regexp.QuoteMeta(string(r)))
		case r == '\\':
			escaped = true
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if escaped {
		b.WriteString(`\\`)
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

// FuzzMatch compares the matcher with the regular expression of the
// pattern.
func FuzzMatch(f *testing.F) {
	for _, seed := range [][2]string{
		{"images/%", "Images/a.png"}, {"%.json", "x.JSON"}, {`a\_b%`, "a_bc"}, {"_%_", "ab"},
		{"%a_%", "bab"}, {`\`, `\`}, {"σ%", "Σx"}, {"%%", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			t.Skip() // regexp and LIKE may differ on invalid bytes
		}
		if got, want := Match(pattern, s), reference(pattern).MatchString(s); got != want {
			t.Errorf("Match(%q, %q) = %v, the regular expression says %v", pattern, s, got, want)
		}
	})
}

// TestMatchAllocs: matching allocates nothing, so a pattern over a large
// manifest costs no garbage.
func TestMatchAllocs(t *testing.T) {
	p := Compile("%/part-0000_.JSONL")
	if n := testing.AllocsPerRun(100, func() { p.Match("train/alpaca/de/part-00007.jsonl") }); n != 0 {
		t.Errorf("%v allocations a match", n)
	}
}

// TestMatchRandom compares the matcher with the regular expression of the
// pattern on random patterns and strings over a small alphabet, where
// wildcards, escapes and case meet often.
func TestMatchRandom(t *testing.T) {
	alphabet := []rune(`aAb/%_\.σΣé`)
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		rs := make([]rune, rng.IntN(n))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(rs)
	}
	for range 20000 {
		pattern, s := word(8), word(10)
		if got, want := Match(pattern, s), reference(pattern).MatchString(s); got != want {
			t.Fatalf("Match(%q, %q) = %v, the regular expression says %v", pattern, s, got, want)
		}
	}
}
