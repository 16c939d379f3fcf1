package model

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

func files(names ...string) []wandb.File {
	out := make([]wandb.File, len(names))
	for i, n := range names {
		out[i] = wandb.File{ID: n, Name: n, SizeBytes: int64(len(n))}
	}
	return out
}

func rowNames(l *List) []string {
	var out []string
	for i := range l.Len() {
		out = append(out, l.Row(i).Name)
	}
	return out
}

func TestNeedleMatch(t *testing.T) {
	tests := []struct {
		name, text string
		start, end int
		ok         bool
	}{
		{"media/Images/a.png", "images", 6, 12, true},
		{"media/images/a.png", "IMAGES", 6, 12, true},
		{"données/Été.txt", "été", 9, 14, true},
		{"logs/50%_done.txt", "50%_", 5, 9, true},
		{"a b.txt", " b", 1, 3, true},
		{"config.yaml", "json", 0, 0, false},
		{"anything", "", 0, 0, true},
	}
	for _, tt := range tests {
		s, e, ok := NewNeedle(tt.text).Match(tt.name)
		if s != tt.start || e != tt.end || ok != tt.ok {
			t.Errorf("Match(%q in %q) = %d,%d,%v; want %d,%d,%v", tt.text, tt.name, s, e, ok, tt.start, tt.end, tt.ok)
		}
		if ok && tt.text != "" && len(tt.name[s:e]) == 0 {
			t.Errorf("empty match for %q", tt.text)
		}
	}
}

func TestListWindowFollowsCursor(t *testing.T) {
	var l List
	l.SetHeight(5)
	l.Append(files("a", "b", "c", "d", "e", "f", "g", "h"))
	l.Move(6)
	if s, e := l.Window(); s != 2 || e != 7 || l.Cursor() != 6 {
		t.Fatalf("window %d-%d cursor %d; want 2-7 cursor 6", s, e, l.Cursor())
	}
	l.Move(100)
	if l.Cursor() != 7 {
		t.Fatalf("cursor %d after moving past the end; want 7", l.Cursor())
	}
	l.Top()
	if s, _ := l.Window(); s != 0 || l.Cursor() != 0 {
		t.Fatalf("Top: window start %d cursor %d", s, l.Cursor())
	}
	if !(&List{}).NearEnd() {
		t.Fatal("an empty list is not near its end")
	}
}

func TestListNarrowing(t *testing.T) {
	var l List
	l.SetHeight(10)
	l.Append(files("media/a.png", "config.yaml", "Media/b.png", "logs/out.log"))
	l.SetCursor(2) // Media/b.png
	l.SetNarrowing("me")
	if got := rowNames(&l); !slices.Equal(got, []string{"media/a.png", "Media/b.png"}) {
		t.Fatalf("rows %v", got)
	}
	if f, _ := l.Current(); f.Name != "Media/b.png" {
		t.Fatalf("cursor on %q; want it to stay on Media/b.png", f.Name)
	}
	l.SetNarrowing("med") // extends: filters the current rows only
	l.Append(files("x/medal.txt", "other"))
	if got := rowNames(&l); !slices.Equal(got, []string{"media/a.png", "Media/b.png", "x/medal.txt"}) {
		t.Fatalf("rows after a page arrived while narrowed: %v", got)
	}
	l.SetNarrowing("")
	if l.Len() != 6 {
		t.Fatalf("clearing the narrowing shows %d rows; want 6", l.Len())
	}
	if f, _ := l.Current(); f.Name != "Media/b.png" {
		t.Fatalf("cursor on %q after clearing; want Media/b.png", f.Name)
	}
}

func TestListSortIncremental(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(n, size int) []wandb.File {
		out := make([]wandb.File, n)
		for i := range out {
			name := fmt.Sprintf("f%03d", (i*37+size)%101)
			out[i] = wandb.File{Name: name, SizeBytes: int64((i * 7919) % 97), UpdatedAt: base.Add(time.Duration(i*13%50) * time.Hour)}
			if i%10 == 0 {
				out[i].SizeBytes = -1
				out[i].UpdatedAt = time.Time{}
			}
		}
		return out
	}
	for _, k := range []SortKey{SortName, SortSize, SortUpdated} {
		var inc, full List
		inc.SetHeight(5)
		inc.SetSort(k)
		p1, p2 := mk(30, 1), mk(25, 2)
		inc.Append(p1)
		inc.SetCursor(3)
		cur, _ := inc.Current()
		inc.Append(p2)
		full.Append(p1)
		full.Append(p2)
		full.SetSort(k)
		if !slices.Equal(inc.rows, full.rows) {
			t.Errorf("%v: merged order differs from a full sort", k)
		}
		if now, _ := inc.Current(); now != cur {
			t.Errorf("%v: cursor moved from %q to %q when a page arrived", k, cur.Name, now.Name)
		}
		for i := 1; i < inc.Len(); i++ {
			if k.compare(inc.files, inc.rows[i-1], inc.rows[i]) > 0 {
				t.Fatalf("%v: rows %d and %d out of order", k, i-1, i)
			}
		}
	}
	var l List
	l.Append(files("b", "a"))
	l.SetSort(SortSize) // sizes 1, 1: load order breaks the tie
	if got := rowNames(&l); !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("equal sizes not in load order: %v", got)
	}
	if SortUpdated.Next() != SortServer {
		t.Fatal("the sort cycle does not come back to the server order")
	}
}

// TestNeedleASCIIPathAgrees compares the byte-wise path with the rune
// path on names with and without non-ASCII letters.
func TestNeedleASCIIPathAgrees(t *testing.T) {
	names := []string{"Media/Images/A.PNG", "x/step_001.txt", "caf\u00e9/menu.txt", "\u212aelvin.txt", "kelvin.txt", "aaab", "ab"}
	for _, text := range []string{"images", "STEP_0", "menu", "kelvin", "aab", "abc", "b"} {
		n := NewNeedle(text)
		slow := Needle{runes: n.runes}
		for _, name := range names {
			s1, e1, ok1 := n.Match(name)
			s2, e2, ok2 := slow.Match(name)
			if s1 != s2 || e1 != e2 || ok1 != ok2 {
				t.Errorf("%q in %q: fast %d,%d,%v slow %d,%d,%v", text, name, s1, e1, ok1, s2, e2, ok2)
			}
		}
	}
}
