package wandb

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// demoEnv starts the demo server and returns it with a client.
func demoEnv(t *testing.T) (*wandbtest.Server, *Client) {
	t.Helper()
	srv, err := wandbtest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, newTestClient(t, srv.URL(), wandbtest.DemoAPIKey, apiRetry)
}

// demoRef is the reference of one of the demo runs (wandbtest.DemoRun...).
func demoRef(t *testing.T, s string) RunRef {
	t.Helper()
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		t.Fatalf("bad demo ref %q", s)
	}
	return RunRef{Entity: parts[0], Project: parts[1], RunID: parts[2]}
}

// TestRunWithFilesOneRequest checks that RunWithFiles asks once and
// answers what Run and Files answer separately.
func TestRunWithFilesOneRequest(t *testing.T) {
	srv, c := demoEnv(t)
	ctx := context.Background()
	queries := []FilesQuery{{}, {First: 7}, {First: 5, Pattern: GlobToLike("*.json")}, {Names: []string{"config.yaml", "output.log", "nope"}}}
	for _, run := range []string{wandbtest.DemoRun, wandbtest.DemoSweepRun, wandbtest.DemoEmptyRun, wandbtest.DemoRunningRun} {
		ref := demoRef(t, run)
		for _, q := range queries {
			srv.ResetStats()
			info, page, err := c.RunWithFiles(ctx, ref, q)
			if err != nil {
				t.Fatalf("%s %+v: %v", run, q, err)
			}
			if n := srv.Stats().GraphQLRequests; n != 1 {
				t.Errorf("%s %+v: %d requests, want 1", run, q, n)
			}
			wantInfo, err1 := c.Run(ctx, ref)
			wantPage, err2 := c.Files(ctx, ref, q)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: Run: %v; Files: %v", run, err1, err2)
			}
			if !reflect.DeepEqual(info, wantInfo) || !reflect.DeepEqual(page, wantPage) {
				t.Errorf("%s %+v:\n got %+v, %d files, cursor %q, more %v\nwant %+v, %d files, cursor %q, more %v", run, q,
					info, len(page.Files), page.EndCursor, page.HasNextPage,
					wantInfo, len(wantPage.Files), wantPage.EndCursor, wantPage.HasNextPage)
			}
		}
	}
}

// TestRunWithFilesErrors checks Run's error semantics: not found, bad
// queries sent nowhere, errors beside the data as warnings.
func TestRunWithFilesErrors(t *testing.T) {
	srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
	ctx := context.Background()
	missing := RunRef{Entity: "ent", Project: "proj", RunID: "nope"}
	_, _, err := c.RunWithFiles(ctx, missing, FilesQuery{})
	_, runErr := c.Run(ctx, missing)
	if !errors.Is(err, ErrRunNotFound) || err.Error() != runErr.Error() {
		t.Errorf("unknown run: err %v; want Run's %v", err, runErr)
	}
	srv.ResetStats()
	if _, _, err := c.RunWithFiles(ctx, bigRef, FilesQuery{First: MaxPageSize + 1}); err == nil || !strings.Contains(err.Error(), "page size") {
		t.Errorf("page size too big: err %v", err)
	}
	if _, _, err := c.RunWithFiles(ctx, RunRef{Entity: "ent", Project: "proj"}, FilesQuery{}); !errors.Is(err, ErrInvalidRunRef) {
		t.Errorf("no run id: err %v", err)
	}
	if n := srv.Stats().GraphQLRequests; n != 0 {
		t.Errorf("bad calls sent %d requests", n)
	}

	srv.SetPagingFaults(wandbtest.PagingFaults{ErrorWithData: "degraded"})
	info, page, err := c.RunWithFiles(ctx, bigRef, FilesQuery{})
	if err != nil || info.FileCount != 120 || len(page.Files) != DefaultPageSize || len(page.Warnings) != 1 {
		t.Errorf("errors beside the data: info %+v, %d files, warnings %q, err %v; want both kept, the error a warning",
			info, len(page.Files), page.Warnings, err)
	}

	srv.SetPagingFaults(wandbtest.PagingFaults{EchoCursor: true})
	info, _, err = c.RunWithFiles(ctx, bigRef, FilesQuery{After: page.EndCursor})
	if !errors.Is(err, ErrCursorStuck) || info.FileCount != 120 {
		t.Errorf("echoed cursor: info %+v, err %v; want the run and ErrCursorStuck", info, err)
	}
}
