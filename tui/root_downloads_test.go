package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// wiredRun starts a server with a run of n numbered files (rows in name
// order) and a wired root model over it; dest is the download folder.
func wiredRun(t *testing.T, id string, n int) (*wandbtest.Server, wandbtest.RunSpec, *rootHarness, string) {
	t.Helper()
	return wiredRunOpts(t, numberedRun(id, n), Options{PageSize: 20})
}

// wiredRunOpts starts a server with run and a wired root model over it
// at 120x30 with opts; dest is the download folder.
func wiredRunOpts(t *testing.T, run wandbtest.RunSpec, opts Options) (*wandbtest.Server, wandbtest.RunSpec, *rootHarness, string) {
	t.Helper()
	srv, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/"+run.ID)
	if opts.Dest == "" {
		opts.Dest = t.TempDir()
	}
	r := newRootHarness(t, c, info, opts, 120, 30)
	return srv, run, r, opts.Dest
}

// selectedNames lists the selection by name, in selection order.
func selectedNames(m *Model) []string {
	var names []string
	for _, f := range m.Selection().Files() {
		names = append(names, f.Name)
	}
	return names
}

// totals are the runner's totals.
func (r *rootHarness) totals() runner.Totals { return r.m.Runner().Totals() }

// job is the runner's job of the file called name.
func (r *rootHarness) job(name string) runner.Job {
	j, _ := r.m.dl.job(name)
	return j
}

// rowOf is the line of screen that shows the file called name.
func rowOf(screen, name string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, " "+name+" ") {
			return l
		}
	}
	return ""
}

// idle reports whether no download is queued or running.
func (r *rootHarness) idle() bool { return !r.totals().Active() }

func TestRootSelectToggleAllAndClear(t *testing.T) {
	_, run, r, _ := wiredRun(t, "sel", 45)

	r.press("space", "space")
	if got := selectedNames(r.m); strings.Join(got, ",") != run.Files[0].Name+","+run.Files[1].Name {
		t.Fatalf("after two spaces: %v", got)
	}
	if r.m.browser.Cursor() != 2 {
		t.Fatalf("space did not move down: cursor %d", r.m.browser.Cursor())
	}
	scr := r.screen()
	if !strings.Contains(scr, "2 selected · 30 B") {
		t.Fatalf("header lacks the selection:\n%s", scr)
	}
	if strings.Count(scr, SelectedMark+" dir0/file00001.txt") != 1 || strings.Count(scr, SelectedMark) != 2 {
		t.Fatalf("marks wrong:\n%s", scr)
	}
	r.press("up", "space") // unselects file 1
	if got := selectedNames(r.m); len(got) != 1 || got[0] != run.Files[0].Name {
		t.Fatalf("toggling off: %v", got)
	}

	// a: every loaded row (20 of 45 loaded, the first page).
	loaded := r.m.browser.Loaded()
	r.press("a")
	if r.m.Selection().Len() != loaded || loaded >= 45 {
		t.Fatalf("a selected %d of %d loaded", r.m.Selection().Len(), loaded)
	}
	if !strings.Contains(r.screen(), "selected 19 more") || !strings.Contains(r.screen(), selectionText(r.m.Selection())) {
		t.Fatalf("no status after a:\n%s", r.screen())
	}
	r.press("c")
	if r.m.Selection().Len() != 0 || strings.Contains(r.screen(), SelectedMark) {
		t.Fatalf("c left %d selected", r.m.Selection().Len())
	}

	// a under a server filter selects only the matching rows.
	r.press("/")
	r.typeText("file0004") // file00040 to file00044
	r.press("enter")
	r.until("the filtered page", 10*time.Second, func() bool { return r.m.browser.Pages() > 0 && !r.m.browser.InFlight() })
	r.press("a")
	got := selectedNames(r.m)
	if len(got) != 5 {
		t.Fatalf("a under the filter selected %v", got)
	}
	for _, n := range got {
		if !strings.Contains(n, "file0004") {
			t.Fatalf("selected %q outside the filter", n)
		}
	}
	r.press("x")
	if r.m.Selection().Len() != 0 {
		t.Fatal("x did not clear the selection")
	}
}

func TestRootSelectAllOnServer(t *testing.T) {
	_, run, r, dest := wiredRun(t, "selall", 130)
	r.press("A")
	r.until("the count", 10*time.Second, func() bool { return r.m.asks.Open() })
	footer := lastLine(r.screen())
	if !strings.Contains(footer, "Select all 130 files in the run") {
		t.Fatalf("footer = %q", footer)
	}
	r.press("y")
	r.settle()
	if n := r.m.Selection().Len(); n != 130 {
		t.Fatalf("selected %d", n)
	}
	if r.m.browser.Loaded() >= 130 {
		t.Fatal("select all on the server loaded every page into the list")
	}
	if !strings.Contains(r.screen(), "130 selected") {
		t.Fatalf("header:\n%s", r.screen())
	}

	// Over 100 files: d asks first, with the count, size and free space.
	r.press("d")
	r.until("the batch question", 10*time.Second, func() bool { return r.m.asks.Open() })
	if f := lastLine(r.screen()); !strings.Contains(f, "Download 130 files") || !strings.Contains(f, "free") {
		t.Fatalf("footer = %q", f)
	}
	if r.totals().Files != 0 {
		t.Fatal("files were queued before the answer")
	}
	r.press("y")
	r.until("every download", 30*time.Second, func() bool {
		return r.totals().Files == 130 && r.idle()
	})
	if tot := r.totals(); tot.Done != 130 {
		t.Fatalf("totals %+v", tot)
	}
	for _, i := range []int{0, 57, 129} {
		checkOnDisk(t, dest, run.Files[i])
	}
}

// A large batch is asked about first: declined, nothing is queued;
// confirmed, it downloads. A small one goes straight in; one that cannot
// fit is refused.
func TestRootLargeBatchAsksFirst(t *testing.T) {
	_, run, r, dest := wiredRunOpts(t, numberedRun("batch", 150), Options{PageSize: 200, Parallel: 8})
	r.settle()
	if r.m.browser.Loaded() != 150 {
		t.Fatalf("%d rows loaded", r.m.browser.Loaded())
	}
	r.press("a", "d")
	r.until("the batch question", 10*time.Second, func() bool { return r.m.asks.Open() })
	if q := lastLine(r.screen()); !strings.HasPrefix(q, "Download 150 files, ") || !strings.Contains(q, " free") {
		t.Fatalf("question %q", q)
	}
	r.press("n")
	r.until("the answer", 5*time.Second, func() bool { return strings.Contains(r.screen(), "download not started") })
	if r.m.asks.Pending() || r.totals().Files != 0 {
		t.Fatalf("declined batch: asking %v, %d jobs:\n%s", r.m.asks.Pending(), r.totals().Files, r.screen())
	}
	if r.m.Selection().Len() != 150 {
		t.Fatalf("declining lost the selection: %d selected", r.m.Selection().Len())
	}

	r.press("d")
	r.until("the batch question again", 10*time.Second, func() bool { return r.m.asks.Open() })
	r.press("y")
	r.until("the batch", 60*time.Second, func() bool { return r.totals().Files == 150 && r.idle() })
	if tot := r.totals(); tot.Done != 150 {
		t.Fatalf("totals %+v", tot)
	}
	if r.m.Selection().Len() != 0 {
		t.Fatal("the selection was not cleared once queued")
	}
	checkOnDisk(t, dest, run.Files[149])

	// Three selected files go straight in, found up to date.
	r.press("home", "space", "space", "space", "d")
	r.until("the small batch", 10*time.Second, func() bool { return r.totals().UpToDate == 3 })
	if r.m.asks.Pending() {
		t.Fatal("a small batch was asked about")
	}

	// A batch that cannot fit is refused, with the space it needs.
	huge := wandb.File{Name: "huge.bin", SizeBytes: 1 << 50}
	r.update(batchCheckedMsg{files: []wandb.File{huge}, free: 1 << 30})
	if _, ok := r.m.dl.job("huge.bin"); ok || !strings.HasPrefix(r.m.dl.statusText(), "refused: not enough space") {
		t.Fatalf("huge file: queued=%v status %q", ok, r.m.dl.statusText())
	}
	if !strings.Contains(r.screen(), "refused: not enough space: 1.0 PiB needed, 1.0 GiB free in "+dest) {
		t.Fatalf("refusal not shown:\n%s", r.screen())
	}
}

// A over a pattern asks with the count and size of the matching files;
// n keeps the selection, y adds them; d downloads the selection and clears
// it, then takes the row under the cursor; a failed listing is a status.
func TestRootSelectAllOnServerAsksWithCount(t *testing.T) {
	run := dlRun("selcount", 300)
	srv, _, r, dest := wiredRunOpts(t, run, Options{PageSize: 20, Pattern: "part0/%"})
	var known int64
	var part0 []wandbtest.FileSpec
	for _, f := range run.Files {
		if strings.HasPrefix(f.Name, "part0/") {
			known += f.Size
			part0 = append(part0, f)
		}
	}
	r.press("space") // the first row, selected by hand
	r.press("A")
	r.until("the question", 10*time.Second, func() bool { return r.m.asks.Open() })
	want := `Select all 75 files matching pattern "part0/%" (` + termtext.Size(known, 0) + `)? y yes · n/esc no`
	if got := lastLine(r.screen()); got != want {
		t.Fatalf("question %q\nwant     %q", got, want)
	}
	r.press("n")
	r.settle()
	if n := r.m.Selection().Len(); n != 1 || r.m.asks.Pending() {
		t.Fatalf("declined: %d selected, asking %v", n, r.m.asks.Pending())
	}
	r.press("A")
	r.until("the question again", 10*time.Second, func() bool { return r.m.asks.Open() })
	r.press("y")
	r.settle()
	if n := r.m.Selection().Len(); n != 75 || !strings.Contains(r.screen(), "selected 74 more (every file matching pattern \"part0/%\") · 75 selected · "+termtext.Size(known, 0)) {
		t.Fatalf("confirmed: %d selected:\n%s", n, r.screen())
	}

	// d downloads the selection (no question: 75 small files) and clears
	// it; with nothing selected it takes the row under the cursor.
	r.press("d")
	r.until("the selection's downloads", 30*time.Second, func() bool { return r.totals().Files == 75 && r.idle() })
	if r.m.Selection().Len() != 0 || r.totals().Done != 75 {
		t.Fatalf("after d: %d selected, totals %+v", r.m.Selection().Len(), r.totals())
	}
	checkOnDisk(t, dest, part0[74])
	r.press("up", "d") // the cursor is on the second row: back to the first
	r.until("the row's download", 10*time.Second, func() bool { return r.totals().UpToDate == 1 })
	if r.totals().Files != 75 {
		t.Fatalf("d on a row queued %d jobs", r.totals().Files)
	}

	// A listing that fails is a status, not a question.
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	r.press("A")
	r.until("the listing to fail", 20*time.Second, func() bool { return !r.m.dl.listingRuns() })
	if r.m.asks.Pending() || !strings.HasPrefix(r.m.dl.statusText(), `could not list the files matching pattern "part0/%": `) {
		t.Fatalf("failure: asking %v, status %q", r.m.asks.Pending(), r.m.dl.statusText())
	}
}

func TestRootDownloadCursorThenSelection(t *testing.T) {
	_, run, r, dest := wiredRun(t, "dl", 30)

	// d with nothing selected: the file under the cursor.
	r.press("down", "d")
	r.until("the cursor's file", 10*time.Second, func() bool { return r.jobState(run.Files[1].Name) == "done" })
	checkOnDisk(t, dest, run.Files[1])
	if r.totals().Files != 1 {
		t.Fatalf("d on the cursor queued %d files", r.totals().Files)
	}

	// d with a selection: exactly the selection, wherever the cursor is.
	r.press("down", "space", "down", "space", "down", "down")
	r.press("d")
	r.until("the selection", 10*time.Second, func() bool {
		return r.jobState(run.Files[2].Name) == "done" && r.jobState(run.Files[4].Name) == "done"
	})
	checkOnDisk(t, dest, run.Files[2])
	checkOnDisk(t, dest, run.Files[4])
	if st := r.jobState(run.Files[3].Name); st != "" {
		t.Fatalf("unselected file 3 is %q", st)
	}
	if r.m.Selection().Len() != 0 {
		t.Fatal("the selection was not cleared once queued")
	}
	r.settle() // the last frame drew the end
	scr := r.screen()
	if strings.Count(scr, " done") != 3 || !strings.Contains(scr, "downloads 3/3") {
		t.Fatalf("state column or header wrong:\n%s", scr)
	}
	if s := r.m.Summary(); !strings.HasPrefix(s, "3 files downloaded (") {
		t.Fatalf("summary = %q", s)
	}
	// Every download done: q quits at once, without a question.
	_, cmd := r.m.Update(keyMsg("q"))
	if cmd == nil || r.m.asks.Pending() {
		t.Fatalf("q after the downloads: asking %v", r.m.asks.Pending())
	}
	if msg, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatalf("q after the downloads gave %T, not tea.QuitMsg", msg)
	}
}

// While downloads run, the list's STATE column shows each job's state (a
// running one's percentage) and the header how far the downloads are;
// cancelled and failed jobs are named apart, never counted as on disk.
func TestRootListStateAndHeaderWhileDownloading(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "liststate", Files: []wandbtest.FileSpec{
		{Name: "a/big.bin", Size: 512 << 10},
		{Name: "b/small.txt", Content: []byte("small\n")},
		{Name: "c/mine.txt", Content: []byte("from the run\n")},
	}}
	dest := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dest, "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "c", "mine.txt"), []byte("my own\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, _, r, _ := wiredRunOpts(t, run, Options{Dest: dest})
	srv.SetFaults(wandbtest.AllTargets&^wandbtest.GraphQL, wandbtest.Faults{BytesPerSecond: 1 << 20})
	r.press("a", "d")
	r.until("the small file, the failure and some of the big one", 20*time.Second, func() bool {
		return r.jobState("b/small.txt") == "done" && r.jobState("c/mine.txt") == "failed" && r.job("a/big.bin").Done > 0
	})
	scr := r.screen()
	for name, want := range map[string]*regexp.Regexp{
		"a/big.bin":   regexp.MustCompile(` \d{1,2}% *$`), // running, not yet done
		"b/small.txt": regexp.MustCompile(` done *$`),
		"c/mine.txt":  regexp.MustCompile(` failed *$`),
	} {
		if row := rowOf(scr, name); !want.MatchString(row) {
			t.Fatalf("the STATE column of %s: row %q:\n%s", name, row, scr)
		}
	}
	if !strings.Contains(scr, "downloads 1/3 ") || !strings.Contains(scr, "%, 1 failed (tab) · download to ") {
		t.Fatalf("header while downloading:\n%s", scr)
	}
	r.press("tab", "x", "tab") // cancel the big one in the downloads view
	r.settle()
	scr = r.screen()
	if !strings.Contains(scr, "downloads 1/3, 1 failed, 1 cancelled (tab) · download to ") || !regexp.MustCompile(` cancelled *$`).MatchString(rowOf(scr, "a/big.bin")) {
		t.Fatalf("after a cancel:\n%s", scr)
	}
}

func TestRootDownloadsViewTab(t *testing.T) {
	_, run, r, _ := wiredRun(t, "tab", 10)
	r.press("tab")
	if r.m.State() != "downloads" || !strings.Contains(r.screen(), "No downloads yet") {
		t.Fatalf("tab: %s\n%s", r.m.State(), r.screen())
	}
	if f := lastLine(r.screen()); !strings.Contains(f, "tab downloads") || strings.Contains(f, "cancel") {
		t.Fatalf("footer with no job = %q", f)
	}
	r.press("tab", "d")
	if r.m.State() != "list" {
		t.Fatalf("tab back: %s", r.m.State())
	}
	r.until("the download", 10*time.Second, func() bool { return r.jobState(run.Files[0].Name) == "done" })
	r.press("tab")
	scr := r.screen()
	if !strings.Contains(scr, "1 of 1 done") || !strings.Contains(scr, run.Files[0].Name) {
		t.Fatalf("downloads view:\n%s", scr)
	}
	if n := len(strings.Split(scr, "\n")); n != 30 {
		t.Fatalf("downloads view is %d lines at 120x30", n)
	}
	r.press("?")
	if !strings.Contains(r.screen(), "downloads") || r.m.State() != "help" {
		t.Fatalf("help from downloads:\n%s", r.screen())
	}
	r.press("esc")
	if r.m.State() != "downloads" {
		t.Fatalf("help closed to %s", r.m.State())
	}
}

// slowRun is a run whose first file downloads slowly (the server's body
// endpoints are throttled), so a test can act while it runs.
func slowRun(t *testing.T, id string) (*wandbtest.Server, wandbtest.RunSpec, *rootHarness, string) {
	t.Helper()
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: id, Files: []wandbtest.FileSpec{
		{Name: "a/big.bin", Size: 512 << 10},
		{Name: "b/small.txt", Content: []byte("small\n")},
	}}
	srv, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/"+id)
	dest := t.TempDir()
	r := newRootHarness(t, c, info, Options{Dest: dest}, 100, 30)
	srv.SetFaults(wandbtest.AllTargets&^wandbtest.GraphQL, wandbtest.Faults{BytesPerSecond: 1 << 20})
	return srv, run, r, dest
}

func TestRootDownloadsFlowInDetailView(t *testing.T) {
	_, run, r, dest := slowRun(t, "detail")
	r.press("d", "enter") // download a/big.bin, then read its details
	if r.m.State() != "detail" {
		t.Fatalf("state %s", r.m.State())
	}
	r.until("some progress", 10*time.Second, func() bool {
		j := r.job("a/big.bin")
		return j.State == runner.Running && j.Done > 0 && strings.Contains(r.screen(), "downloading, ")
	})
	r.until("the download", 20*time.Second, func() bool {
		return r.jobState("a/big.bin") == "done" && strings.Contains(r.screen(), "download   done")
	})
	if r.m.State() != "detail" {
		t.Fatalf("left the detail view for %s", r.m.State())
	}
	checkOnDisk(t, dest, run.Files[0])
}

func TestRootDetailShowsFailureReason(t *testing.T) {
	srv, _, r, dest := slowRun(t, "fail")
	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	// Reload the list so the rows carry the wrong md5.
	r.press("/")
	r.typeText("small")
	r.press("enter")
	r.until("the filtered page", 10*time.Second, func() bool { return r.m.browser.Pages() > 0 && !r.m.browser.InFlight() })
	r.press("enter", "d")
	r.until("the failure", 10*time.Second, func() bool { return r.jobState("b/small.txt") == "failed" })
	r.settle()
	reason := r.job("b/small.txt").Reason()
	if reason == "" || !strings.Contains(strings.Join(strings.Fields(r.screen()), " "), "failed: "+reason[:min(len(reason), 20)]) {
		t.Fatalf("reason %q not in the detail view:\n%s", reason, r.screen())
	}
	noFinalFile(t, dest, "b/small.txt")
	// The summary names the failure: "1 failed: <cause>: <names>".
	if s := r.m.Summary(); !strings.Contains(s, "1 failed") || !strings.Contains(s, "\n  1 failed: md5") || !strings.HasSuffix(s, ": b/small.txt") {
		t.Fatalf("summary = %q", s)
	}
}

func TestRootQuitAsksWhileDownloading(t *testing.T) {
	_, run, r, dest := slowRun(t, "quit")
	r.press("d")
	r.until("the download to start", 10*time.Second, func() bool { return r.m.dl.active() })
	r.press("q")
	if r.quit || !r.m.asks.Open() {
		t.Fatal("q while downloading did not ask")
	}
	if f := lastLine(r.screen()); !strings.Contains(f, "1 download unfinished") {
		t.Fatalf("footer = %q", f)
	}
	r.press("j") // not an answer: the question stays, the cursor stays
	if !r.m.asks.Open() || r.m.browser.Cursor() != 0 {
		t.Fatal("a key that is no answer changed something")
	}
	r.press("n")
	r.until("the answer", 5*time.Second, func() bool { return !r.m.asks.Pending() })
	if r.quit || !r.m.dl.active() {
		t.Fatal("n did not keep going")
	}
	// Wait, then quit: the program ends once the file is complete.
	r.press("q", "w")
	r.until("the quit", 20*time.Second, func() bool { return r.quit })
	checkOnDisk(t, dest, run.Files[0])
	if s := r.m.Summary(); !strings.HasPrefix(s, "1 file downloaded (512 KiB)") {
		t.Fatalf("summary = %q", s)
	}
}

func TestRootQuitCancelsAndQuits(t *testing.T) {
	_, _, r, dest := slowRun(t, "quityes")
	r.press("space", "space", "d")
	r.until("the downloads to start", 10*time.Second, func() bool { return r.totals().Files == 2 })
	r.press("q")
	if f := lastLine(r.screen()); !strings.Contains(f, "unfinished") {
		t.Fatalf("footer = %q", f)
	}
	r.press("esc") // esc is no: keep going
	r.until("the answer", 5*time.Second, func() bool { return !r.m.asks.Pending() })
	if r.quit {
		t.Fatal("esc quit")
	}
	r.press("q", "y")
	r.until("the quit", 10*time.Second, func() bool { return r.quit })
	if tot := r.totals(); tot.Active() || tot.Cancelled == 0 {
		t.Fatalf("cancel and quit left %+v", tot)
	}
	r.m.Runner().Close() // the program's end: every download returned
	noFinalFile(t, dest, "a/big.bin")
	if s := r.m.Summary(); !strings.Contains(s, "cancelled") {
		t.Fatalf("summary = %q", s)
	}
}

func TestRootCtrlCTwiceForcesQuit(t *testing.T) {
	_, _, r, dest := slowRun(t, "force")
	r.press("d")
	r.until("the download to start", 10*time.Second, func() bool { return r.m.dl.active() })
	r.press("ctrl+c")
	if r.quit || !r.m.asks.Open() {
		t.Fatal("the first ctrl+c did not ask")
	}
	mm, cmd := r.m.Update(keyMsg("ctrl+c"))
	r.m = mm.(*Model)
	if cmd == nil {
		t.Fatal("the second ctrl+c did nothing")
	}
	if msg, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatalf("the second ctrl+c gave %T, not tea.QuitMsg", msg)
	}
	if r.m.dl.active() || r.totals().Cancelled != 1 {
		t.Fatalf("force quit left %+v", r.totals())
	}
	r.m.Runner().Close()
	noFinalFile(t, dest, "a/big.bin")
	if s := r.m.Summary(); !strings.Contains(s, "1 cancelled") {
		t.Fatalf("summary = %q", s)
	}
}

func TestRootUnwiredHasNoSelectionKeys(t *testing.T) {
	run := numberedRun("plain", 5)
	_, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/plain")
	d := newDriver(t, c, info, Options{}, 100, 30)
	d.settle()
	d.press("space", "d", "tab", "A")
	d.settle()
	if d.m.State() != "list" || d.m.browser.Cursor() != 0 || d.m.Runner() != nil || d.m.Selection().Len() != 0 || d.m.asks.Pending() {
		t.Fatalf("keys of an unwired program acted: %s cursor %d", d.m.State(), d.m.browser.Cursor())
	}
	if d.m.Summary() != "" || d.m.Outcome().String() != "" {
		t.Fatalf("unwired summary %q", d.m.Summary())
	}
	if f := lastLine(d.screen()); strings.Contains(f, "select") || strings.Contains(f, "download") {
		t.Fatalf("footer advertises unwired keys: %q", f)
	}
}

func TestRootDownloadsFlowWhileFiltering(t *testing.T) {
	_, run, r, dest := slowRun(t, "typing")
	r.press("d", "/")
	r.typeText("sm")
	r.until("the download", 20*time.Second, func() bool { return r.jobState("a/big.bin") == "done" })
	if r.m.State() != "filter" || r.m.filter.Value() != "sm" {
		t.Fatalf("the filter line was disturbed: %s %q", r.m.State(), r.m.filter.Value())
	}
	checkOnDisk(t, dest, run.Files[0])
	r.press("esc")
	r.settle()
	if !strings.Contains(r.screen(), "downloads 1/1") {
		t.Fatalf("list header:\n%s", r.screen())
	}
}

func TestRootCancelAndRetryInDownloadsView(t *testing.T) {
	srv, run, r, dest := slowRun(t, "cancel")
	r.press("d", "tab")
	r.until("some bytes", 10*time.Second, func() bool {
		return r.job("a/big.bin").Done > 0 && strings.Contains(lastLine(r.screen()), "x cancel job")
	})
	r.press("x") // in the list x clears the selection; here it cancels
	if st := r.jobState("a/big.bin"); st != "cancelled" {
		t.Fatalf("after x: %q", st)
	}
	r.settle()
	noFinalFile(t, dest, "a/big.bin")
	if f := lastLine(r.screen()); !strings.Contains(f, "r retry job") || strings.Contains(f, "x cancel job") {
		t.Fatalf("footer on a cancelled job = %q", f)
	}
	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	r.press("r") // in the list r retries a page; here the job
	r.until("the retried download", 20*time.Second, func() bool { return r.jobState("a/big.bin") == "done" })
	checkOnDisk(t, dest, run.Files[0])
	if r.m.State() != "downloads" {
		t.Fatalf("state %s", r.m.State())
	}
}

// X cancels every active job in the downloads view and leaves the
// others; the footer then offers no cancel.
func TestRootCancelAllInDownloadsView(t *testing.T) {
	_, _, r, dest := slowRun(t, "cancelall")
	r.press("space", "space", "d", "tab")
	r.until("the small file and some bytes of the big one", 10*time.Second, func() bool {
		return r.job("a/big.bin").Done > 0 && r.jobState("b/small.txt") == "done"
	})
	if f := lastLine(r.screen()); !strings.Contains(f, "X cancel all") {
		t.Fatalf("footer while running = %q", f)
	}
	r.press("X")
	if tot := r.totals(); tot.Active() || tot.Cancelled != 1 || tot.Done != 1 {
		t.Fatalf("after X: %+v", tot)
	}
	r.settle()
	noFinalFile(t, dest, "a/big.bin")
	if f := lastLine(r.screen()); strings.Contains(f, "cancel job") || strings.Contains(f, "cancel all") {
		t.Fatalf("footer with nothing active = %q", f)
	}
}

// A file that fails on a wrong md5 is listed anew when retried: once the
// server sends the right md5, the retry succeeds. The downloads view shows
// the reason and offers only the keys that act on a failed job.
func TestRootRetryListsTheFileAnew(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "md5", Files: []wandbtest.FileSpec{
		{Name: "data/table.json", Size: 300 << 10},
	}}
	srv, c := newServer(t, run)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	info := openRun(t, c, "ent/proj/md5")
	dest := t.TempDir()
	r := newRootHarness(t, c, info, Options{Dest: dest}, 120, 30)
	r.press("d", "tab")
	r.until("the failure", 20*time.Second, func() bool { return r.jobState("data/table.json") == "failed" && r.idle() })
	r.settle()
	if reason := r.job("data/table.json").Reason(); !strings.Contains(reason, "md5") {
		t.Fatalf("reason %q, want an md5 mismatch", reason)
	}
	noFinalFile(t, dest, "data/table.json")
	scr := r.screen()
	if !strings.Contains(scr, "md5 mismatch") || !strings.Contains(scr, "failed: ") {
		t.Fatalf("the view does not show the reason:\n%s", scr)
	}
	offered := map[string]bool{}
	for _, b := range r.m.downloadsHelpKeys().ShortHelp() {
		offered[b.Help().Desc] = b.Enabled()
	}
	if !offered["retry job"] || !offered["retry failed/cancelled"] || offered["cancel job"] {
		t.Fatalf("help on a failed job offers %v", offered)
	}
	if f := lastLine(scr); !strings.Contains(f, "r retry job") || strings.Contains(f, "cancel job") {
		t.Fatalf("footer on a failed job = %q", f)
	}

	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{})
	before := srv.Stats().GraphQLRequests
	r.press("r")
	r.until("the retry", 20*time.Second, func() bool { return r.jobState("data/table.json") == "done" })
	if n := srv.Stats().GraphQLRequests - before; n != 1 {
		t.Fatalf("the retry sent %d listing requests, want 1", n)
	}
	checkOnDisk(t, dest, run.Files[0])
}

// R retries every failed job, r the one under the cursor; with nothing
// failed they are disabled: they do nothing and the help does not offer
// them.
func TestRootRetryFailedInDownloadsView(t *testing.T) {
	run := dlRun("errors", 3)
	srv, _, r, dest := wiredRunOpts(t, run, Options{Parallel: 2})
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 1})
	r.press("a", "d", "tab")
	r.until("three failures", 20*time.Second, func() bool { return r.totals().Failed == 3 && r.idle() })
	r.press("r") // the job under the cursor, while the server still fails
	r.until("the retry to fail again", 20*time.Second, func() bool {
		return r.job(r.m.Runner().Jobs(0, 1)[0].Name).Attempt == 2 && r.idle()
	})
	if tot := r.totals(); tot.Failed != 3 {
		t.Fatalf("retry while the server still fails: %+v", tot)
	}

	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	r.press("R")
	r.until("every retry", 20*time.Second, func() bool { return r.totals().Done == 3 })
	r.settle()
	for _, spec := range run.Files {
		checkOnDisk(t, dest, spec)
	}
	v := r.m.Runner().Version()
	r.press("R", "r")
	r.settle()
	if r.m.Runner().Version() != v || r.m.dl.active() {
		t.Fatalf("disabled retry acted: totals %+v", r.totals())
	}
	for _, b := range r.m.downloadsHelpKeys().ShortHelp() {
		if b.Enabled() && (b.Help().Desc == "retry job" || b.Help().Desc == "retry failed/cancelled" || b.Help().Desc == "cancel job") {
			t.Fatalf("help offers %q with nothing to do", b.Help().Desc)
		}
	}
}

// A local file with other content is kept (the job fails, saying so);
// with Overwrite, the run's file replaces it.
func TestRootKeepsADifferentLocalFile(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "exists", Files: []wandbtest.FileSpec{
		{Name: "notes/readme.txt", Content: []byte("from the run\n")},
	}}
	_, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/exists")
	dest := t.TempDir()
	local := filepath.Join(dest, "notes", "readme.txt")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte("my own edits\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRootHarness(t, c, info, Options{Dest: dest}, 120, 30)
	r.press("d")
	r.until("the download to end", 10*time.Second, func() bool { return r.jobState("notes/readme.txt") == "failed" })
	if j := r.job("notes/readme.txt"); runner.ShortReason(j.Err) != "exists, differs" {
		t.Fatalf("reason %q", j.Reason())
	}
	r.press("tab")
	r.settle()
	if !strings.Contains(r.screen(), "exists, differs") {
		t.Fatalf("the view does not say why:\n%s", r.screen())
	}
	if b, _ := os.ReadFile(local); string(b) != "my own edits\n" {
		t.Fatalf("local file changed to %q", b)
	}

	r2 := newRootHarness(t, c, info, Options{Dest: dest, Existing: wandb.Overwrite}, 120, 30)
	r2.press("d")
	r2.until("the overwrite", 10*time.Second, func() bool { return r2.jobState("notes/readme.txt") == "done" })
	checkOnDisk(t, dest, run.Files[0])
}
