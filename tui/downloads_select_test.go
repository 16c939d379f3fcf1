package tui

import (
	"fmt"
	"strings"
	"testing"

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

	msg := fetchAllMatching(c, dlRef(run), wandb.FilesQuery{Pattern: "%.png", First: 50, After: "stale"}, 7)()
	m, ok := msg.(matchingFetchedMsg)
	if !ok || m.err != nil || m.gen != 7 {
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

	var sel model.Selection
	sel.Add(m.files...)
	if sel.Len() != 1250 || sel.Header() != "1,250 selected · 13 kB" {
		t.Fatalf("selection: %d, %q", sel.Len(), sel.Header())
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
