package wandb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// walk collects what FilePages yields: the names in order, the pages, the
// warnings and the error it ended with.
func walk(c *Client, ref RunRef, q FilesQuery) (names []string, pages int, warnings []string, err error) {
	for page, err := range c.FilePages(context.Background(), ref, q) {
		if err != nil {
			return names, pages, warnings, err
		}
		pages++
		warnings = append(warnings, page.Warnings...)
		for _, f := range page.Files {
			names = append(names, f.Name)
		}
	}
	return names, pages, warnings, nil
}

// TestFilePagesDemoSweep walks the 20,484-file demo run in the largest
// pages: every name once, in order, one request per page.
func TestFilePagesDemoSweep(t *testing.T) {
	srv, err := wandbtest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newTestClient(t, srv.URL(), wandbtest.DemoAPIKey, apiRetry)
	ref := RunRef{Entity: wandbtest.DemoEntity, Project: wandbtest.DemoProject, RunID: "x7f2m9qa"}
	names, pages, _, err := walk(c, ref, FilesQuery{First: MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	const want = wandbtest.DemoSweepFiles
	wantPages := (want + MaxPageSize - 1) / MaxPageSize
	if len(names) != want || pages != wantPages || !slices.IsSorted(names) {
		t.Fatalf("%d names in %d pages (sorted: %v); want %d in %d, in the server's order", len(names), pages, slices.IsSorted(names), want, wantPages)
	}
	if len(slices.Compact(slices.Clone(names))) != want {
		t.Error("a name came twice")
	}
	if n := srv.Stats().GraphQLRequests; n != int64(wantPages) {
		t.Errorf("%d requests for %d pages", n, wantPages)
	}
}

// TestFilePagesPatternAndResume walks a pattern in small pages, and from a
// cursor in the middle.
func TestFilePagesPatternAndResume(t *testing.T) {
	_, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 300))
	want, _ := allNames(t, c, bigRef, FilesQuery{First: 1000, Pattern: GlobToLike("*_0001?0.png")})
	got, pages, _, err := walk(c, bigRef, FilesQuery{First: 3, Pattern: GlobToLike("*_0001?0.png")})
	if err != nil || !slices.Equal(got, want) || len(want) != 10 || pages != 4 {
		t.Fatalf("pattern: %q in %d pages, err %v; want %q in 4", got, pages, err, want)
	}
	first, _ := c.Files(context.Background(), bigRef, FilesQuery{First: 100})
	rest, _, _, err := walk(c, bigRef, FilesQuery{First: 70, After: first.EndCursor})
	if err != nil || len(rest) != 200 || rest[0] != "media/images/step_000100.png" {
		t.Fatalf("from the cursor after 100 files: %d names from %q, err %v", len(rest), rest[:min(1, len(rest))], err)
	}
}

// TestFilePagesFaults: a cursor that does not advance ends the walk with
// ErrCursorStuck and no further request; errors beside the data are
// warnings of complete pages.
func TestFilePagesFaults(t *testing.T) {
	for _, tc := range []struct {
		name   string
		f      wandbtest.PagingFaults
		names  int
		reqs   int64
		stuck  bool
		warned int
	}{
		{"echoed cursor", wandbtest.PagingFaults{EchoCursor: true}, 50, 2, true, 0},
		{"stuck cursor", wandbtest.PagingFaults{StuckCursor: true}, 50, 2, true, 0},
		{"errors with data", wandbtest.PagingFaults{ErrorWithData: "degraded"}, 120, 3, false, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
			srv.SetPagingFaults(tc.f)
			names, _, warnings, err := walk(c, bigRef, FilesQuery{First: 50})
			if len(names) != tc.names || errors.Is(err, ErrCursorStuck) != tc.stuck || (!tc.stuck && err != nil) {
				t.Errorf("%d names, err %v; want %d, stuck %v", len(names), err, tc.names, tc.stuck)
			}
			if len(warnings) != tc.warned {
				t.Errorf("warnings %q; want %d", warnings, tc.warned)
			}
			if n := srv.Stats().GraphQLRequests; n != tc.reqs {
				t.Errorf("%d requests, want %d", n, tc.reqs)
			}
		})
	}
}

// TestFilePagesStops: breaking out of the loop and cancelling the context
// both end the walk with no further request.
func TestFilePagesStops(t *testing.T) {
	srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
	for range c.FilePages(context.Background(), bigRef, FilesQuery{First: 10}) {
		break
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("break after the first page: %d requests, want 1", n)
	}
	srv.ResetStats()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []error
	for _, err := range c.FilePages(ctx, bigRef, FilesQuery{First: 10}) {
		cancel()
		errs = append(errs, err)
	}
	if len(errs) != 2 || errs[0] != nil || !errors.Is(errs[1], context.Canceled) {
		t.Errorf("cancelled after the first page: yielded errors %v; want nil, then context.Canceled", errs)
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("cancelled after the first page: %d requests, want 1", n)
	}
}

func TestNameQueries(t *testing.T) {
	names := make([]string, 2*MaxPageSize+1)
	for i := range names {
		names[i] = fmt.Sprint(i)
	}
	qs := NameQueries(names)
	if len(qs) != 3 || len(qs[0].Names) != MaxPageSize || len(qs[2].Names) != 1 || qs[2].Names[0] != names[2*MaxPageSize] || qs[1].First != MaxPageSize {
		t.Fatalf("NameQueries: %d queries", len(qs))
	}
	if NameQueries(nil) != nil {
		t.Fatal("no names, yet queries")
	}
}
