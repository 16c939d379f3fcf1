package wandb

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// bigRef is the run of manyFiles("ent", "proj", "big", n).
var bigRef = RunRef{Entity: "ent", Project: "proj", RunID: "big"}

// TestFilesEchoedCursorStops: a page with no edges, hasNextPage and the
// cursor it was sent ends paging with ErrCursorStuck (it used to be a
// page to continue from, asked for again and again).
func TestFilesEchoedCursorStops(t *testing.T) {
	srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
	srv.SetPagingFaults(wandbtest.PagingFaults{EchoCursor: true})
	ctx := context.Background()
	first, err := c.Files(ctx, bigRef, FilesQuery{First: 50})
	if err != nil || len(first.Files) != 50 {
		t.Fatalf("first page: %d files, err %v", len(first.Files), err)
	}
	before := srv.Stats().GraphQLRequests
	page, err := c.Files(ctx, bigRef, FilesQuery{First: 50, After: first.EndCursor})
	if !errors.Is(err, ErrCursorStuck) || page.HasNextPage {
		t.Fatalf("echoed cursor: page %+v, err %v; want ErrCursorStuck and no next page", page, err)
	}
	if !strings.HasPrefix(err.Error(), ErrCursorStuck.Error()) {
		t.Errorf("error %q does not put its cause first", err)
	}
	if n := srv.Stats().GraphQLRequests - before; n != 1 {
		t.Errorf("%d requests, want 1 (a stuck cursor is not retried)", n)
	}
}

// TestFilesStuckCursorStops: a full page whose cursor never advances ends
// paging with ErrCursorStuck instead of being returned as the next page.
func TestFilesStuckCursorStops(t *testing.T) {
	srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
	srv.SetPagingFaults(wandbtest.PagingFaults{StuckCursor: true})
	ctx := context.Background()
	first, err := c.Files(ctx, bigRef, FilesQuery{First: 50})
	if err != nil || len(first.Files) != 50 || !first.HasNextPage {
		t.Fatalf("first page: %d files, more %v, err %v", len(first.Files), first.HasNextPage, err)
	}
	_, err = c.Files(ctx, bigRef, FilesQuery{First: 50, After: first.EndCursor})
	if !errors.Is(err, ErrCursorStuck) {
		t.Fatalf("page after %q: err %v, want ErrCursorStuck", first.EndCursor, err)
	}
}

// TestFilesErrorsWithDataKept: GraphQL errors sent beside a page are
// warnings of the page, not an error that throws it away.
func TestFilesErrorsWithDataKept(t *testing.T) {
	srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
	srv.SetPagingFaults(wandbtest.PagingFaults{ErrorWithData: "storage backend degraded\x1b[31m"})
	page, err := c.Files(context.Background(), bigRef, FilesQuery{First: 50})
	if err != nil || len(page.Files) != 50 || !page.HasNextPage {
		t.Fatalf("page: %d files, more %v, err %v; want the 50 files and no error", len(page.Files), page.HasNextPage, err)
	}
	if !slices.Equal(page.Warnings, []string{"storage backend degraded[31m"}) {
		t.Errorf("warnings %q; want the server's message, without control characters", page.Warnings)
	}
}

// TestCursorTrail checks the rule on its own: an end cursor sent before
// stops paging when more pages are claimed, and only then.
func TestCursorTrail(t *testing.T) {
	var tr CursorTrail
	steps := []struct {
		after, end  string
		more, stuck bool
	}{
		{"", "c1", true, false},
		{"c1", "c2", true, false},
		{"c2", "c1", true, true},   // back to a cursor sent before
		{"c2", "c2", true, true},   // the cursor it was sent
		{"c2", "c2", false, false}, // the last page may end anywhere
		{"c2", "c3", true, false},
	}
	for i, s := range steps {
		err := tr.Check(s.after, PageInfo{EndCursor: s.end, HasNextPage: s.more})
		if errors.Is(err, ErrCursorStuck) != s.stuck {
			t.Errorf("step %d (%s → %s, more %v): err %v, want stuck %v", i, s.after, s.end, s.more, err, s.stuck)
		}
	}
}

func TestDropSeen(t *testing.T) {
	seen := map[string]struct{}{}
	a := []File{{Name: "a"}, {Name: "b"}}
	if got := DropSeen(a, seen); len(got) != 2 {
		t.Fatalf("first: %v", got)
	}
	b := []File{{Name: "b"}, {Name: "c"}, {Name: "c"}, {Name: "a"}, {Name: "d"}}
	got := DropSeen(b, seen)
	var names []string
	for _, f := range got {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"c", "d"}) || b[0].Name != "b" || b[1].Name != "c" {
		t.Errorf("second: kept %v, input now %v; want [c d] and the input unchanged", names, b)
	}
}
