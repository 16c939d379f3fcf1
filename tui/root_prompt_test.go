package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// A question that opens on its own (the listing of A came back) while the
// user types a filter takes none of the typed keys: it waits in the
// status line, opens back in the list, and only y confirms it.
func TestRootHeldQuestionLeavesFilterKeys(t *testing.T) {
	_, _, r, _ := wiredRun(t, "held", 300)
	r.press("A", "/")
	r.settle() // the listing of every file came back
	r.typeText("file0001y")
	if got := r.m.filter.Value(); got != "file0001y" {
		t.Fatalf("filter line has %q, want every typed key", got)
	}
	if n := r.m.Selection().Len(); n != 0 || r.m.downloads.Prompting() {
		t.Fatalf("while typing: %d selected, prompting %v", n, r.m.downloads.Prompting())
	}
	if scr := r.screen(); !strings.Contains(scr, "back in the list: Select all 300 files") {
		t.Fatalf("the waiting question is not shown:\n%s", scr)
	}

	r.press("esc") // back in the list: the question opens
	if r.m.State() != "list" || !r.m.downloads.Prompting() {
		t.Fatalf("back in the list: state %s, prompting %v", r.m.State(), r.m.downloads.Prompting())
	}
	r.press("enter")
	if n := r.m.Selection().Len(); n != 0 || !r.m.downloads.Prompting() {
		t.Fatalf("enter answered a question that opened on its own: %d selected", n)
	}
	r.press("y")
	if n := r.m.Selection().Len(); n != 300 || r.m.downloads.Prompting() {
		t.Fatalf("y: %d selected, prompting %v", n, r.m.downloads.Prompting())
	}
}

// evilText holds what a hostile server could send: a screen clear and a
// bell.
const evilText = "x\x1b[2J\ay"

// noControls fails when raw terminal output carries evilText's sequences.
func noControls(t *testing.T, what, raw string) {
	t.Helper()
	if strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\a") {
		t.Fatalf("%s lets control characters through: %q", what, raw)
	}
}

func TestServerTextSanitized(t *testing.T) {
	c := common{width: 120, height: 30, styles: DefaultStyles(true), now: func() time.Time { return testNow }}
	b := model.NewBrowser(wandb.RunInfo{Ref: wandb.RunRef{Entity: "e", Project: "p", RunID: "r"}, DisplayName: evilText, State: evilText}, 50, "", []string{evilText})
	l := newListView(c, b, "/tmp", nil)
	noControls(t, "the list header", l.headerView())

	d := NewDownloads(DownloadsOptions{Dest: t.TempDir()})
	d.jobs.Enqueue(wandb.File{Name: evilText, SizeBytes: 3})
	d, _ = d.Update(keyMsg("x"))
	if !strings.Contains(d.Status(), "cancelled x?[2J?y") {
		t.Fatalf("status %q", d.Status())
	}
	noControls(t, "the cancel status", d.Status())

	d = d.matchingFetched(matchingFetchedMsg{what: "in the run", err: errors.New(evilText)})
	noControls(t, "the listing error", d.Status())
}

// While A lists every file, its status stays up through other keys, a
// second A starts nothing, and esc cancels it.
func TestRootSelectAllListingGuard(t *testing.T) {
	srv, _, r, _ := wiredRun(t, "guard", 300)
	r.settle()
	before := srv.Stats().GraphQLRequests
	r.press("A", "down")
	if !strings.Contains(lastStatus(r), "listing every file in the run… (esc cancels)") {
		t.Fatalf("the listing's status went away:\n%s", r.screen())
	}
	r.press("A")
	r.settle()
	if n := srv.Stats().GraphQLRequests - before; n != 1 {
		t.Fatalf("%d listing requests for two A, want 1", n)
	}
	r.press("y")
	if n := r.m.Selection().Len(); n != 300 {
		t.Fatalf("selected %d", n)
	}

	r.press("c", "A", "esc")
	if r.m.downloads.Listing() || !strings.Contains(r.screen(), "listing cancelled") {
		t.Fatalf("esc did not cancel the listing:\n%s", r.screen())
	}
	r.settle()
	if r.m.downloads.Prompting() || r.m.Selection().Len() != 0 {
		t.Fatalf("a cancelled listing still asked: prompting %v, %d selected", r.m.downloads.Prompting(), r.m.Selection().Len())
	}
	// The downloads view shows the listing too, and esc cancels it there.
	r.press("A", "tab")
	if !strings.Contains(r.screen(), "listing every file in the run… (esc cancels)") {
		t.Fatalf("the downloads view hides the listing:\n%s", r.screen())
	}
	r.press("esc")
	if r.m.downloads.Listing() || r.m.State() != "downloads" {
		t.Fatalf("esc in the downloads view: listing %v, state %s", r.m.downloads.Listing(), r.m.State())
	}
	r.settle()
	r.press("tab", "A") // a new listing after a cancelled one still works
	r.settle()
	if !r.m.downloads.Prompting() {
		t.Fatalf("no question after a new A:\n%s", r.screen())
	}
}

// lastStatus is the list's status line, above the footer.
func lastStatus(r *rootHarness) string {
	lines := strings.Split(r.screen(), "\n")
	return lines[len(lines)-2]
}

// The list's header counts the files on disk, not every job that ended:
// cancelled and failed jobs are named apart.
func TestListHeaderDownloadsCounts(t *testing.T) {
	c := common{width: 160, height: 30, styles: DefaultStyles(true), now: func() time.Time { return testNow }}
	l := newListView(c, model.NewBrowser(wandb.RunInfo{}, 50, "", nil), "/tmp", nil)
	var q model.Jobs
	files := make([]wandb.File, 6)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("f%d", i), SizeBytes: 4}
	}
	q.Enqueue(files...)
	starts := q.Next(3)
	q.Finished(starts[0].ID, starts[0].Attempt, wandb.DownloadResult{Status: wandb.Downloaded, Bytes: 4}, nil, testNow)
	q.Finished(starts[1].ID, starts[1].Attempt, wandb.DownloadResult{}, errors.New("boom"), testNow)
	q.Cancel(starts[2].ID)
	q.Cancel(model.JobID(3))
	l.totals = q.Totals
	got := ansi.Strip(l.headerView())
	if want := "downloads 1/6, 1 failed, 2 cancelled (tab) · download to /tmp"; !strings.Contains(got, want) {
		t.Fatalf("header %q\nwant %q", got, want)
	}
}

// The quit question asked over an open select question does not lose it:
// declining to quit brings it back.
func TestRootQuitQuestionKeepsTheOther(t *testing.T) {
	m := New(Options{Downloader: panicky{}, Dest: t.TempDir()})
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = mm.(*Model)
	m.downloads.jobs.Enqueue(wandb.File{Name: "running.bin", SizeBytes: 1}) // a download is active
	m.downloads = m.downloads.matchingFetched(matchingFetchedMsg{what: "in the run", files: []wandb.File{{Name: "a"}, {Name: "b"}}})
	for _, k := range []string{"ctrl+c", "n"} {
		mm, _ = m.Update(keyMsg(k))
		m = mm.(*Model)
	}
	if m.downloads.prompt != promptSelect {
		t.Fatalf("after declining to quit: question %v, want the select question back", m.downloads.prompt)
	}
	mm, _ = m.Update(keyMsg("y"))
	if n := mm.(*Model).Selection().Len(); n != 2 {
		t.Fatalf("selected %d", n)
	}
}
