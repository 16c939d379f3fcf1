package cli

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// runMainTerm is runMain with stdout a terminal.
func runMainTerm(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	env, stderr := testEnv(t, vars)
	code := Main(args, env)
	out, err := os.ReadFile(env.Stdout.Name())
	if err != nil {
		t.Fatal(err)
	}
	return code, string(out), stderr.String()
}

// teamRuns returns the demo team project's runs, newest first.
func teamRuns() []wandbtest.RunSpec {
	var runs []wandbtest.RunSpec
	for _, r := range wandbtest.DemoRuns() {
		if r.Entity == wandbtest.DemoTeam && r.Project == wandbtest.DemoTeamProject {
			runs = append(runs, r)
		}
	}
	slices.SortFunc(runs, func(a, b wandbtest.RunSpec) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return runs
}

// lines splits output into its lines.
func lines(out string) []string {
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

const teamProject = wandbtest.DemoTeam + "/" + wandbtest.DemoTeamProject

// TestLsRuns lists a project's runs on a pipe, newest first, across pages;
// --filter narrows them on the server; --sort name orders them by name.
func TestLsRuns(t *testing.T) {
	specs := teamRuns()
	code, out, errs := runMain(t, nil, "ls", "--demo", "--per-page", "70", teamProject)
	var want []string
	for _, r := range specs {
		want = append(want, teamProject+"/"+r.ID)
	}
	if got := lines(out); code != 0 || errs != "" || !slices.Equal(got, want) {
		t.Fatalf("ls: exit %d, stderr %q, %d lines (want %d)", code, errs, len(got), len(want))
	}
	code, out, _ = runMain(t, nil, "ls", "--demo", "--filter", "state:running tag:baseline tag:ablation", teamProject)
	want = want[:0]
	for _, r := range specs {
		if r.State == "running" && len(r.Tags) > 0 && (r.Tags[0] == "baseline" || r.Tags[0] == "ablation") {
			want = append(want, teamProject+"/"+r.ID)
		}
	}
	if got := lines(out); code != 0 || len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("--filter: exit %d, got %q, want %q", code, got, want)
	}
	code, out, _ = runMain(t, nil, "ls", "--demo", "--json", "--sort", "name", "--filter", "BASELINE", teamProject)
	var names []string
	for _, l := range lines(out) {
		var e runEntry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("--json line %q: %v", l, err)
		}
		if e.Path != teamProject+"/"+e.ID || e.CreatedAt == "" || e.User == "" || e.FileCount == nil || *e.FileCount != 3 || e.Tags == nil {
			t.Errorf("--json entry %+v", e)
		}
		if !strings.Contains(strings.ToLower(e.DisplayName), "baseline") {
			t.Errorf("%q does not match the filter", e.DisplayName)
		}
		names = append(names, e.DisplayName)
	}
	if code != 0 || len(names) < 2 || !slices.IsSorted(names) {
		t.Errorf("--sort name --json: exit %d, names %q", code, names)
	}
}

// TestLsRunsTable: on a terminal, a header and aligned columns; --long
// adds group, job type and heartbeat.
func TestLsRunsTable(t *testing.T) {
	r := teamRuns()[0]
	code, out, _ := runMainTerm(t, nil, "ls", "--demo", "--per-page", "1", "--filter", r.ID, teamProject)
	l := lines(out)
	if code != 0 || len(l) != 2 || !strings.HasPrefix(l[0], "ID         NAME                         STATE     CREATED         USER         TAGS") ||
		!strings.HasPrefix(l[1], r.ID+"   "+r.DisplayName) || !strings.Contains(l[1], " "+r.State+" ") || !strings.Contains(l[1], " ago ") {
		t.Fatalf("table: exit %d\n%s", code, out)
	}
	if idx := strings.Index(l[0], "STATE"); idx != strings.Index(l[1], r.State) {
		t.Errorf("STATE at %d, the state at %d", idx, strings.Index(l[1], r.State))
	}
	_, out, _ = runMainTerm(t, nil, "ls", "--demo", "--long", "--filter", r.ID, teamProject)
	if l := lines(out); !strings.Contains(l[0], "GROUP            JOB TYPE   HEARTBEAT") || !strings.Contains(l[1], r.Group) || !strings.Contains(l[1], r.JobType) {
		t.Errorf("--long table:\n%s", out)
	}
}

// TestLsProjects lists an entity's projects: paths on a pipe, JSON with
// their run counts, a table on a terminal.
func TestLsProjects(t *testing.T) {
	code, out, errs := runMain(t, nil, "ls", "--demo", "--per-page", "1", wandbtest.DemoTeam)
	if want := "wbfiles-lab/data-pipeline\nwbfiles-lab/vit-ablations\n"; code != 0 || out != want {
		t.Fatalf("ls ENTITY: exit %d, out %q, err %q", code, out, errs)
	}
	_, out, _ = runMain(t, nil, "ls", "--demo", "--json", wandbtest.DemoTeam)
	var counts []int
	for _, l := range lines(out) {
		var e projectEntry
		if err := json.Unmarshal([]byte(l), &e); err != nil || e.RunCount == nil || e.CreatedAt == "" || e.Path != e.Entity+"/"+e.Name {
			t.Fatalf("--json %q: %v", l, err)
		}
		counts = append(counts, *e.RunCount)
	}
	if !slices.Equal(counts, []int{wandbtest.DemoTeamSmallRuns, wandbtest.DemoTeamRuns}) {
		t.Errorf("run counts %v", counts)
	}
	_, out, _ = runMainTerm(t, nil, "ls", "--demo", "https://wandb.ai/"+wandbtest.DemoTeam)
	if l := lines(out); len(l) != 3 || l[0] != "   RUNS  LAST ACTIVE      NAME" || !strings.HasPrefix(l[2], "    300  ") || !strings.HasSuffix(l[2], "  vit-ablations") {
		t.Errorf("projects table:\n%s", out)
	}
}

// TestLsFilesSortLong: --sort reads every page and orders the files;
// --long adds md5 and mimetype to the table.
func TestLsFilesSortLong(t *testing.T) {
	_, _, vars := verbServer(t)
	code, out, _ := runMain(t, vars, "ls", "--sort", "size", "--per-page", "1", "ent/proj/run1")
	if code != 0 || out != "eval/b.json\neval/a.json\nconfig.yaml\neval/notes.txt\n" {
		t.Fatalf("--sort size: exit %d, %q", code, out)
	}
	code, out, _ = runMainTerm(t, vars, "ls", "--long", "ent/proj/run1", "eval/b.json")
	if f := strings.Fields(out); code != 0 || len(f) != 8 || len(f[5]) != 24 || !strings.HasSuffix(f[5], "==") || f[6] != "application/json" || f[7] != "eval/b.json" {
		t.Fatalf("--long: exit %d, %q", code, out)
	}
}

// TestLsListingErrors: a target that does not fit the verb or the flags,
// a bad filter and an unknown project exit 2 with one line; a page that
// fails midway exits 1 after the rows before it.
func TestLsListingErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"get", "--demo", teamProject}, "get downloads the files of a run"},
		{[]string{"ls", "--demo", teamProject, "*.json"}, "GLOBs go with a RUN (wbfiles-lab/vit-ablations is a project)"},
		{[]string{"ls", "--demo", "--filter", "since:abc", teamProject}, "--filter: invalid run search: since:abc is not an age"},
		{[]string{"ls", "--demo", "--filter", "x", wandbtest.DemoRun}, "--filter narrows the runs of a project"},
		{[]string{"ls", "--demo", "--sort", "size", teamProject}, `--sort "size": the runs of wbfiles-lab/vit-ablations sort by created, heartbeat, name`},
		{[]string{"ls", "--demo", "--sort", "created", wandbtest.DemoRun}, "sort by name, size, updated"},
		{[]string{"ls", "--demo", "--sort", "name", wandbtest.DemoTeam}, "projects come by name"},
		{[]string{"ls", "--demo", "--long", wandbtest.DemoTeam}, "--long goes with files and runs"},
		{[]string{"ls", "--demo", wandbtest.DemoTeam + "/nope"}, "project not found: wbfiles-lab/nope"},
		{[]string{"ls", "--demo", wandbtest.DemoTeam + "/vit-ablations/model:latest"}, "artifact not found: wbfiles-lab/vit-ablations/model:latest"},
		{[]string{"ls", "--demo", wandbtest.DemoTeam + "/vit-ablations/model:la test"}, "the alias \"la test\" holds a space"},
		{[]string{"ls", "--demo", "--sort", "size", wandbtest.DemoEntity + "/" + wandbtest.DemoProject + "/" + wandbtest.DemoModelArtifact + ":v1"}, "an artifact's files come by path"},
		{[]string{"ls", "--demo", "--per-page", "1001", teamProject}, "--per-page"},
	} {
		code, out, errs := runMain(t, nil, tc.args...)
		if code != verbStartup || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, out %q, stderr %q; want %q", tc.args, code, out, errs, tc.want)
		}
	}
	srv, _, vars := verbServer(t)
	for i := range 30 {
		srv.AddRun(wandbtest.RunSpec{Entity: "ent", Project: "big", ID: "r" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			CreatedAt: time.Now().Add(-time.Duration(i) * time.Hour)})
	}
	srv.SetPagingFaults(wandbtest.PagingFaults{StuckCursor: true, Only: wandbtest.RunsConnection})
	code, out, errs := runMain(t, vars, "ls", "--per-page", "10", "ent/big")
	if code != verbFailed || len(lines(out)) != 10 || !strings.Contains(errs, "does not advance") {
		t.Errorf("a listing that fails midway: exit %d, %d lines, stderr %q", code, len(lines(out)), errs)
	}
}

// TestLsHelp: ls --help names the targets, the runs search and that
// sorting files reads every page first.
func TestLsHelp(t *testing.T) {
	code, out, _ := runMain(t, nil, "ls", "--help")
	for _, want := range []string{"wbfiles ls  [flags] ENTITY/PROJECT", "wbfiles ls  [flags] ENTITY ", "--filter search", "--sort order", "name|size|updated (reads every page first)",
		"it needs every page", "since:N", "--long", "--per-page"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("ls --help lacks %q:\n%s", want, out)
		}
	}
}

// TestVerbTwoParts: for ls two parts name a project whatever
// WANDB_ENTITY says; get still reads project/run_id with it.
func TestVerbTwoParts(t *testing.T) {
	_, _, vars := verbServer(t)
	vars["WANDB_ENTITY"] = "ent"
	code, out, errs := runMain(t, vars, "ls", "ent/proj")
	if code != 0 || out != "ent/proj/run1\n" {
		t.Errorf("ls ent/proj: exit %d, out %q, err %q", code, out, errs)
	}
	code, out, errs = runMain(t, vars, "get", "--dry-run", "--dest", t.TempDir(), "proj/run1", "config.yaml")
	if code != 0 || !strings.Contains(out, "download   config.yaml") {
		t.Errorf("get proj/run1: exit %d, out %q, err %q", code, out, errs)
	}
	delete(vars, "WANDB_ENTITY")
	if code, _, errs = runMain(t, vars, "get", "ent/proj"); code != verbStartup || !strings.Contains(errs, "get downloads the files of a run") {
		t.Errorf("get ent/proj: exit %d, err %q", code, errs)
	}
}
