package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// wiredRun starts a server with a run of n numbered files (rows in name
// order) and a wired root model over it; dest is the download folder.
func wiredRun(t *testing.T, id string, n int) (*wandbtest.Server, wandbtest.RunSpec, *rootHarness, string) {
	t.Helper()
	run := numberedRun(id, n)
	srv, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/"+id)
	dest := t.TempDir()
	r := newRootHarness(t, c, info, Options{Dest: dest, PageSize: 20}, 120, 30)
	return srv, run, r, dest
}

// selectedNames lists the selection by name, in selection order.
func selectedNames(m *Model) []string {
	var names []string
	for _, f := range m.Selection().Files() {
		names = append(names, f.Name)
	}
	return names
}

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
	if !strings.Contains(r.screen(), "selected 19 more") || !strings.Contains(r.screen(), r.m.Selection().Header()) {
		t.Fatalf("no status after a:\n%s", r.screen())
	}
	r.press("c")
	if r.m.Selection().Len() != 0 || strings.Contains(r.screen(), SelectedMark) {
		t.Fatalf("c left %d selected", r.m.Selection().Len())
	}

	// a under a server filter selects only the matching rows.
	r.press("/")
	for _, ch := range "file0004" { // file00040 to file00044
		r.press(string(ch))
	}
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
	r.until("the count", 10*time.Second, func() bool { return r.m.downloads.Prompting() })
	footer := lastLine(r.screen())
	if !strings.Contains(footer, "Select all 130 files in the run") {
		t.Fatalf("footer = %q", footer)
	}
	r.press("y")
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
	r.until("the batch question", 10*time.Second, func() bool { return r.m.downloads.Prompting() })
	if f := lastLine(r.screen()); !strings.Contains(f, "Download 130 files") || !strings.Contains(f, "free") {
		t.Fatalf("footer = %q", f)
	}
	if r.m.downloads.Totals().Files != 0 {
		t.Fatal("files were queued before the answer")
	}
	r.press("y")
	r.until("every download", 30*time.Second, func() bool {
		t := r.m.downloads.Totals()
		return t.Files == 130 && !r.m.downloads.Active()
	})
	if tot := r.m.downloads.Totals(); tot.Done != 130 {
		t.Fatalf("totals %+v", tot)
	}
	for _, i := range []int{0, 57, 129} {
		checkOnDisk(t, dest, run.Files[i])
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

func TestRootDownloadCursorThenSelection(t *testing.T) {
	_, run, r, dest := wiredRun(t, "dl", 30)

	// d with nothing selected: the file under the cursor.
	r.press("down", "d")
	r.until("the cursor's file", 10*time.Second, func() bool { return r.jobState(run.Files[1].Name) == "done" })
	checkOnDisk(t, dest, run.Files[1])
	if r.m.downloads.Totals().Files != 1 {
		t.Fatalf("d on the cursor queued %d files", r.m.downloads.Totals().Files)
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
	scr := r.screen()
	if strings.Count(scr, " done") != 3 || !strings.Contains(scr, "downloads 3/3") {
		t.Fatalf("state column or header wrong:\n%s", scr)
	}
	r.settle()
	if s := r.m.Summary(); !strings.HasPrefix(s, "3 files downloaded (") {
		t.Fatalf("summary = %q", s)
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
	if !strings.Contains(scr, "1 of 1 finished") || !strings.Contains(scr, run.Files[0].Name) {
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
		j, _ := r.m.downloads.Job("a/big.bin")
		return j.State == model.Running && j.Done > 0
	})
	if !strings.Contains(r.screen(), "downloading, ") {
		t.Fatalf("detail view lacks the running download:\n%s", r.screen())
	}
	r.until("the download", 20*time.Second, func() bool { return r.jobState("a/big.bin") == "done" })
	if r.m.State() != "detail" {
		t.Fatalf("left the detail view for %s", r.m.State())
	}
	checkOnDisk(t, dest, run.Files[0])
	if !strings.Contains(r.screen(), "download   done") {
		t.Fatalf("detail view:\n%s", r.screen())
	}
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
	j, _ := r.m.downloads.Job("b/small.txt")
	if j.Reason == "" || !strings.Contains(strings.Join(strings.Fields(r.screen()), " "), "failed: "+j.Reason[:min(len(j.Reason), 20)]) {
		t.Fatalf("reason %q not in the detail view:\n%s", j.Reason, r.screen())
	}
	noFinalFile(t, dest, "b/small.txt")
	r.settle()
	if s := r.m.Summary(); !strings.Contains(s, "1 failed") || !strings.Contains(s, "failed: b/small.txt: ") {
		t.Fatalf("summary = %q", s)
	}
}

func TestRootQuitAsksWhileDownloading(t *testing.T) {
	_, run, r, dest := slowRun(t, "quit")
	r.press("d")
	r.until("the download to start", 10*time.Second, func() bool { return r.m.downloads.Active() })
	r.press("q")
	if r.quit || !r.m.downloads.Prompting() {
		t.Fatal("q while downloading did not ask")
	}
	if f := lastLine(r.screen()); !strings.Contains(f, "1 download unfinished") {
		t.Fatalf("footer = %q", f)
	}
	r.press("j") // not an answer: the question stays, the cursor stays
	if !r.m.downloads.Prompting() || r.m.browser.Cursor() != 0 {
		t.Fatal("a key that is no answer changed something")
	}
	r.press("n")
	if r.m.downloads.Prompting() || r.quit {
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

func TestRootCtrlCTwiceForcesQuit(t *testing.T) {
	_, _, r, dest := slowRun(t, "force")
	r.press("d")
	r.until("the download to start", 10*time.Second, func() bool { return r.m.downloads.Active() })
	r.press("ctrl+c")
	if r.quit || !r.m.downloads.Prompting() {
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
	if r.m.downloads.Active() || r.m.downloads.Totals().Cancelled != 1 {
		t.Fatalf("force quit left %+v", r.m.downloads.Totals())
	}
	r.settle()
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
	d.press("space", "d", "tab")
	if d.m.State() != "list" || d.m.browser.Cursor() != 0 || d.m.downloads.Totals().Files != 0 {
		t.Fatalf("keys of an unwired program acted: %s cursor %d", d.m.State(), d.m.browser.Cursor())
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
	if !strings.Contains(r.screen(), "downloads 1/1") {
		t.Fatalf("list header:\n%s", r.screen())
	}
}

func TestRootCancelAndRetryInDownloadsView(t *testing.T) {
	srv, run, r, dest := slowRun(t, "cancel")
	r.press("d", "tab")
	r.until("some bytes", 10*time.Second, func() bool {
		j, _ := r.m.downloads.Job("a/big.bin")
		return j.Done > 0
	})
	if f := lastLine(r.screen()); !strings.Contains(f, "x cancel job") {
		t.Fatalf("footer while running = %q", f)
	}
	r.press("x") // in the list x clears the selection; here it cancels
	if st := r.jobState("a/big.bin"); st != "cancelled" {
		t.Fatalf("after x: %q", st)
	}
	r.settle()
	noFinalFile(t, dest, "a/big.bin")
	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	r.press("r") // in the list r retries a page; here the job
	r.until("the retried download", 20*time.Second, func() bool { return r.jobState("a/big.bin") == "done" })
	checkOnDisk(t, dest, run.Files[0])
	if r.m.State() != "downloads" {
		t.Fatalf("state %s", r.m.State())
	}
}
