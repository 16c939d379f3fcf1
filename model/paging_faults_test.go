package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// faultRef is the run of faultEnv: 120 files.
var faultRef = wandb.RunRef{Entity: "ent", Project: "proj", RunID: "run1"}

// faultEnv starts the in-repo server with a run of 120 files and the
// paging faults f, and returns a client of it.
func faultEnv(t *testing.T, f wandbtest.PagingFaults) (*wandbtest.Server, *wandb.Client) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	run := wandbtest.RunSpec{Entity: faultRef.Entity, Project: faultRef.Project, ID: faultRef.RunID}
	for i := range 120 {
		run.Files = append(run.Files, wandbtest.FileSpec{Name: fmt.Sprintf("f%03d", i), Size: 1})
	}
	srv.AddRun(run)
	srv.SetPagingFaults(f)
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: srv.APIKey(),
		Retry: wandb.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// drive runs b as the TUI does with no key pressed: it sends every page
// request b wants, hands the answer back, and stops when b wants none, or
// after limit requests. It returns the number of requests.
func drive(t *testing.T, b *Browser, c *wandb.Client, limit int) int {
	t.Helper()
	n := 0
	for ; n < limit; n++ {
		req, ok := b.WantPage()
		if !ok {
			return n
		}
		page, err := c.Files(context.Background(), b.Run.Ref, b.Query(req))
		b.Receive(req.Gen, page, err)
	}
	return n
}

// newFaultBrowser is a browser of faultRef with a screen taller than the
// run, so every page leaves the cursor near the end.
func newFaultBrowser() *Browser {
	b := NewBrowser(wandb.RunInfo{Ref: faultRef, FileCount: 120}, 50, "", nil)
	b.SetHeight(200)
	return b
}

// TestBrowserEchoedCursorStops: an empty page that claims more and echoes
// the cursor used to start a request loop with no key pressed.
func TestBrowserEchoedCursorStops(t *testing.T) {
	_, c := faultEnv(t, wandbtest.PagingFaults{EchoCursor: true})
	b := newFaultBrowser()
	if n := drive(t, b, c, 20); n != 2 {
		t.Fatalf("%d requests with no key pressed; want 2 (the first page, then the stuck one)", n)
	}
	if !errors.Is(b.Err(), wandb.ErrCursorStuck) || b.Loaded() != 50 {
		t.Fatalf("loaded %d, err %v; want the first page kept and the stuck cursor as the error", b.Loaded(), b.Err())
	}
}

// TestBrowserStuckCursorStops: a full page whose cursor never advances
// used to append the same rows again ("450 of 120 files loaded").
func TestBrowserStuckCursorStops(t *testing.T) {
	_, c := faultEnv(t, wandbtest.PagingFaults{StuckCursor: true})
	b := newFaultBrowser()
	drive(t, b, c, 20)
	if b.Loaded() != 50 || !errors.Is(b.Err(), wandb.ErrCursorStuck) {
		t.Fatalf("loaded %d of 120, err %v; want the 50 distinct files and the stuck cursor as the error", b.Loaded(), b.Err())
	}
	if _, ok := b.WantPage(); ok {
		t.Fatal("paging goes on after a stuck cursor")
	}
}

// TestBrowserErrorsWithDataKept: a page that carries GraphQL errors with
// its data used to be thrown away ("0 of 120 loaded").
func TestBrowserErrorsWithDataKept(t *testing.T) {
	_, c := faultEnv(t, wandbtest.PagingFaults{ErrorWithData: "storage backend degraded"})
	b := newFaultBrowser()
	drive(t, b, c, 20)
	if b.Loaded() != 120 || b.Err() != nil || !b.AllLoaded() {
		t.Fatalf("loaded %d of 120, err %v; want every file and no error", b.Loaded(), b.Err())
	}
	if !strings.Contains(b.Warning(), "storage backend degraded") {
		t.Errorf("warning %q; want the server's message", b.Warning())
	}
	b.SetServerFilter("f1", "%f1%")
	if b.Warning() != "" {
		t.Errorf("warning %q survives a new query", b.Warning())
	}
}

// TestBrowserCursorCycleStops: a server whose cursors go round in a circle
// (c1, c2, c1, ...) stops paging, and no name is loaded twice.
func TestBrowserCursorCycleStops(t *testing.T) {
	b := newFaultBrowser()
	cursors := []string{"c1", "c2", "c1"}
	for i, end := range cursors {
		req, ok := b.WantPage()
		if !ok {
			t.Fatalf("page %d not asked for", i)
		}
		b.Receive(req.Gen, wandb.FilesPage{Files: page(i%2, 50, 120).Files, EndCursor: end, HasNextPage: true}, nil)
	}
	if !errors.Is(b.Err(), wandb.ErrCursorStuck) || b.Loaded() != 100 {
		t.Fatalf("loaded %d, err %v; want 100 distinct files and the stuck cursor as the error", b.Loaded(), b.Err())
	}
}

// TestListAppendDropsDuplicates: a name already loaded is never appended
// again, in either sort order.
func TestListAppendDropsDuplicates(t *testing.T) {
	for _, k := range []SortKey{SortServer, SortName} {
		var l List
		l.SetSort(k)
		l.Append(files("a", "b"))
		l.Append(files("b", "c", "c", "a"))
		if got := fmt.Sprint(rowNames(&l)); got != "[a b c]" || l.Loaded() != 3 {
			t.Errorf("sort %v: rows %s, loaded %d; want [a b c], 3", k, got, l.Loaded())
		}
		l.Clear()
		l.Append(files("a"))
		if l.Loaded() != 1 {
			t.Errorf("sort %v: after Clear a name loaded before was dropped", k)
		}
	}
}

// TestBrowserRetryVisible: while the server answers 503, the retries of
// the request in flight are there to show, and the failure that ends them
// names its cause first.
func TestBrowserRetryVisible(t *testing.T) {
	srv, c := faultEnv(t, wandbtest.PagingFaults{})
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	b := newFaultBrowser()
	req, _ := b.WantPage()
	var seen []string
	ctx := wandb.WithRetryObserver(context.Background(), func(e wandb.RetryEvent) {
		if !b.NoteRetry(req.Gen, e) {
			t.Errorf("retry %+v of the request in flight was refused", e)
		}
		r, ok := b.Retrying()
		seen = append(seen, fmt.Sprintf("%d/%d %s %v", r.Attempt, r.Max, r.Cause, ok))
	})
	page, err := c.Files(ctx, b.Run.Ref, b.Query(req))
	b.Receive(req.Gen, page, err)
	if got := fmt.Sprint(seen); got != "[1/2 HTTP 503 true]" {
		t.Errorf("retries seen %s; want [1/2 HTTP 503 true]", got)
	}
	if _, ok := b.Retrying(); ok || b.Err() == nil || !strings.HasPrefix(b.Err().Error(), "HTTP 503") {
		t.Errorf("after the answer: retrying %v, err %v; want no retry and the cause first", ok, b.Err())
	}
	if b.NoteRetry(req.Gen, wandb.RetryEvent{}) {
		t.Error("a retry was recorded with no request in flight")
	}
}

// TestBrowserReceiveFirst starts from the page RunWithFiles brought with
// the run's header: the first page is not asked for again.
func TestBrowserReceiveFirst(t *testing.T) {
	srv, c := faultEnv(t, wandbtest.PagingFaults{})
	b := NewBrowser(wandb.RunInfo{Ref: faultRef}, 50, "", nil)
	b.SetHeight(200)
	run, page, err := c.RunWithFiles(context.Background(), faultRef, b.FirstQuery())
	if err != nil {
		t.Fatal(err)
	}
	b.Run = run
	if !b.ReceiveFirst(page, err) || b.ReceiveFirst(page, err) {
		t.Fatal("ReceiveFirst must take the first page once")
	}
	if n := drive(t, b, c, 20); n != 2 || b.Loaded() != 120 || !b.AllLoaded() || b.Total() != 120 {
		t.Fatalf("%d more requests, loaded %d of %d; want 2 more, all 120", n, b.Loaded(), b.Total())
	}
	if n := srv.Stats().GraphQLRequests; n != 3 {
		t.Errorf("%d requests in all, want 3 (run and first page in one)", n)
	}
}
