package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestFetchAllMatchingWalksEveryPage(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "all"}
	for i := range 2500 {
		ext := ".txt"
		if i%2 == 0 {
			ext = ".png"
		}
		run.Files = append(run.Files, wandbtest.FileSpec{Name: fmt.Sprintf("media/f%05d%s", i, ext), Size: 10})
	}
	srv, c, _ := dlServer(t, run)
	before := srv.Stats().GraphQLRequests

	msg := fetchAllMatching(context.Background(), c, dlRef(run), wandb.FilesQuery{Pattern: "%.png", First: 50, After: "stale"}, `matching "*.png"`, 0)()
	m, ok := msg.(matchingFetchedMsg)
	if !ok || m.err != nil {
		t.Fatalf("msg = %T %+v", msg, m.err)
	}
	if len(m.files) != 1250 {
		t.Fatalf("%d files match, want 1250", len(m.files))
	}
	for _, f := range m.files {
		if !strings.HasSuffix(f.Name, ".png") {
			t.Fatalf("%s does not match", f.Name)
		}
	}
	if n := srv.Stats().GraphQLRequests - before; n != 2 {
		t.Fatalf("%d page requests for 1250 files, want 2 of 1000", n)
	}

}

func TestSelectAllOnServerAsksWithCount(t *testing.T) {
	run := dlRun("selall", 300)
	_, c, files := dlServer(t, run)
	dest := t.TempDir()
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest, Source: c, Run: dlRef(run)}, 120, 30)
	sel := h.d.Selection()
	sel.Toggle(files[0]) // part0/file0000.bin, already selected by hand

	h.do(h.d.SelectAllOnServer(wandb.FilesQuery{Pattern: "part0/%"}, `matching "part0/*"`))
	h.settle(10 * time.Second)
	if !h.d.Prompting() {
		t.Fatalf("no prompt; status %q", h.d.Status())
	}
	var known int64
	for _, f := range files {
		if strings.HasPrefix(f.Name, "part0/") {
			known += f.SizeBytes
		}
	}
	want := `Select all 75 files matching "part0/*" (` + model.SizeText(known, 0) + `)? y yes · n/esc no`
	if got := h.d.PromptText(); got != want {
		t.Fatalf("prompt %q\nwant   %q", got, want)
	}
	h.press("n")
	if sel.Len() != 1 {
		t.Fatalf("declined: %d selected", sel.Len())
	}
	h.do(h.d.SelectAllOnServer(wandb.FilesQuery{Pattern: "part0/%"}, `matching "part0/*"`))
	h.settle(10 * time.Second)
	h.press("y")
	if sel.Len() != 75 || h.d.Status() != "74 more selected · 75 selected · "+model.SizeText(known, 0) {
		t.Fatalf("confirmed: %d selected, status %q", sel.Len(), h.d.Status())
	}

	// d downloads the selection and then clears it; with nothing selected
	// it takes the row under the cursor.
	h.do(h.d.RequestSelected(wandb.File{}, false))
	h.until("the selection's downloads", 30*time.Second, func() bool { return h.d.jobs.Len() == 75 && !h.d.Active() })
	if sel.Len() != 0 || h.d.Totals().Done != 75 {
		t.Fatalf("after d: %d selected, totals %+v", sel.Len(), h.d.Totals())
	}
	if cmd := h.d.RequestSelected(wandb.File{}, false); cmd != nil {
		t.Fatal("d with nothing selected and no row did something")
	}
	row := files[len(files)-1] // part3/…, not among the selected
	h.do(h.d.RequestSelected(row, true))
	h.settle(10 * time.Second)
	if st := h.d.State(row.Name); st != "done" {
		t.Fatalf("row download: %q", st)
	}

	// A listing failure is a status, not a prompt.
	h.do(h.d.SelectAllOnServer(wandb.FilesQuery{Pattern: "x", Names: []string{"y"}}, "bad"))
	h.settle(10 * time.Second)
	if h.d.Prompting() || !strings.HasPrefix(h.d.Status(), "could not list the files bad: ") {
		t.Fatalf("failure: prompting=%v status %q", h.d.Prompting(), h.d.Status())
	}
}

func TestDownloadsDecorator(t *testing.T) {
	d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
	var sel model.Selection
	dec := DownloadsDecorator(&sel, d)
	f := wandb.File{Name: "a.txt", SizeBytes: 3}
	if mark, state := dec.Decorate(f); mark != "" || state != "" {
		t.Fatalf("fresh: %q %q", mark, state)
	}
	sel.Toggle(f)
	// A copy of d moving on (as Update returns copies) is still seen.
	d2 := d
	d2.jobs.Enqueue(f)
	if mark, state := dec.Decorate(f); mark != SelectedMark || state != "queued" {
		t.Fatalf("selected and queued: %q %q", mark, state)
	}
}
