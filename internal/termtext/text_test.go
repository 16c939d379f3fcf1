package termtext

import (
	"testing"
	"time"
)

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{
		"plain/name.txt":    "plain/name.txt",
		"a\x1b[31mred":      "a?[31mred",
		"bell\a":            "bell?",
		"c1\u009bcsi":       "c1?csi",
		"del\x7f":           "del?",
		"lone\x9bbyte":      "lone?byte",
		"ünïcödé/名前.json":   "ünïcödé/名前.json",
		"tab\tand\nnewline": "tab?and?newline",
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"one  two\tthree":           "one two three",
		"accepted forms:\n  a\n  b": "accepted forms: a; b",
		"first\nsecond":             "first; second",
		"esc\x1b[2J here":           "esc?[2J here",
		"\n\n":                      "",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBlock(t *testing.T) {
	if got, want := Block("a\r\nb\tc\x1b[0m\u0085d\n"), "a\nb    c[0md\n"; got != want {
		t.Errorf("Block = %q, want %q", got, want)
	}
}

func TestCells(t *testing.T) {
	if got := Pad("abc", 5); got != "abc  " {
		t.Errorf("Pad = %q", got)
	}
	if got := Pad("abcdef", 4); got != "abc…" {
		t.Errorf("Pad cut = %q", got)
	}
	if got := PadLeft("7", 3); got != "  7" {
		t.Errorf("PadLeft = %q", got)
	}
	if got := Fit("abcdef", 4); got != "abc…" {
		t.Errorf("Fit = %q", got)
	}
	if got := Middle("checkpoints/step_03000/model.safetensors", 20); got != "checkp…l.safetensors" {
		t.Errorf("Middle = %q (%d cells)", got, Width(got))
	}
	for w := 1; w < 30; w++ {
		if got := Middle("名前/とても長い名前のファイル.json", w); Width(got) > w {
			t.Errorf("Middle(%d) = %q is %d cells", w, got, Width(got))
		}
	}
	if got := Width("名前"); got != 4 {
		t.Errorf("Width = %d", got)
	}
}

func TestWords(t *testing.T) {
	if got := Count(1, "file"); got != "1 file" {
		t.Error(got)
	}
	if got := Count(20484, "file"); got != "20,484 files" {
		t.Error(got)
	}
	if got := Bytes(-5); got != "0 B" {
		t.Error(got)
	}
	if got := Duration(185 * time.Second); got != "3m05s" {
		t.Error(got)
	}
	if got := Ago(time.Time{}, time.Now()); got != "?" {
		t.Error(got)
	}
}

func TestDrop(t *testing.T) {
	if got, want := Drop("key12\x1b\u009b34\xff56\tend\n"), "key123456\tend\n"; got != want {
		t.Errorf("Drop = %q, want %q", got, want)
	}
}
