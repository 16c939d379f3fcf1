package tui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestScrollRequestsExactPages scrolls K rows with page size P on a
// screen of H rows and checks each page request: the next page is asked
// only when the cursor comes within one screen of the last loaded row.
func TestScrollRequestsExactPages(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 230))
	info := openRun(t, c, "ent/proj/r1")
	const perPage = 40
	d := newDriver(t, c, info, Options{PageSize: perPage}, 100, 30)
	d.settle()
	h := d.m.browser.Height() // 24 rows at 100x30
	if len(d.src.queries) != 1 || d.m.browser.Loaded() != perPage {
		t.Fatalf("after start: %d requests, %d loaded; want 1, %d", len(d.src.queries), d.m.browser.Loaded(), perPage)
	}
	for k := 1; k <= 230; k++ {
		d.press("j")
		wantPages := 1
		// Page n+1 is asked once cursor > loaded-1-h for loaded = n*P.
		for loaded := perPage; loaded < 230 && k > loaded-1-h; loaded += perPage {
			wantPages++
		}
		if got := len(d.src.queries); got != wantPages {
			t.Fatalf("after %d rows down: %d page requests; want %d", k, got, wantPages)
		}
		if q := d.src.queries[len(d.src.queries)-1]; q.First != perPage {
			t.Fatalf("page size %d; want %d", q.First, perPage)
		}
		d.settle()
	}
	if d.m.browser.Loaded() != 230 || d.m.browser.HasNext() {
		t.Fatalf("loaded %d; want all 230 and no next page", d.m.browser.Loaded())
	}
	// Pressing on past the end asks for nothing more.
	d.press("j", "G", "pgdown")
	if len(d.src.queries) != 6 || d.inFlight() != 0 {
		t.Fatalf("%d requests after the last page; want 6", len(d.src.queries))
	}
	if d.m.browser.Cursor() != 229 {
		t.Fatalf("cursor %d; want the last row 229", d.m.browser.Cursor())
	}
}

// TestEndAsksForOnePage checks that G goes to the last loaded row and asks
// for exactly one more page, never every page at once.
func TestEndAsksForOnePage(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 500))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 30)
	d.settle()
	d.press("G")
	if n := len(d.src.queries); n != 2 {
		t.Fatalf("G sent %d requests in all; want the first page and one more", n)
	}
	lines := strings.Split(d.screen(), "\n")
	if last := lines[len(lines)-3]; !strings.Contains(last, "dir0/file00049.txt") || !strings.Contains(lines[len(lines)-2], "loading more files") {
		t.Fatalf("no spinner row under the last row while loading:\n%s", d.screen())
	}
	d.press("G", "end", "G") // one in flight: no more
	if n := len(d.src.queries); n != 2 {
		t.Fatalf("repeated G sent %d requests; want still 2", n)
	}
	d.settle()
	if d.m.browser.Loaded() != 100 || d.m.browser.Cursor() != 49 {
		t.Fatalf("loaded %d cursor %d; want 100 loaded, cursor on the former last row 49", d.m.browser.Loaded(), d.m.browser.Cursor())
	}
	if !strings.Contains(d.screen(), "100 of 500 files loaded") {
		t.Fatalf("header lacks the count:\n%s", d.screen())
	}
}

// TestStaleAnswerDropped applies a filter while a page of the unfiltered
// list is in flight; that page must not land in the filtered list.
func TestStaleAnswerDropped(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 300))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 30)
	d.settle()
	d.press("G") // page 2 of the unfiltered list in flight
	if d.inFlight() != 1 {
		t.Fatal("no page in flight after G")
	}
	d.press("/")
	d.typeText("file0001")
	d.press("enter")
	d.settle()
	for i := range d.m.browser.Len() {
		if name := d.m.browser.Row(i).Name; !strings.Contains(name, "file0001") {
			t.Fatalf("row %q of the stale unfiltered page is in the filtered list", name)
		}
	}
	if d.m.browser.Loaded() != 10 {
		t.Fatalf("%d rows loaded; want the 10 names containing file0001", d.m.browser.Loaded())
	}
}

// TestErrorRowAndRetry makes page 2 fail, checks the error row and that
// the list stays usable, then retries with r.
func TestErrorRowAndRetry(t *testing.T) {
	srv, c := newServer(t, numberedRun("r1", 120))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 30)
	d.settle()
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	d.press("G")
	d.settle()
	if d.m.browser.Err() == nil {
		t.Fatal("no error after a failing page request")
	}
	scr := d.screen()
	if !strings.Contains(scr, "could not load files") || !strings.Contains(scr, "r retries") {
		t.Fatalf("no error row:\n%s", scr)
	}
	if !strings.Contains(scr, "r retry") {
		t.Fatalf("the footer does not offer r:\n%s", scr)
	}
	d.press("k", "k", "j") // still usable, and no request while failed
	if n := len(d.src.queries); n != 2 {
		t.Fatalf("%d requests; want no new one before retry", n)
	}
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{})
	d.press("r")
	d.settle()
	if d.m.browser.Err() != nil || d.m.browser.Loaded() != 100 {
		t.Fatalf("after retry: err %v, loaded %d; want no error, 100", d.m.browser.Err(), d.m.browser.Loaded())
	}
	if d.src.queries[2].After != d.src.queries[1].After {
		t.Fatalf("retry asked after %q; want the failed page's cursor %q", d.src.queries[2].After, d.src.queries[1].After)
	}
	if strings.Contains(d.screen(), "r retry") {
		t.Fatal("r is still offered after a successful retry")
	}
}

// TestFilterNarrowsThenAppliesOnServer types a filter (the loaded rows
// narrow at once, no request), applies it (a LIKE pattern, paging
// restarts) and clears it with esc.
func TestFilterNarrowsThenAppliesOnServer(t *testing.T) {
	run := numberedRun("r1", 200)
	run.Files = append(run.Files,
		wandbtest.FileSpec{Name: "media/100% done_ü.txt", Content: []byte("x")},
		wandbtest.FileSpec{Name: "media/100x done_u.txt", Content: []byte("y")},
	)
	_, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 30)
	d.settle()
	d.press("/")
	if d.m.State() != "filter" {
		t.Fatalf("state %s after /", d.m.State())
	}
	d.typeText("FILE0000")
	if d.m.browser.Len() != 10 || len(d.src.queries) != 1 {
		t.Fatalf("typing narrowed to %d rows with %d requests; want 10 rows, no new request", d.m.browser.Len(), len(d.src.queries))
	}
	if !strings.Contains(d.screen(), `10 of 50 loaded contain "FILE0000"`) {
		t.Fatalf("no narrowing count in the header:\n%s", d.screen())
	}
	d.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	d.typeText("100% done_ü")
	d.press("enter")
	if d.m.State() != "list" {
		t.Fatalf("state %s after enter", d.m.State())
	}
	last := d.src.queries[len(d.src.queries)-1]
	if last.Pattern != `%100\% done\_ü%` || last.After != "" {
		t.Fatalf("server query %+v; want the escaped LIKE pattern from the first page", last)
	}
	d.settle()
	if d.m.browser.Len() != 1 || d.m.browser.Row(0).Name != "media/100% done_ü.txt" {
		t.Fatalf("filtered rows: %d; want exactly the literal %% _ ü name", d.m.browser.Len())
	}
	if !strings.Contains(d.screen(), `filter "100% done_ü"`) || !strings.Contains(d.screen(), "1 of 1 file loaded") {
		t.Fatalf("header lacks the filter:\n%s", d.screen())
	}
	d.press("/")
	d.press("esc")
	d.settle()
	if d.m.browser.Filtered() || d.m.browser.Total() != 202 || d.m.browser.Loaded() != 50 {
		t.Fatalf("after esc: filtered %v total %d loaded %d; want the unfiltered list", d.m.browser.Filtered(), d.m.browser.Total(), d.m.browser.Loaded())
	}
	// A glob.
	d.press("/")
	d.typeText("dir1/*7.txt")
	d.press("enter")
	d.settle()
	if q := d.src.queries[len(d.src.queries)-1]; q.Pattern != `dir1/%7.txt` {
		t.Fatalf("glob pattern %q", q.Pattern)
	}
	for i := range d.m.browser.Len() {
		if n := d.m.browser.Row(i).Name; !strings.HasPrefix(n, "dir1/") || !strings.HasSuffix(n, "7.txt") {
			t.Fatalf("row %q does not match the glob", n)
		}
	}
	// esc in the list clears a server filter too.
	d.press("esc")
	d.settle()
	if d.m.browser.Filtered() {
		t.Fatal("esc in the list left the filter on")
	}
}

// TestDetailKeepsPosition opens a file's details and returns to the same
// row; the preview is fetched once and cached.
func TestDetailKeepsPosition(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 100))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 30)
	d.settle()
	d.press("j", "j", "j", "pgdown")
	cur, off := d.m.browser.Cursor(), 0
	off, _ = d.m.browser.Window()
	d.press("enter")
	if d.m.State() != "detail" {
		t.Fatalf("state %s after enter", d.m.State())
	}
	d.settle()
	f := d.m.browser.Row(cur)
	scr := d.screen()
	for _, want := range []string{f.Name, "line of file", "whole file", "not downloaded yet", "(hex)"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("detail view lacks %q:\n%s", want, scr)
		}
	}
	d.press("y")
	if len(d.copied) != 1 || d.copied[0] != f.URL {
		t.Fatalf("copied %q; want the file URL %q", d.copied, f.URL)
	}
	d.press("esc")
	if s, _ := d.m.browser.Window(); d.m.State() != "list" || d.m.browser.Cursor() != cur || s != off {
		t.Fatalf("back in %s at row %d window %d; want list at row %d window %d", d.m.State(), d.m.browser.Cursor(), s, cur, off)
	}
	previews := d.m.previews.len()
	d.press("enter")
	if len(d.inbox) != 1 { // the local state check only
		t.Fatalf("%d commands on reopening; want only the local state check", len(d.inbox))
	}
	d.settle()
	d.press("backspace")
	if d.m.previews.len() != previews || previews != 1 {
		t.Fatal("the preview was fetched again")
	}
}

// TestTinyTerminal shrinks the terminal below the minimum and back.
func TestTinyTerminal(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 30))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{}, 100, 30)
	d.settle()
	d.press("j")
	d.update(tea.WindowSizeMsg{Width: 30, Height: 8})
	if got := strings.Join(strings.Fields(d.screen()), " "); got != "terminal too small (need 40x10)" {
		t.Fatalf("tiny frame %q", got)
	}
	d.press("j", "enter") // ignored while nothing is visible
	if d.m.State() != "list" || d.m.browser.Cursor() != 1 {
		t.Fatalf("keys acted on an invisible list: state %s cursor %d", d.m.State(), d.m.browser.Cursor())
	}
	d.update(tea.WindowSizeMsg{Width: 60, Height: 12})
	scr := d.screen()
	if !strings.Contains(scr, "dir0/file00001.txt") || len(strings.Split(scr, "\n")) != 12 {
		t.Fatalf("frame after growing back:\n%s", scr)
	}
}

// TestSortCycles checks the sort key and the header's note.
func TestSortCycles(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 120))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 30)
	d.settle()
	var seen []string
	for range 4 {
		d.press("s")
		seen = append(seen, d.m.browser.Sort().String())
	}
	if want := []string{"name", "size", "updated", "server order"}; !slices.Equal(seen, want) {
		t.Fatalf("sort cycle %v; want %v", seen, want)
	}
	d.press("s")
	if !strings.Contains(d.screen(), "sorted by name (loaded rows only)") {
		t.Fatalf("header does not say the sort covers loaded rows only:\n%s", d.screen())
	}
	d.press("s") // size: largest first, ties in load order
	if first := d.m.browser.Row(0).Name; first != "dir0/file00010.txt" {
		t.Fatalf("first row by size %q; want the first 16-byte file", first)
	}
	d.press("s", "j") // updated: newest first; the cursor follows its file
	if d.m.browser.Row(0).Name != "dir0/file00000.txt" || d.m.browser.Row(49).Name != "dir0/file00049.txt" {
		t.Fatalf("updated order: %q … %q", d.m.browser.Row(0).Name, d.m.browser.Row(49).Name)
	}
}

// TestHelpToggles opens and closes the full help.
func TestHelpToggles(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 10))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{}, 100, 30)
	d.settle()
	d.press("?")
	scr := d.screen()
	if d.m.State() != "help" || !strings.Contains(scr, "last loaded row") || !strings.Contains(scr, "page down") {
		t.Fatalf("help state %s:\n%s", d.m.State(), scr)
	}
	if strings.Contains(scr, "download") || strings.Contains(scr, "select") {
		t.Fatalf("help lists bindings that are not wired:\n%s", scr)
	}
	d.press("?")
	if d.m.State() != "list" {
		t.Fatalf("state %s after closing help", d.m.State())
	}
}

// TestQuitKeys checks q and ctrl+c quit, and that q types in the filter.
func TestQuitKeys(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 10))
	info := openRun(t, c, "ent/proj/r1")
	for _, k := range []string{"q", "ctrl+c"} {
		d := newDriver(t, c, info, Options{}, 100, 30)
		_, cmd := d.m.Update(keyMsg(k))
		if cmd == nil || fmt.Sprintf("%T", cmd()) != "tea.QuitMsg" {
			t.Fatalf("%s does not quit", k)
		}
	}
	d := newDriver(t, c, info, Options{}, 100, 30)
	d.press("/")
	d.typeText("q")
	if d.m.State() != "filter" || d.m.filter.Value() != "q" {
		t.Fatal("q while typing a filter did not type")
	}
}

// TestMovementKeys checks every movement binding, including the named
// keys whose spelling differs between terminals and Bubble Tea versions.
func TestMovementKeys(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 100))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 100}, 100, 30)
	d.settle()
	h := d.m.browser.Height()
	steps := []struct {
		key  tea.KeyPressMsg
		want int
	}{
		{keyMsg("down"), 1},
		{keyMsg("j"), 2},
		{keyMsg("up"), 1},
		{keyMsg("k"), 0},
		{keyMsg("pgdown"), h},
		{keyMsg("pgup"), 0},
		{keyMsg("ctrl+d"), h},
		{keyMsg("ctrl+u"), 0},
		{keyMsg("end"), 99},
		{keyMsg("home"), 0},
		{keyMsg("G"), 99},
		{keyMsg("g"), 0},
	}
	for _, s := range steps {
		d.update(s.key)
		if got := d.m.browser.Cursor(); got != s.want {
			t.Fatalf("after %s the cursor is on %d; want %d", s.key, got, s.want)
		}
	}
}

// TestViewFieldsAndBackground checks the alt screen and title are fields
// of the root view and that a light background changes the styles.
func TestViewFieldsAndBackground(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 5))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{Dark: true}, 100, 30)
	d.settle()
	v := d.m.View()
	if !v.AltScreen || v.WindowTitle != "wbfiles · ent/proj/r1" {
		t.Fatalf("alt screen %v title %q", v.AltScreen, v.WindowTitle)
	}
	dark := d.m.styles.Title.GetForeground()
	d.update(tea.BackgroundColorMsg{Color: color.White})
	if d.m.isDark || d.m.styles.Title.GetForeground() == dark {
		t.Fatal("a light background did not change the styles")
	}
	if !strings.Contains(d.screen(), "dir0/file00004.txt") {
		t.Fatal("the list is gone after the style change")
	}
}

// TestInitialServerFilters starts with --names and with --pattern.
func TestInitialServerFilters(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 120))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{Names: []string{"dir0/file00003.txt", "dir1/file00101.txt"}}, 100, 30)
	d.settle()
	if d.m.browser.Len() != 2 || !strings.Contains(d.screen(), "names: dir0/file00003.txt, dir1/file00101.txt") {
		t.Fatalf("--names: %d rows\n%s", d.m.browser.Len(), d.screen())
	}
	d.press("esc")
	d.settle()
	if d.m.browser.Filtered() || d.m.browser.Loaded() != 50 {
		t.Fatalf("esc kept the names filter: %d loaded", d.m.browser.Loaded())
	}

	d = newDriver(t, c, info, Options{Pattern: `%file0010_.txt`}, 100, 30)
	d.settle()
	if d.m.browser.Len() != 10 || !strings.Contains(d.screen(), `pattern "%file0010_.txt"`) {
		t.Fatalf("--pattern: %d rows\n%s", d.m.browser.Len(), d.screen())
	}
	d.press("/")
	if d.m.filter.Value() != "" {
		t.Fatalf("the filter line starts with %q; a LIKE pattern is not filter text", d.m.filter.Value())
	}
	d.typeText("file00105")
	if d.m.browser.Len() != 1 {
		t.Fatalf("narrowing within the pattern shows %d rows; want 1", d.m.browser.Len())
	}
}

// TestEndOfListOnlyWhenShown checks that "end of list" shows only when the
// last row is on screen, not on the bottom line while the cursor is far
// above it.
func TestEndOfListOnlyWhenShown(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 60))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 100}, 100, 20)
	d.settle()
	if !d.m.browser.AllLoaded() {
		t.Fatal("one page should hold the whole run")
	}
	if strings.Contains(d.screen(), "end of list") {
		t.Fatalf("end of list shown with the last row off screen:\n%s", d.screen())
	}
	d.press("G")
	if !strings.Contains(d.screen(), "end of list") {
		t.Fatalf("no end of list with the last row on screen:\n%s", d.screen())
	}
}

// TestGlobNarrowingHeader checks that the header says a glob matches,
// not that names contain it.
func TestGlobNarrowingHeader(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 30))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{PageSize: 50}, 100, 20)
	d.settle()
	d.press("/")
	d.typeText("*7.txt")
	if !strings.Contains(d.screen(), `match "*7.txt"`) {
		t.Fatalf("header does not say the glob matches:\n%s", d.screen())
	}
	d.press("esc")
	d.press("/")
	d.typeText("file0")
	if !strings.Contains(d.screen(), `contain "file0"`) {
		t.Fatalf("header does not say the names contain the text:\n%s", d.screen())
	}
}

// TestCursorMarkerWithoutAttributes checks that a terminal that shows no
// reverse video (TERM=dumb: the NoTTY profile) still sees which row the
// cursor is on, and that other terminals get no marker.
func TestCursorMarkerWithoutAttributes(t *testing.T) {
	_, c := newServer(t, numberedRun("r1", 5))
	info := openRun(t, c, "ent/proj/r1")
	d := newDriver(t, c, info, Options{}, 100, 30)
	d.settle()
	d.update(keyMsg("j"))
	cursorLine := func() string {
		for _, l := range strings.Split(ansi.Strip(d.screen()), "\n") {
			if strings.Contains(l, "dir0/file00001.txt") {
				return l
			}
		}
		t.Fatal("the cursor row is not on screen")
		return ""
	}
	if l := cursorLine(); strings.HasPrefix(l, ">") {
		t.Fatalf("a colour terminal got a marker: %q", l)
	}
	d.update(tea.ColorProfileMsg{Profile: colorprofile.NoTTY})
	if l := cursorLine(); !strings.HasPrefix(l, ">") {
		t.Fatalf("without attributes the cursor row has no marker: %q", l)
	}
	if got := ansi.StringWidth(cursorLine()); got != 100 {
		t.Fatalf("the marked row is %d cells wide", got)
	}
}

// TestRetriesAndWarningsShow checks that a page request being retried
// says so with its cause (it spun silently for minutes before), and that
// GraphQL errors beside a page's data keep the rows and show as a warning.
func TestRetriesAndWarningsShow(t *testing.T) {
	srv, c := newServer(t, numberedRun("r1", 30))
	info := openRun(t, c, "ent/proj/r1")
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	d := newDriver(t, c, info, Options{}, 100, 30)
	var first tea.Msg
	for i, msg := range d.inbox {
		if _, ok := msg.(pageRetryMsg); ok {
			first = msg
			d.inbox = append(d.inbox[:i:i], d.inbox[i+1:]...)
			break
		}
	}
	if first == nil {
		t.Fatalf("no retry event from the first page request: %v", d.inbox)
	}
	d.update(first)
	if s := d.screen(); !strings.Contains(s, "HTTP 503: retrying (1/") {
		t.Fatalf("a retrying page request does not say so:\n%s", s)
	}
	d.settle()
	if s := d.screen(); !strings.Contains(s, "could not load files") {
		t.Fatalf("the failed request shows no error:\n%s", s)
	}

	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{})
	srv.SetPagingFaults(wandbtest.PagingFaults{ErrorWithData: "storage backend degraded"})
	d = newDriver(t, c, info, Options{}, 100, 30)
	d.settle()
	s := d.screen()
	if !strings.Contains(s, "30 of 30 files loaded") || !strings.Contains(s, "the server warned: storage backend degraded") {
		t.Fatalf("a page with errors beside its data:\n%s", s)
	}
}
