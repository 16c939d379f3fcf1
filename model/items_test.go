package model

import (
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb"
)

func names(it *Items[Entry]) string {
	var out []string
	for i := range it.Len() {
		out = append(out, it.Row(i).Name)
	}
	return strings.Join(out, " ")
}

func TestItemsOrderReplaceAndCursor(t *testing.T) {
	it := NewItems(Entry.Key, func(e Entry) string { return e.Name }, compareEntries)
	it.SetHeight(10)
	it.Append(Entry{Name: "z.txt"}, Entry{Name: "b/", Dir: true}, Entry{Name: "a.txt"})
	if got := names(it); got != "b/ z.txt a.txt" {
		t.Fatalf("rows %q; want subfolders first, files in load order", got)
	}
	it.Move(2) // a.txt
	it.Append(Entry{Name: "a/", Dir: true, Tally: Tally{Files: 1}}, Entry{Name: "b/", Dir: true, Tally: Tally{Files: 5}})
	if got := names(it); got != "a/ b/ z.txt a.txt" {
		t.Fatalf("rows %q; want a/ inserted before b/, b/ replaced in place", got)
	}
	if cur, _ := it.Current(); cur.Name != "a.txt" {
		t.Errorf("cursor on %q; want it to stay on a.txt", cur.Name)
	}
	if e, _ := it.Get("b/"); e.Files != 5 || it.Loaded() != 4 {
		t.Errorf("b/ has %d files, %d loaded; want the replacement and no duplicate", e.Files, it.Loaded())
	}
	it.SetNarrowing("TXT")
	if got := names(it); got != "z.txt a.txt" {
		t.Errorf("narrowed %q", got)
	}
	if cur, _ := it.Current(); cur.Name != "a.txt" {
		t.Errorf("cursor on %q after narrowing; want a.txt", cur.Name)
	}
	it.Append(Entry{Name: "c.bin"}, Entry{Name: "d.txt"})
	if got := names(it); got != "z.txt a.txt d.txt" {
		t.Errorf("narrowed after a page %q", got)
	}
}

// TestPagerAsksNearTheEndOnly checks the lazy rule for any row kind: a page
// only when the cursor nears the end, one in flight, none while narrowing,
// stale answers dropped.
func TestPagerAsksNearTheEndOnly(t *testing.T) {
	p := NewPager(NewItems(func(s string) string { return s }, func(s string) string { return s }, nil))
	p.SetHeight(5)
	req, ok := p.WantPage()
	if !ok {
		t.Fatal("no first page asked")
	}
	if _, again := p.WantPage(); again {
		t.Fatal("a second request while one is in flight")
	}
	rows := []string{}
	for i := range 20 {
		rows = append(rows, string(rune('a'+i)))
	}
	p.Receive(req.Gen, wandb.PageInfo{EndCursor: "c1", HasNextPage: true}, rows, nil)
	if _, ok := p.WantPage(); ok {
		t.Fatal("a page asked with the cursor 19 rows from the end of a 5-row window")
	}
	p.Bottom()
	req2, ok := p.WantPage()
	if !ok || req2.After != "c1" {
		t.Fatalf("at the end: request %+v, %v; want the page after c1", req2, ok)
	}
	p.Restart()
	if p.Receive(req2.Gen, wandb.PageInfo{}, []string{"stale"}, nil) {
		t.Fatal("an answer of the previous generation was taken")
	}
	if p.Loaded() != 0 {
		t.Fatalf("%d rows after a restart and a stale answer", p.Loaded())
	}
	p.SetNarrowing("x")
	if _, ok := p.WantPage(); ok {
		t.Fatal("a page asked while narrowing")
	}
}
