package model

import (
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

func file(name string, size int64) wandb.File {
	return wandb.File{Name: name, SizeBytes: size, UpdatedAt: time.Unix(size, 0)}
}

func TestFolderDerivesEntriesWithLowerBounds(t *testing.T) {
	f := NewFolder("ckpt/", 50, 1000)
	f.SetHeight(20)
	if got := f.Pattern(); got != `ckpt/%` {
		t.Fatalf("pattern %q", got)
	}
	req, _ := f.WantPage()
	page := wandb.FilesPage{Files: []wandb.File{
		file("ckpt/step_1/model.pt", 100), file("ckpt/step_1/opt.pt", 50),
		file("ckpt/latest.pt", 7), file("CKPT/other.pt", 1), // LIKE ignores case: not in the folder
		file("ckpt/step_2/model.pt", -1),
	}, EndCursor: "c1", HasNextPage: true}
	f.ReceiveFiles(req.Gen, page, nil)
	if got := names(f.Items); got != "step_1/ step_2/ latest.pt" {
		t.Fatalf("rows %q", got)
	}
	s1, _ := f.Get("step_1/")
	if s1.Files != 2 || s1.Bytes != 150 || !s1.Newest.Equal(time.Unix(100, 0)) {
		t.Errorf("step_1/: %+v", s1.Tally)
	}
	s2, _ := f.Get("step_2/")
	if s2.Files != 1 || s2.Unknown != 1 {
		t.Errorf("step_2/: %+v; want one file of unknown size", s2.Tally)
	}
	if tally, exact := f.Tally(); exact || tally.Files != 4 || f.Total() != -1 {
		t.Errorf("tally %+v exact %v total %d; want 4 loaded, a lower bound, total unknown", tally, exact, f.Total())
	}
	f.Bottom()
	req, _ = f.WantPage()
	// The next page repeats a file (counted once) and adds to step_1/.
	f.ReceiveFiles(req.Gen, wandb.FilesPage{Files: []wandb.File{
		file("ckpt/step_1/opt.pt", 50), file("ckpt/step_1/ema.pt", 10),
	}}, nil)
	if s1, _ = f.Get("step_1/"); s1.Files != 3 || s1.Bytes != 160 {
		t.Errorf("step_1/ after page 2: %+v", s1.Tally)
	}
	if tally, exact := f.Tally(); !exact || tally.Files != 5 || f.Total() != 5 {
		t.Errorf("tally %+v exact %v total %d; want 5, exact", tally, exact, f.Total())
	}
}

func TestFolderPatternsEscapeAndFilter(t *testing.T) {
	cases := []struct{ path, filter, want string }{
		{"", "", ""},
		{"", "loss", "%loss%"},
		{"a_b/", "", `a\_b/%`},
		{"a_b/", "*.pt", `a\_b/%.pt`},
		{"100%/", "x", `100\%/%x%`},
	}
	for _, c := range cases {
		f := NewFolder(c.path, 50, -1)
		f.SetServerFilter(c.filter)
		if got := f.Pattern(); got != c.want {
			t.Errorf("folder %q filter %q: pattern %q, want %q", c.path, c.filter, got, c.want)
		}
	}
}

func TestFolderTopLevelTotalIsTheRunCount(t *testing.T) {
	f := NewFolder("", 50, 1234)
	if f.Total() != 1234 {
		t.Errorf("total %d", f.Total())
	}
	f.SetServerFilter("x")
	if f.Total() != -1 {
		t.Errorf("filtered total %d; want unknown", f.Total())
	}
}

func TestFolderFilesUnder(t *testing.T) {
	f := NewFolder("", 50, -1)
	req, _ := f.WantPage()
	f.ReceiveFiles(req.Gen, wandb.FilesPage{Files: []wandb.File{file("a/x", 1), file("a/b/y", 2), file("ab", 3), file("c/z", 4)}}, nil)
	var names []string
	for _, g := range f.FilesUnder("a/") {
		names = append(names, g.Name)
	}
	if strings.Join(names, " ") != "a/x a/b/y" {
		t.Errorf("under a/: %v", names)
	}
}

// TestFolderIdlesWhenAPageAddsNoRow checks that a level of few folders
// over many files stops asking for pages on its own once a page adds no
// row, and asks again on LoadMore.
func TestFolderIdlesWhenAPageAddsNoRow(t *testing.T) {
	f := NewFolder("", 2, -1)
	f.SetHeight(20)
	req, _ := f.WantPage()
	f.ReceiveFiles(req.Gen, wandb.FilesPage{Files: []wandb.File{file("a/1", 1), file("b/1", 1)}, EndCursor: "c1", HasNextPage: true}, nil)
	req, ok := f.WantPage()
	if !ok {
		t.Fatal("no second page after a page that added rows")
	}
	f.ReceiveFiles(req.Gen, wandb.FilesPage{Files: []wandb.File{file("a/2", 1), file("b/2", 1)}, EndCursor: "c2", HasNextPage: true}, nil)
	if _, ok := f.WantPage(); ok || !f.Idle() {
		t.Fatal("a third page asked after a page that added no row")
	}
	f.LoadMore()
	req, ok = f.WantPage()
	if !ok {
		t.Fatal("no page after LoadMore")
	}
	if q := f.Query(req); q.First != wandb.MaxPageSize {
		t.Errorf("a page of %d after LoadMore; want the largest", q.First)
	}
}
