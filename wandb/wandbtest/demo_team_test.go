package wandbtest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// startDemo starts the demo server and closes it at the end.
func startDemo(t testing.TB) *Server {
	t.Helper()
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// teamSpecs returns the demo runs of the team's big project.
func teamSpecs() []RunSpec {
	var out []RunSpec
	for _, r := range DemoRuns() {
		if r.Entity == DemoTeam && r.Project == DemoTeamProject {
			out = append(out, r)
		}
	}
	return out
}

// TestDemoViewerTeams: the picker's first step, viewer { teams }, lists the
// demo user's own entity and the team, and each lists its projects.
func TestDemoViewerTeams(t *testing.T) {
	s := startDemo(t)
	const q = `query Picker { viewer { username entity teams { edges { node { id name } } } } }`
	checkQuery(t, q)
	v := sdkGQL(t, s, q, nil)["viewer"]
	var teams []string
	for _, e := range asList(dig(v, "teams", "edges")) {
		teams = append(teams, dig(e, "node", "name").(string))
	}
	if dig(v, "entity") != DemoEntity || !slices.Equal(teams, []string{DemoEntity, DemoTeam}) {
		t.Fatalf("viewer %v; want teams [%s %s]", v, DemoEntity, DemoTeam)
	}
	const paged = `query Teams($after: String) { viewer { teams(first: 1, after: $after) {
		edges { cursor node { name } } pageInfo { endCursor hasNextPage } } } }`
	checkQuery(t, paged)
	var onePerPage []string
	vars := map[string]any{}
	for range 5 {
		c := dig(sdkGQL(t, s, paged, vars)["viewer"], "teams")
		for _, e := range asList(dig(c, "edges")) {
			onePerPage = append(onePerPage, dig(e, "node", "name").(string))
		}
		if dig(c, "pageInfo", "hasNextPage") != true {
			break
		}
		vars["after"] = dig(c, "pageInfo", "endCursor")
	}
	if !slices.Equal(onePerPage, teams) {
		t.Errorf("teams one per page: %v, want %v", onePerPage, teams)
	}
	const pq = `query Projects($entity: String, $after: String) { models(entityName: $entity, first: 1, after: $after) {
		edges { cursor node { name entityName } } pageInfo { endCursor hasNextPage } } }`
	checkQuery(t, pq)
	for entity, want := range map[string][]string{
		DemoEntity: {DemoProject},
		DemoTeam:   {DemoTeamSmallProject, DemoTeamProject},
	} {
		var got []string
		vars := map[string]any{"entity": entity}
		for range 10 {
			m := sdkGQL(t, s, pq, vars)["models"]
			for _, e := range asList(dig(m, "edges")) {
				got = append(got, dig(e, "node", "name").(string))
				if dig(e, "node", "entityName") != entity {
					t.Errorf("%s lists %v", entity, e)
				}
			}
			if dig(m, "pageInfo", "hasNextPage") != true {
				break
			}
			vars["after"] = dig(m, "pageInfo", "endCursor")
		}
		if !slices.Equal(got, want) {
			t.Errorf("projects of %s: %v, want %v", entity, got, want)
		}
	}
}

// TestDemoTeamRunsVaried: the team project's runs are DemoTeamRuns, with
// unique ids, and every kind a picker shows: each state, tag kind and
// user, names with capitals and non-ASCII letters, creation dates over
// months; and they are the same on every build.
func TestDemoTeamRunsVaried(t *testing.T) {
	runs := teamSpecs()
	if len(runs) != DemoTeamRuns {
		t.Fatalf("%d runs, want %d", len(runs), DemoTeamRuns)
	}
	ids := map[string]bool{}
	states, users, tags := map[string]int{}, map[string]int{}, map[string]int{}
	var upper, nonASCII, custom int
	first, last := runs[0].CreatedAt, runs[0].CreatedAt
	for _, r := range runs {
		if ids[r.ID] || len(r.ID) != 8 {
			t.Errorf("id %q repeated or not 8 characters", r.ID)
		}
		ids[r.ID] = true
		states[r.State]++
		users[r.User]++
		for _, tag := range r.Tags {
			tags[strings.SplitN(tag, "-", 2)[0]]++
		}
		if strings.ToLower(r.DisplayName) != r.DisplayName {
			upper++
		}
		if strings.ContainsFunc(r.DisplayName, func(c rune) bool { return c > 127 }) {
			nonASCII++
		}
		if strings.Contains(r.DisplayName, " ") {
			custom++
		}
		if r.CreatedAt.Before(first) {
			first = r.CreatedAt
		}
		if r.CreatedAt.After(last) {
			last = r.CreatedAt
		}
		if len(r.Files) != 3 || r.Config == "" {
			t.Errorf("%s: %d files, config %q", r.Ref(), len(r.Files), r.Config)
		}
	}
	for _, st := range []string{"finished", "crashed", "failed", "killed", "running"} {
		if states[st] == 0 {
			t.Errorf("no %s run: %v", st, states)
		}
	}
	for _, u := range []string{DemoEntity, "alice", "bob"} {
		if users[u] == 0 {
			t.Errorf("no run of %s: %v", u, users)
		}
	}
	for _, tag := range []string{"baseline", "ablation", "sweep", "mixup"} {
		if tags[tag] == 0 {
			t.Errorf("no %s tag: %v", tag, tags)
		}
	}
	if upper < 5 || nonASCII < 1 || custom < 10 {
		t.Errorf("names: %d with capitals, %d non-ASCII, %d with spaces", upper, nonASCII, custom)
	}
	if last.Sub(first) < 90*24*time.Hour || last.After(demoEpoch.Add(72*time.Hour)) {
		t.Errorf("created from %v to %v", first, last)
	}
	again := teamRuns(DemoTeamProject, DemoTeamRuns, 0x7eab, demoEpoch.Add(60*time.Hour), 150*24*time.Hour)
	for i := range runs {
		a, b := runs[i], again[i]
		if a.ID != b.ID || a.DisplayName != b.DisplayName || !a.CreatedAt.Equal(b.CreatedAt) || a.Config != b.Config ||
			string(a.Files[1].Content) != string(b.Files[1].Content) {
			t.Fatalf("not deterministic at run %d: %s and %s", i, a.Ref(), b.Ref())
		}
	}
}

// TestDemoTeamProjectPaging: the team project lists all its runs through
// pages of 50 (the SDK's) and of 7, newest first, each once, and
// runCount, totalCount and the listing agree with and without filters.
func TestDemoTeamProjectPaging(t *testing.T) {
	s := startDemo(t)
	runs := teamSpecs()
	for _, tc := range []struct {
		filters string
		keep    func(RunSpec) bool
	}{
		{"{}", func(RunSpec) bool { return true }},
		{`{"state": "finished"}`, func(r RunSpec) bool { return r.State == "finished" }},
		{`{"username": "alice"}`, func(r RunSpec) bool { return r.User == "alice" }},
		{`{"tags": {"$in": ["baseline"]}}`, func(r RunSpec) bool { return slices.Contains(r.Tags, "baseline") }},
		{`{"$and": [{"state": {"$in": ["crashed", "failed"]}}, {"createdAt": {"$gte": "2026-06-01T00:00:00"}}]}`,
			func(r RunSpec) bool {
				return (r.State == "crashed" || r.State == "failed") && !r.CreatedAt.Before(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
			}},
		{`{"displayName": {"$regex": "(?i)baseline"}}`, func(r RunSpec) bool { return strings.Contains(strings.ToLower(r.DisplayName), "baseline") }},
	} {
		var want []string
		for _, r := range runs {
			if tc.keep(r) {
				want = append(want, r.ID)
			}
		}
		slices.Reverse(want) // runs are generated oldest first
		if len(want) == 0 {
			t.Errorf("filters %s keep no demo run", tc.filters)
		}
		for _, perPage := range []int{50, 7} {
			got, count := listRuns(t, s, DemoTeam, DemoTeamProject, tc.filters, "-created_at", perPage)
			if !slices.Equal(got, want) || int(count) != len(want) {
				t.Errorf("filters %s, %d per page: %d runs (runCount %v), want %d", tc.filters, perPage, len(got), count, len(want))
			}
		}
	}
}

// TestDemoTeamSummariesAgreeWithFiles: each team run's summaryMetrics is
// its wandb-summary.json, its config is its config.yaml, its heartbeat is
// createdAt plus _runtime (now for a running run), and its output.log
// ends then. (TestDemoRunHeaderAgreesWithFiles and TestDemoLogEndsWithTheRun
// check the same of every demo run one request each; this reads the team
// project in pages, as a picker does.)
func TestDemoTeamSummariesAgreeWithFiles(t *testing.T) {
	s := startDemo(t)
	byID := map[string]RunSpec{}
	for _, r := range teamSpecs() {
		byID[r.ID] = r
	}
	const q = `query($after: String) { project(name: "` + DemoTeamProject + `", entityName: "` + DemoTeam + `") {
		runs(first: 100, after: $after) { edges { node { name state createdAt heartbeatAt summaryMetrics config user { username } } }
		pageInfo { endCursor hasNextPage } } } }`
	checkQuery(t, q)
	vars := map[string]any{}
	seen := 0
	for range 10 {
		conn := dig(sdkGQL(t, s, q, vars), "project", "runs")
		for _, e := range asList(dig(conn, "edges")) {
			n := dig(e, "node").(map[string]any)
			r := byID[n["name"].(string)]
			seen++
			files := map[string]string{}
			for _, f := range r.Files {
				files[f.Name] = string(f.Content)
			}
			var got, want map[string]any
			json.Unmarshal([]byte(n["summaryMetrics"].(string)), &got)
			if err := json.Unmarshal([]byte(files["wandb-summary.json"]), &want); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: summaryMetrics %v, wandb-summary.json %v (%v)", r.Ref(), got, want, err)
			}
			var cfg map[string]map[string]any
			json.Unmarshal([]byte(n["config"].(string)), &cfg)
			for k, v := range cfg {
				if line := "\n" + k + ":\n  desc: null\n  value: "; !strings.Contains(files["config.yaml"], line+yamlScalar(v["value"])+"\n") {
					t.Errorf("%s: config %s=%v is not in config.yaml:\n%s", r.Ref(), k, v["value"], files["config.yaml"])
				}
			}
			if dig(n, "user", "username") != r.User || n["state"] != r.State {
				t.Errorf("%s: %v", r.Ref(), n)
			}
			created, _ := time.Parse(time.RFC3339, n["createdAt"].(string))
			beat, _ := time.Parse(time.RFC3339, n["heartbeatAt"].(string))
			runtime := time.Duration(want["_runtime"].(float64)) * time.Second
			if r.State != "running" && !beat.Equal(created.Add(runtime)) {
				t.Errorf("%s: created %v, heartbeat %v, _runtime %v", r.Ref(), created, beat, runtime)
			}
			if r.State != "running" && !strings.Contains(files["output.log"], created.Add(runtime).Format("2006-01-02 15:04:05")) {
				t.Errorf("%s: output.log does not reach the end of the run", r.Ref())
			}
		}
		if dig(conn, "pageInfo", "hasNextPage") != true {
			break
		}
		vars["after"] = dig(conn, "pageInfo", "endCursor")
	}
	if seen != DemoTeamRuns {
		t.Errorf("read %d runs, want %d", seen, DemoTeamRuns)
	}
}

// yamlScalar writes a config value as the demo's config.yaml does.
func yamlScalar(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}
