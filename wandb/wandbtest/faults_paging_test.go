package wandbtest

import (
	"fmt"
	"slices"
	"testing"
)

// pagingRun is a run of n files named f000, f001, ...
func pagingRun(n int) RunSpec {
	r := RunSpec{Entity: "e", Project: "p", ID: "r"}
	for i := range n {
		r.Files = append(r.Files, FileSpec{Name: fmt.Sprintf("f%03d", i), Size: 1})
	}
	return r
}

func TestPagingFaultEchoCursor(t *testing.T) {
	s := startTest(t, pagingRun(5))
	s.SetPagingFaults(PagingFaults{EchoCursor: true})
	first := fetchPage(t, s, "e/p/r", map[string]any{"first": 2})
	if len(first.names) != 2 || !first.hasNext {
		t.Fatalf("first page %+v; want 2 files, more to come (the first page is not echoed)", first)
	}
	next := fetchPage(t, s, "e/p/r", map[string]any{"first": 2, "after": first.end})
	if len(next.names) != 0 || !next.hasNext || next.end != first.end {
		t.Fatalf("page after %q = %+v; want no edges, hasNextPage and the same cursor", first.end, next)
	}
}

func TestPagingFaultStuckCursor(t *testing.T) {
	s := startTest(t, pagingRun(5))
	s.SetPagingFaults(PagingFaults{StuckCursor: true})
	first := fetchPage(t, s, "e/p/r", map[string]any{"first": 2})
	next := fetchPage(t, s, "e/p/r", map[string]any{"first": 2, "after": first.end})
	if !slices.Equal(next.names, first.names) || next.end != first.end || !next.hasNext {
		t.Fatalf("page after %q = %+v; want the first page again %+v", first.end, next, first)
	}
	s.SetPagingFaults(PagingFaults{})
	if next = fetchPage(t, s, "e/p/r", map[string]any{"first": 2, "after": first.end}); next.names[0] != "f002" {
		t.Fatalf("cleared faults: page after %q starts at %v", first.end, next.names)
	}
}

func TestPagingFaultErrorWithData(t *testing.T) {
	s := startTest(t, pagingRun(5))
	s.SetPagingFaults(PagingFaults{ErrorWithData: "storage backend degraded"})
	pg := fetchPage(t, s, "e/p/r", map[string]any{"first": 3})
	if len(pg.names) != 3 || !slices.Equal(pg.errors, []string{"storage backend degraded"}) {
		t.Fatalf("page %+v; want 3 files and the error beside them", pg)
	}
}
