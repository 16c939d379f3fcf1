package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// navDriver is a driver over the demo server's client, which is also a
// Navigator, so the levels above a run are there.
func navDriver(t testing.TB, opts Options, w, h int) *driver {
	t.Helper()
	srv, err := wandbtest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: wandbtest.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	opts.Source, opts.Downloader = c, c
	opts.Now = func() time.Time { return testNow }
	if opts.Dest == "" {
		opts.Dest = t.TempDir()
	}
	d := &driver{t: t, m: New(opts)}
	d.run(d.m.Init())
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	d.settle()
	return d
}

// pickerRow is the row under the cursor of the level shown.
func pickerRow(t *testing.T, m *Model) any {
	t.Helper()
	if !m.picking() {
		t.Fatalf("no level shown (state %s, in files %v)", m.State(), m.inFiles())
	}
	r, _ := m.top().current()
	return r
}

// moveTo presses down until the row under the cursor satisfies ok.
func moveTo(t *testing.T, d *driver, ok func(any) bool) {
	t.Helper()
	d.press("home")
	for range 50 {
		if ok(pickerRow(t, d.m)) {
			return
		}
		d.press("down")
		d.settle()
	}
	t.Fatalf("no row found; screen:\n%s", d.screen())
}

func TestNavRunsToFoldersAndBack(t *testing.T) {
	d := navDriver(t, Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, 100, 30)
	if !strings.Contains(d.screen(), "brisk-sun-42") {
		t.Fatalf("runs list:\n%s", d.screen())
	}
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
	d.press("enter")
	d.settle()
	if !d.m.inFiles() || !strings.Contains(d.screen(), "checkpoints/") {
		t.Fatalf("the run's top folder:\n%s", d.screen())
	}
	for e, _ := d.m.folder().Current(); e.Name != "checkpoints/"; e, _ = d.m.folder().Current() {
		d.press("down")
	}
	d.press("l")
	d.settle()
	if d.m.folder().Path != "checkpoints/" || !strings.Contains(d.screen(), "step_03000/") {
		t.Fatalf("checkpoints/:\n%s", d.screen())
	}
	d.press("h")
	if e, _ := d.m.folder().Current(); d.m.folder().Path != "" || e.Name != "checkpoints/" {
		t.Fatalf("back at %q on %q; want the top with the cursor on checkpoints/", d.m.folder().Path, e.Name)
	}
	if len(d.inbox) != 0 {
		t.Fatalf("going back sent %d requests", len(d.inbox))
	}
	d.press("backspace")
	if r := pickerRow(t, d.m).(wandb.RunInfo); r.DisplayName != "brisk-sun-42" {
		t.Fatalf("back in the runs on %q; want the run left", r.DisplayName)
	}
	d.press("h")
	d.settle()
	if !strings.Contains(d.screen(), "llama-finetune") || !strings.Contains(d.screen(), "projects") {
		t.Fatalf("projects:\n%s", d.screen())
	}
	d.press("h")
	d.settle()
	if !strings.Contains(d.screen(), "wbfiles-lab") {
		t.Fatalf("entities:\n%s", d.screen())
	}
}

// TestGoldenNav draws each view of the stack at 80x24 and 120x40.
func TestGoldenNav(t *testing.T) {
	run := func(d *driver) {
		moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
		d.press("enter")
		d.settle()
	}
	views := map[string]struct {
		opts Options
		act  func(d *driver)
	}{
		"entities":     {Options{}, func(*driver) {}},
		"projects":     {Options{Entity: "wbfiles-lab"}, func(*driver) {}},
		"runs":         {Options{Entity: "wbfiles-lab", Project: "vit-ablations"}, func(*driver) {}},
		"runs_search":  {Options{Entity: "wbfiles-lab", Project: "vit-ablations"}, func(d *driver) { d.press("/"); d.typeText("state:running"); d.press("enter"); d.settle() }},
		"folders":      {Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, run},
		"folder_inner": {Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, func(d *driver) { run(d); d.press("j", "j", "enter"); d.settle() }},
		"run_info":     {Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, func(d *driver) { run(d); d.press("I"); d.settle() }},
		"folder_info":  {Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, func(d *driver) { run(d); d.press("j", "j", "i"); d.settle() }},
		"artifacts":    {Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, func(d *driver) { run(d); d.press("o"); d.settle() }},
		"artifact_files": {Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, func(d *driver) {
			run(d)
			d.press("o")
			d.settle()
			moveTo(t, d, func(r any) bool { return r.(artifactRow).Name() == "eval-benchmarks:v0" })
			d.press("enter")
			d.settle()
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for name, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				opts := v.opts
				opts.Dest = "downloads"
				d := navDriver(t, opts, size[0], size[1])
				v.act(d)
				golden.RequireEqual(t, normalize(d.screen()))
			})
		}
	}
}

// TestNavStaleAnswersDropped checks that an answer for a level left is
// not taken by the level opened in its place, and that a folder left and
// opened again does not mix the old folder's page into it.
func TestNavStaleAnswersDropped(t *testing.T) {
	d := navDriver(t, Options{Entity: "wbfiles-lab"}, 100, 30)
	moveTo(t, d, func(r any) bool { return r.(wandb.Project).Name == "vit-ablations" })
	d.press("enter") // its first page is in the inbox, not delivered
	stale := d.inbox
	d.inbox = nil
	d.press("h")
	moveTo(t, d, func(r any) bool { return r.(wandb.Project).Name == "data-pipeline" })
	d.press("enter")
	d.inbox = append(stale, d.inbox...) // vit-ablations' answer comes first
	d.settle()
	if !strings.Contains(d.screen(), "4 runs") || strings.Contains(d.screen(), "vit-") {
		t.Fatalf("data-pipeline's runs mixed with another level's:\n%s", d.screen())
	}

	d = navDriver(t, Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, 100, 30)
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
	d.press("enter")
	d.settle()
	d.press("j", "j", "enter") // checkpoints/: its page waits
	stale = d.inbox
	d.inbox = nil
	d.press("h", "j", "enter") // code/ instead
	d.inbox = append(stale, d.inbox...)
	d.settle()
	if s := d.screen(); strings.Contains(s, "step_0") || d.m.folder().Path != "code/" {
		t.Fatalf("code/ shows checkpoints/' rows:\n%s", s)
	}
}

// TestRunsScrollRequests checks the lazy rule on the runs list: scrolling
// through 300 runs a row at a time asks for each page of 50 once, and
// none before the cursor nears the end of the loaded runs.
func TestRunsScrollRequests(t *testing.T) {
	d := navDriver(t, Options{Entity: "wbfiles-lab", Project: "vit-ablations"}, 100, 30)
	pages := 1 // the first, at start
	runs := d.m.top().(*picker[wandb.RunInfo]).p
	for range 299 {
		loaded := runs.Loaded()
		mm, cmd := d.m.Update(keyMsg("down"))
		d.m = mm.(*Model)
		n := countLevelPages(d, cmd)
		// Within one screen (24 rows here) of the last loaded run.
		if left := loaded - 1 - runs.Cursor(); n > 0 && left >= runs.Height() {
			t.Fatalf("a page asked at row %d with %d runs loaded", runs.Cursor(), loaded)
		}
		pages += n
	}
	if pages != 6 {
		t.Errorf("%d requests for 300 runs; want 6 (pages of 50)", pages)
	}
}

// TestFolderSelectAndFilterOnServer checks space on a folder (every file
// under it on the server, asked first) and a server filter within a
// folder.
func TestFolderSelectAndFilterOnServer(t *testing.T) {
	d := navDriver(t, Options{Entity: "wbfiles-demo", Project: "llama-finetune"}, 100, 30)
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
	d.press("enter")
	d.settle()
	for e, _ := d.m.folder().Current(); e.Name != "checkpoints/"; e, _ = d.m.folder().Current() {
		d.press("down")
	}
	d.press("space")
	d.settle()
	if !d.m.asks.Open() {
		t.Fatalf("no question after space on a folder:\n%s", d.screen())
	}
	d.press("y")
	d.settle()
	sel := d.m.dl.sel.Files()
	if len(sel) != 9 {
		t.Fatalf("%d files selected; want the 9 under checkpoints/", len(sel))
	}
	for _, f := range sel {
		if !strings.HasPrefix(f.Name, "checkpoints/") {
			t.Fatalf("%s selected", f.Name)
		}
	}
	d.press("up", "enter") // checkpoints/ again (space moved down)
	d.settle()
	d.press("/")
	d.typeText("optim")
	d.press("enter")
	d.settle()
	f := d.m.folder()
	if f.Path != "checkpoints/" || f.Pattern() != `checkpoints/%optim%` || f.Len() != 3 {
		t.Fatalf("folder %q pattern %q with %d rows:\n%s", f.Path, f.Pattern(), f.Len(), d.screen())
	}
	if e, _ := f.Get("step_01000/"); e.Files != 1 {
		t.Errorf("step_01000/ holds %d matching files; want 1 (optimizer.pt)", e.Files)
	}
}

// TestFolderInfo checks i on a folder: its counts, and how many of its
// files are on disk with their size, checked in the background.
func TestFolderInfo(t *testing.T) {
	dest := t.TempDir()
	d := navDriver(t, Options{Entity: "wbfiles-demo", Project: "llama-finetune", Dest: dest}, 100, 30)
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
	d.press("enter")
	d.settle()
	for e, _ := d.m.folder().Current(); e.Name != "checkpoints/"; e, _ = d.m.folder().Current() {
		d.press("down")
	}
	// One file of the folder is on disk already, with its size.
	f := d.m.folder().FilesUnder("checkpoints/")[0]
	p := filepath.Join(dest, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, make([]byte, f.SizeBytes), 0o644); err != nil {
		t.Fatal(err)
	}
	d.press("i")
	if d.m.State() != "info" || !strings.Contains(d.screen(), "9 files") || !strings.Contains(d.screen(), "checking") {
		t.Fatalf("folder info before the check:\n%s", d.screen())
	}
	d.settle()
	if !strings.Contains(d.screen(), "1 of the 9 files loaded") {
		t.Fatalf("folder info after the check:\n%s", d.screen())
	}
	d.press("esc")
	if d.m.State() != "list" || d.m.folder().Path != "" {
		t.Fatalf("esc left %s at %q", d.m.State(), d.m.folder().Path)
	}
}

// TestArtifactsFromRun opens a run's artifacts (o), an artifact used from
// another project, and downloads one of its files, which lands under
// --dest/NAME/vN with its path; going back returns to the list, then the
// run.
func TestArtifactsFromRun(t *testing.T) {
	dest := t.TempDir()
	d := navDriver(t, Options{Entity: "wbfiles-demo", Project: "llama-finetune", Dest: dest}, 120, 40)
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
	d.press("enter")
	d.settle()
	d.press("o")
	d.settle()
	if s := d.screen(); !strings.Contains(s, "llama-3.1-8b-lora:v4") || !strings.Contains(s, "used") {
		t.Fatalf("the run's artifacts:\n%s", s)
	}
	moveTo(t, d, func(r any) bool { return r.(artifactRow).Name() == "eval-benchmarks:v0" })
	d.press("enter")
	d.settle()
	if s := d.screen(); !strings.Contains(s, "eval-benchmarks/v0") || !strings.Contains(s, "hellaswag/") {
		t.Fatalf("the artifact's files:\n%s", s)
	}
	for e, _ := d.m.folder().Current(); e.Name != "README.md"; e, _ = d.m.folder().Current() {
		d.press("down")
	}
	d.press("d")
	d.settle()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.m.Runner().Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "eval-benchmarks", "v0", "README.md")); err != nil {
		t.Fatalf("the file is not under --dest/NAME/vN: %v (status %q)", err, d.m.dl.statusText())
	}
	if _, err := os.Stat(filepath.Join(dest, "README.md")); err == nil {
		t.Fatal("the artifact's file landed in --dest itself")
	}
	d.press("tab")
	if !strings.Contains(d.screen(), "eval-benchmarks/v0/README.md") {
		t.Fatalf("the downloads view does not say where the file went:\n%s", d.screen())
	}
	d.press("tab")
	d.press("h")
	if r := pickerRow(t, d.m).(artifactRow); r.Name() != "eval-benchmarks:v0" {
		t.Fatalf("back on %q; want the artifact left", r.Name())
	}
	d.press("h")
	if !d.m.inFiles() || d.m.browser.Run.DisplayName != "brisk-sun-42" {
		t.Fatalf("back at %q; want the run", d.m.browser.Run.Ref)
	}
}

// TestArtifactReferencesSkipped opens an artifact with reference entries
// directly: they are listed, and a download of everything skips them and
// says so, never failing.
func TestArtifactReferencesSkipped(t *testing.T) {
	srv, c := newDemo(t)
	_ = srv
	info, err := c.Artifact(t.Context(), wandb.ArtifactRef{Entity: wandbtest.DemoEntity, Project: wandbtest.DemoProject, Name: wandbtest.DemoRefsArtifact, Alias: "latest"})
	if err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir()
	adest := t.TempDir() // --artifact-dest: the files land there, not in dest/NAME/vN
	d := &driver{t: t, m: New(Options{Source: c, Downloader: c, Artifact: &info, Dest: dest, ArtifactDest: adest, Now: func() time.Time { return testNow }})}
	d.run(d.m.Init())
	d.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.settle()
	d.press("v") // every path, flat
	d.settle()
	d.press("a", "d")
	d.settle()
	if st := d.m.dl.statusText(); !strings.Contains(st, "reference entries") {
		t.Fatalf("status %q; want the skipped references said", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.m.Runner().Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if tot := d.m.Runner().Totals(); tot.Failed != 0 {
		t.Fatalf("%d failed; references must never fail", tot.Failed)
	}
	if _, err := os.Stat(filepath.Join(adest, "README.md")); err != nil {
		t.Fatalf("README.md not in --artifact-dest: %v", err)
	}
	d.press("h") // from the flat list to the folders
	d.press("h") // out of the artifact
	d.settle()
	if !d.m.picking() || !strings.Contains(d.screen(), "versions") {
		t.Fatalf("back from an artifact opened directly: want its versions:\n%s", d.screen())
	}
}

// TestRunsOrderAndSearch checks s (the order, on the server) and a
// search with tokens, each restarting the list with the header saying
// what is active, and esc clearing the search.
func TestRunsOrderAndSearch(t *testing.T) {
	d := navDriver(t, Options{Entity: "wbfiles-lab", Project: "vit-ablations"}, 120, 40)
	d.press("s")
	d.settle()
	if s := d.screen(); !strings.Contains(s, "by heartbeat (s)") || !strings.Contains(s, "of 300 runs loaded") {
		t.Fatalf("after s:\n%s", s)
	}
	d.press("/")
	d.typeText("state:running")
	d.press("enter")
	d.settle()
	runs := d.m.top().(*picker[wandb.RunInfo]).p
	if runs.Loaded() == 0 || !strings.Contains(d.screen(), `search "state:running"`) {
		t.Fatalf("search:\n%s", d.screen())
	}
	for i := range runs.Loaded() {
		if r := runs.All()[i]; r.State != "running" {
			t.Fatalf("%s is %s; the search asked for running runs", r.Ref.RunID, r.State)
		}
	}
	d.press("/")
	d.typeText(" since:abc")
	d.press("enter")
	if !strings.Contains(d.m.statusText(), "since") {
		t.Fatalf("a bad token: status %q; want it explained", d.m.statusText())
	}
	d.press("esc")
	d.settle()
	if strings.Contains(d.screen(), "search") {
		t.Fatalf("esc left the search:\n%s", d.screen())
	}
}

// TestBackLandsOnWhatWasOpened checks that going back from a level opened
// at start (wbfiles ENTITY/PROJECT) puts the cursor on the project, then
// the entity, that lead to it.
func TestBackLandsOnWhatWasOpened(t *testing.T) {
	d := navDriver(t, Options{Entity: "wbfiles-lab", Project: "vit-ablations"}, 100, 30)
	d.press("h")
	d.settle()
	if p, ok := pickerRow(t, d.m).(wandb.Project); !ok || p.Name != "vit-ablations" {
		t.Fatalf("back from the runs on %+v; want vit-ablations", pickerRow(t, d.m))
	}
	d.press("h")
	d.settle()
	if e, ok := pickerRow(t, d.m).(wandb.Entity); !ok || e.Name != "wbfiles-lab" {
		t.Fatalf("back from the projects on %+v; want wbfiles-lab", pickerRow(t, d.m))
	}
}

// TestRetryListsFromTheJobsOwnRun checks that retrying a failed download
// while another run is shown lists it anew from its own run: both runs
// have a config.yaml, and the retried file must be the first run's.
func TestRetryListsFromTheJobsOwnRun(t *testing.T) {
	srv, c := newDemo(t)
	dest := t.TempDir()
	d := &driver{t: t, m: New(Options{Source: c, Downloader: c, Entity: "wbfiles-demo", Project: "llama-finetune", Dest: dest, Now: func() time.Time { return testNow }})}
	d.run(d.m.Init())
	d.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.settle()
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "brisk-sun-42" })
	d.press("enter")
	d.settle()
	for e, _ := d.m.folder().Current(); e.Name != "config.yaml"; e, _ = d.m.folder().Current() {
		d.press("down")
	}
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 1, ServerErrorStatus: 404})
	d.press("d")
	d.settle()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := d.m.Runner().Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if tot := d.m.Runner().Totals(); tot.Failed != 1 {
		t.Fatalf("totals %+v; want the download failed", tot)
	}
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{})
	d.press("h") // the runs
	moveTo(t, d, func(r any) bool { return r.(wandb.RunInfo).DisplayName == "lively-dawn-7" })
	d.press("enter")
	d.settle()
	if e, _ := d.m.folder().Get("config.yaml"); e.Name == "" {
		t.Fatal("lively-dawn-7 shows no config.yaml")
	}
	if _, ok := d.m.dl.job("config.yaml"); ok {
		t.Fatal("the other run's failed config.yaml shows as this run's download")
	}
	d.press("tab", "R")
	d.settle()
	if err := d.m.Runner().Wait(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dest, "config.yaml"))
	if err != nil {
		t.Fatalf("the retry did not download: %v (status %q)", err, d.m.dl.statusText())
	}
	if strings.HasPrefix(string(got), "lr:\n  value: 0.0003\nlora_r:") {
		t.Fatalf("the retry downloaded the shown run's config.yaml, not its own run's:\n%s", got)
	}
}
