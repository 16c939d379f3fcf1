package model

import (
	"slices"
	"strconv"
	"testing"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

func selFile(name string, size int64) wandb.File {
	return wandb.File{Name: name, SizeBytes: size}
}

func selNames(files []wandb.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}

func TestSelectionToggleAddClear(t *testing.T) {
	var s Selection
	if s.Len() != 0 || header(&s) != "" || s.Has("a") {
		t.Fatalf("zero selection not empty: len %d header %q", s.Len(), header(&s))
	}
	if !s.Toggle(selFile("b.bin", 1_500_000_000)) {
		t.Fatal("first toggle did not select")
	}
	if !s.Toggle(selFile("a.txt", 200_000_000)) || !s.Has("a.txt") {
		t.Fatal("second toggle did not select")
	}
	if got := header(&s); got != "2 selected · 1.6 GiB" {
		t.Fatalf("header = %q", got)
	}
	if s.Toggle(selFile("b.bin", 1_500_000_000)) || s.Has("b.bin") {
		t.Fatal("toggle of a selected file kept it")
	}
	if got := header(&s); got != "1 selected · 191 MiB" {
		t.Fatalf("header after unselect = %q", got)
	}

	n := s.Add(selFile("a.txt", 200_000_000), selFile("c", -1), selFile("d", 5), selFile("c", -1))
	if n != 2 || s.Len() != 3 {
		t.Fatalf("Add: %d new, len %d; want 2 new, len 3", n, s.Len())
	}
	known, unknown := s.Size()
	if known != 200_000_005 || unknown != 1 {
		t.Fatalf("Size = %d, %d", known, unknown)
	}
	if got := header(&s); got != "3 selected · 191 MiB + 1 of unknown size" {
		t.Fatalf("header = %q", got)
	}
	if got := selNames(s.Files()); !slices.Equal(got, []string{"a.txt", "c", "d"}) {
		t.Fatalf("selection order = %v", got)
	}

	s.Clear()
	if s.Len() != 0 || header(&s) != "" {
		t.Fatalf("after Clear: len %d header %q", s.Len(), header(&s))
	}
	known, unknown = s.Size()
	if known != 0 || unknown != 0 {
		t.Fatalf("after Clear: size %d, %d", known, unknown)
	}
}

func TestSelectionOrders(t *testing.T) {
	var s Selection
	for _, n := range []string{"z", "m", "a", "q"} {
		s.Toggle(selFile(n, 1))
	}
	s.Toggle(selFile("m", 1))
	s.Toggle(selFile("m", 1)) // re-selected: now last
	if got := selNames(s.Files()); !slices.Equal(got, []string{"z", "a", "q", "m"}) {
		t.Fatalf("Files = %v", got)
	}
	if got := selNames(s.FilesByName()); !slices.Equal(got, []string{"a", "m", "q", "z"}) {
		t.Fatalf("FilesByName = %v", got)
	}
	// The kept File is the one selected, with its fields.
	s.Clear()
	s.Toggle(wandb.File{Name: "x", MD5: "abc", SizeBytes: 3})
	if f := s.Files()[0]; f.MD5 != "abc" || f.SizeBytes != 3 {
		t.Fatalf("kept file = %+v", f)
	}
}

func TestSelectionOnlyUnknownSizes(t *testing.T) {
	var s Selection
	s.Add(selFile("a", -1), selFile("b", -1))
	if got := header(&s); got != "2 selected · size unknown" {
		t.Fatalf("header = %q", got)
	}
	s.Remove("a")
	s.Remove("a") // a second remove is a no-op
	if _, unknown := s.Size(); unknown != 1 {
		t.Fatalf("unknown = %d after removing one of two", unknown)
	}
}

// BenchmarkSelectionToggle shows a toggle costs the same with 100,000
// files selected as with none.
func BenchmarkSelectionToggle(b *testing.B) {
	for _, pre := range []int{0, 100_000} {
		b.Run("selected="+strconv.Itoa(pre), func(b *testing.B) {
			var s Selection
			for i := range pre {
				s.Toggle(selFile("pre/"+strconv.Itoa(i), int64(i)))
			}
			f := selFile("the-file", 10)
			b.ReportAllocs()
			for b.Loop() {
				s.Toggle(f)
				_ = header(&s)
			}
		})
	}
}

// header words the selection as the list header does, from Len and Size.
func header(s *Selection) string {
	if s.Len() == 0 {
		return ""
	}
	known, unknown := s.Size()
	return termtext.Comma(int64(s.Len())) + " selected · " + termtext.Size(known, unknown)
}
