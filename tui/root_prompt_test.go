package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// A question that opens on its own (the listing of A came back) while the
// user types a filter takes none of the typed keys: it waits in the
// status line, opens back in the list, and only y confirms it.
func TestRootHeldQuestionLeavesFilterKeys(t *testing.T) {
	_, _, r, _ := wiredRun(t, "held", 300)
	r.press("A", "/")
	r.until("the listing of every file", 10*time.Second, func() bool { return r.m.asks.Pending() })
	r.typeText("file0001y")
	if got := r.m.filter.Value(); got != "file0001y" {
		t.Fatalf("filter line has %q, want every typed key", got)
	}
	if n := r.m.Selection().Len(); n != 0 || r.m.asks.Open() {
		t.Fatalf("while typing: %d selected, question open %v", n, r.m.asks.Open())
	}
	if scr := r.screen(); !strings.Contains(scr, "back in the list: Select all 300 files") {
		t.Fatalf("the waiting question is not shown:\n%s", scr)
	}

	r.press("esc") // back in the list: the question opens
	if r.m.State() != "list" || !r.m.asks.Open() {
		t.Fatalf("back in the list: state %s, question open %v", r.m.State(), r.m.asks.Open())
	}
	if f := lastLine(r.screen()); !strings.HasPrefix(f, "Select all 300 files in the run") {
		t.Fatalf("footer %q", f)
	}
	r.press("enter")
	r.settle()
	if n := r.m.Selection().Len(); n != 0 || !r.m.asks.Open() {
		t.Fatalf("enter answered a question that opened on its own: %d selected", n)
	}
	r.press("y")
	r.settle()
	if n := r.m.Selection().Len(); n != 300 || r.m.asks.Pending() {
		t.Fatalf("y: %d selected, asking %v", n, r.m.asks.Pending())
	}
}

// A question held in the detail view and the help waits too, and the
// quit question, asked on a key, goes before it even there.
func TestRootHeldQuestionInDetailAndHelp(t *testing.T) {
	_, _, r, _ := wiredRun(t, "helddetail", 30)
	r.press("enter") // the detail view of the first file
	r.update(matchingFetchedMsg{what: "in the run", files: []wandb.File{{Name: "x"}}})
	if r.m.asks.Open() || !strings.Contains(r.screen(), "back in the list: Select all 1 file") {
		t.Fatalf("in the detail view: open %v:\n%s", r.m.asks.Open(), r.screen())
	}
	r.press("y", "?")
	if r.m.State() != "help" || r.m.Selection().Len() != 0 {
		t.Fatalf("y in the detail view answered: state %s, %d selected", r.m.State(), r.m.Selection().Len())
	}
	r.press("n", "esc", "esc")
	r.settle()
	if r.m.State() != "list" || !r.m.asks.Open() || r.m.Selection().Len() != 0 {
		t.Fatalf("back in the list: state %s, open %v, %d selected", r.m.State(), r.m.asks.Open(), r.m.Selection().Len())
	}
	r.press("y")
	r.settle()
	if r.m.Selection().Len() != 1 {
		t.Fatalf("y in the list selected %d", r.m.Selection().Len())
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
	c := testCommon(120, 30)
	b := model.NewBrowser(wandb.RunInfo{Ref: wandb.RunRef{Entity: "e", Project: "p", RunID: "r"}, DisplayName: evilText, State: evilText}, 50, "", []string{evilText})
	l := newListView(c, b, "/tmp", nil)
	noControls(t, "the list header", l.headerView())

	// A job named and failed by the server, in the downloads view.
	r := newMsgRoot(t, 120, 30)
	run := r.m.Runner()
	run.Add(wandb.File{Name: evilText, SizeBytes: 3}, wandb.File{Name: "b" + evilText, SizeBytes: 3})
	r.dl.finish(t, run, evilText, wandb.DownloadResult{}, errors.New(evilText))
	r.press("tab")
	frame := r.m.View().Content
	if !strings.Contains(ansi.Strip(frame), "failed: x?[2J?y") {
		t.Fatalf("the failure is not shown:\n%s", ansi.Strip(frame))
	}
	noControls(t, "the downloads view on a failed job", frame)
	r.press("down")
	noControls(t, "the downloads view on a running job", r.m.View().Content)
	dv, _ := newDetailView(testCommon(120, 30), wandb.File{Name: evilText}, "/tmp", r.m.jobText(evilText), newPreviewCache(), nil, 1)
	if v := ansi.Strip(dv.view()); !strings.Contains(v, "download   failed: x?[2J?y") {
		t.Fatalf("the detail view lacks the failure:\n%s", v)
	}
	noControls(t, "the detail view's download line", dv.view())

	// A listing error in the status line.
	r.press("tab")
	r.update(matchingFetchedMsg{what: "in the run", err: errors.New(evilText)})
	frame = r.m.View().Content
	if !strings.Contains(ansi.Strip(frame), "could not list the files in the run: x") {
		t.Fatalf("the listing error is not shown:\n%s", ansi.Strip(frame))
	}
	noControls(t, "the listing error", frame)
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
	if !strings.Contains(lastStatus(r), "already listing every file in the run… (esc cancels)") {
		t.Fatalf("a second A:\n%s", r.screen())
	}
	r.settle()
	if n := srv.Stats().GraphQLRequests - before; n != 1 {
		t.Fatalf("%d listing requests for two A, want 1", n)
	}
	r.press("y")
	r.settle()
	if n := r.m.Selection().Len(); n != 300 {
		t.Fatalf("selected %d", n)
	}

	r.press("c", "A", "esc")
	if r.m.dl.listingRuns() || !strings.Contains(r.screen(), "listing cancelled") {
		t.Fatalf("esc did not cancel the listing:\n%s", r.screen())
	}
	r.settle()
	if r.m.asks.Pending() || r.m.Selection().Len() != 0 {
		t.Fatalf("a cancelled listing still asked: asking %v, %d selected", r.m.asks.Pending(), r.m.Selection().Len())
	}
	// The downloads view shows the listing too, and esc cancels it there.
	r.press("A", "tab")
	if !strings.Contains(r.screen(), "listing every file in the run… (esc cancels)") {
		t.Fatalf("the downloads view hides the listing:\n%s", r.screen())
	}
	r.press("esc")
	if r.m.dl.listingRuns() || r.m.State() != "downloads" {
		t.Fatalf("esc in the downloads view: listing %v, state %s", r.m.dl.listingRuns(), r.m.State())
	}
	r.settle()
	r.press("tab", "A") // a new listing after a cancelled one still works
	r.settle()
	if !r.m.asks.Open() {
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
	s := newStepDL()
	run := runner.New(s, runner.Options{Dest: "/tmp", Parallel: 1})
	t.Cleanup(run.Close)
	files := make([]wandb.File, 6)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("f%d", i), SizeBytes: 4}
	}
	run.Add(files...)
	s.finish(t, run, "f0", wandb.DownloadResult{Name: "f0", Status: wandb.Downloaded, Bytes: 4}, nil)
	s.finish(t, run, "f1", wandb.DownloadResult{}, errors.New("boom"))
	s.call(t, "f2")
	run.Cancel("f2") // running
	run.Cancel("f3") // queued
	s.call(t, "f4")
	tot := run.Totals()
	if tot.Running != 1 || tot.Queued != 1 {
		t.Fatalf("totals %+v", tot)
	}
	l := newListView(testCommon(160, 30), model.NewBrowser(wandb.RunInfo{}, 50, "", nil), "/tmp", &downloads{run: run, sel: &model.Selection{}})
	got := ansi.Strip(l.headerView())
	want := fmt.Sprintf("downloads 1/6 %.0f%%, 1 failed, 2 cancelled (tab) · download to /tmp", tot.Fraction()*100)
	if !strings.Contains(got, want) {
		t.Fatalf("header %q\nwant %q", got, want)
	}
}

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

	msg := fetchAllMatching(context.Background(), c, dlRef(run), wandb.FilesQuery{Pattern: "%.png", First: 50, After: "stale"}, `matching "*.png"`, 7)()
	m, ok := msg.(matchingFetchedMsg)
	if !ok || m.err != nil {
		t.Fatalf("msg = %T %+v", msg, m.err)
	}
	if len(m.files) != 1250 || m.gen != 7 || m.what != `matching "*.png"` {
		t.Fatalf("%d files match (want 1250), gen %d, what %q", len(m.files), m.gen, m.what)
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

// Two questions that open on their own at about the same time (the
// listing of A and the free space check of d came back) are asked one
// after the other: answering the first asks the second.
func TestRootOwnQuestionsInTurn(t *testing.T) {
	_, _, r, _ := wiredRunOpts(t, numberedRun("turn", 150), Options{PageSize: 200})
	r.settle()
	r.press("A", "a", "d") // the listing and the batch check run at once
	r.until("both questions", 10*time.Second, func() bool { return len(r.m.asks.queue) == 2 })
	first, _ := r.m.asks.front()
	second := r.m.asks.queue[1]
	if first.kind == second.kind || !first.own || !second.own {
		t.Fatalf("queued %v and %v", first.kind, second.kind)
	}
	texts := map[questionKind]string{askBatch: "Download 150 files, ", askSelect: "Select all 150 files in the run"}
	if f := lastLine(r.screen()); !strings.HasPrefix(f, texts[first.kind]) {
		t.Fatalf("asking %q, want the first to arrive (%v)", f, first.kind)
	}
	r.press("n")
	r.settle()
	if q, ok := r.m.asks.front(); !ok || q.kind != second.kind || !strings.HasPrefix(lastLine(r.screen()), texts[second.kind]) {
		t.Fatalf("after answering the first: asking %v, footer %q", ok, lastLine(r.screen()))
	}
	r.press("n")
	r.settle()
	if r.m.asks.Pending() || r.totals().Files != 0 || r.m.Selection().Len() != 150 {
		t.Fatalf("after both: asking %v, %d jobs, %d selected", r.m.asks.Pending(), r.totals().Files, r.m.Selection().Len())
	}
}
