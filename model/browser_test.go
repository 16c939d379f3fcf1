package model

import (
	"fmt"
	"testing"

	"github.com/wbfiles/wbfiles/wandb"
)

// page returns page number n (from 0) of size p out of total files.
func page(n, p, total int) wandb.FilesPage {
	var out wandb.FilesPage
	for i := n * p; i < min((n+1)*p, total); i++ {
		out.Files = append(out.Files, wandb.File{Name: fmt.Sprintf("file%05d", i)})
	}
	out.HasNextPage = (n+1)*p < total
	out.EndCursor = fmt.Sprintf("c%d", n+1)
	return out
}

// TestBrowserRequestsExactPages scrolls one row at a time and checks that
// pages are asked exactly when the cursor comes within one screen of the
// last loaded row.
func TestBrowserRequestsExactPages(t *testing.T) {
	const perPage, height, total = 50, 20, 175
	b := NewBrowser(wandb.RunInfo{FileCount: total}, perPage, "", nil)
	b.SetHeight(height)
	var asked []string
	want := func() {
		if req, ok := b.WantPage(); ok {
			asked = append(asked, fmt.Sprintf("%d@%d", b.Pages(), b.Cursor()))
			if _, again := b.WantPage(); again {
				t.Fatal("two requests in flight")
			}
			b.Receive(req.Gen, page(b.Pages(), perPage, total), nil)
		}
	}
	want()
	for range 174 {
		b.Move(1)
		want()
	}
	// Loaded 50: the cursor reaches 30 (50-1-30 < 20) → page 1; loaded
	// 100 → at 80; loaded 150 → at 130; then no more.
	wantAsked := "[0@0 1@30 2@80 3@130]"
	if got := fmt.Sprint(asked); got != wantAsked {
		t.Fatalf("requests at %s; want %s", got, wantAsked)
	}
	if b.Loaded() != total || b.Total() != total || !b.AllLoaded() {
		t.Fatalf("loaded %d total %d", b.Loaded(), b.Total())
	}
}

func TestBrowserServerFilterRestarts(t *testing.T) {
	b := NewBrowser(wandb.RunInfo{FileCount: 500}, 50, "", nil)
	b.SetHeight(10)
	req, _ := b.WantPage()
	b.Receive(req.Gen, page(0, 50, 500), nil)
	b.Move(45)
	stale, ok := b.WantPage()
	if !ok {
		t.Fatal("no second page near the end")
	}
	b.SetServerFilter("*.json", "%.json")
	if b.Loaded() != 0 || b.Cursor() != 0 || b.Total() != -1 {
		t.Fatalf("after a new filter: loaded %d cursor %d total %d", b.Loaded(), b.Cursor(), b.Total())
	}
	if b.Receive(stale.Gen, page(1, 50, 500), nil) {
		t.Fatal("the page of the old filter was accepted")
	}
	req, ok = b.WantPage()
	if !ok || req.After != "" || b.Query(req).Pattern != "%.json" {
		t.Fatalf("first request of the filter = %+v %v query %+v", req, ok, b.Query(req))
	}
	b.Receive(req.Gen, wandb.FilesPage{Files: page(0, 3, 3).Files}, nil)
	if b.Total() != 3 {
		t.Fatalf("Total after the last filtered page = %d; want 3", b.Total())
	}
}

func TestBrowserNoPagingWhileNarrowing(t *testing.T) {
	b := NewBrowser(wandb.RunInfo{FileCount: -1}, 50, "", nil)
	b.SetHeight(10)
	req, _ := b.WantPage()
	b.Receive(req.Gen, page(0, 50, 500), nil)
	b.SetNarrowing("file0004") // ten rows: the cursor is near their end
	if _, ok := b.WantPage(); ok {
		t.Fatal("a local narrowing pulled in another page")
	}
	if b.Total() != -1 {
		t.Fatalf("Total = %d; want unknown", b.Total())
	}
}

// TestBrowserClearFilterRestores checks that clearing a server filter
// brings back the unfiltered rows and cursor, with fresh paging.
func TestBrowserClearFilterRestores(t *testing.T) {
	b := NewBrowser(wandb.RunInfo{FileCount: 500}, 50, "", nil)
	b.SetHeight(10)
	for range 2 {
		req, _ := b.WantPage()
		b.Receive(req.Gen, page(b.Pages(), 50, 500), nil)
		b.Bottom()
	}
	b.SetCursor(80)
	b.SetServerFilter("x", "%x%")
	freq, _ := b.WantPage()
	b.Receive(freq.Gen, page(0, 5, 5), nil)
	b.SetServerFilter("y", "%y%") // a second filter keeps the first snapshot
	stale, _ := b.WantPage()
	b.SetServerFilter("", "")
	if b.Filtered() || b.Loaded() != 100 || b.Cursor() != 80 || b.Pages() != 2 {
		t.Fatalf("after clearing: filtered %v loaded %d cursor %d pages %d; want the unfiltered 100 rows at 80", b.Filtered(), b.Loaded(), b.Cursor(), b.Pages())
	}
	if b.Receive(stale.Gen, page(0, 5, 5), nil) {
		t.Fatal("an answer of the cleared filter was accepted")
	}
	b.Bottom()
	req, ok := b.WantPage()
	if !ok || req.After != "c2" || req.Gen <= stale.Gen {
		t.Fatalf("next request %+v %v; want page 3 of a new generation", req, ok)
	}
}
