package wandbtest

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// pagingRun is a run of n files named f000, f001, ...
func pagingRun(n int) RunSpec {
	r := RunSpec{Entity: "e", Project: "p", ID: "r"}
	for i := range n {
		r.Files = append(r.Files, FileSpec{Name: fmt.Sprintf("f%03d", i), Size: 1})
	}
	return r
}

func TestPagingFaultEchoCursor(t *testing.T) {
	s := startTest(t, pagingRun(5))
	s.SetPagingFaults(PagingFaults{EchoCursor: true})
	first := fetchPage(t, s, "e/p/r", map[string]any{"first": 2})
	if len(first.names) != 2 || !first.hasNext {
		t.Fatalf("first page %+v; want 2 files, more to come (the first page is not echoed)", first)
	}
	next := fetchPage(t, s, "e/p/r", map[string]any{"first": 2, "after": first.end})
	if len(next.names) != 0 || !next.hasNext || next.end != first.end {
		t.Fatalf("page after %q = %+v; want no edges, hasNextPage and the same cursor", first.end, next)
	}
}

func TestPagingFaultStuckCursor(t *testing.T) {
	s := startTest(t, pagingRun(5))
	s.SetPagingFaults(PagingFaults{StuckCursor: true})
	first := fetchPage(t, s, "e/p/r", map[string]any{"first": 2})
	next := fetchPage(t, s, "e/p/r", map[string]any{"first": 2, "after": first.end})
	if !slices.Equal(next.names, first.names) || next.end != first.end || !next.hasNext {
		t.Fatalf("page after %q = %+v; want the first page again %+v", first.end, next, first)
	}
	s.SetPagingFaults(PagingFaults{})
	if next = fetchPage(t, s, "e/p/r", map[string]any{"first": 2, "after": first.end}); next.names[0] != "f002" {
		t.Fatalf("cleared faults: page after %q starts at %v", first.end, next.names)
	}
}

func TestPagingFaultErrorWithData(t *testing.T) {
	s := startTest(t, pagingRun(5))
	s.SetPagingFaults(PagingFaults{ErrorWithData: "storage backend degraded"})
	pg := fetchPage(t, s, "e/p/r", map[string]any{"first": 3})
	if len(pg.names) != 3 || !slices.Equal(pg.errors, []string{"storage backend degraded"}) {
		t.Fatalf("page %+v; want 3 files and the error beside them", pg)
	}
}

// connPage is one page of a runs or projects connection.
type connPage struct {
	names      []string
	end        string
	hasNext    bool
	total      any // the runs' totalCount
	errors     []string
	errorPaths []string
}

// The picker's paged queries: a project's runs, an entity's projects.
const (
	pagedRunsQuery = `query($after: String, $first: Int) { project(name: "pick", entityName: "ent") {
		runs(first: $first, after: $after, order: "+created_at") { totalCount edges { cursor node { name } } pageInfo { endCursor hasNextPage } } } }`
	pagedProjectsQuery = `query($after: String, $first: Int) { models(entityName: "ent", first: $first, after: $after) {
		edges { cursor node { name } } pageInfo { endCursor hasNextPage } } }`
)

// fetchConn asks for one page of the runs (conn "runs") or projects
// ("models") of pagingProjects.
func fetchConn(t *testing.T, s *Server, conn string, vars map[string]any) connPage {
	t.Helper()
	q, at := pagedRunsQuery, []string{"data", "project", "runs"}
	if conn == "models" {
		q, at = pagedProjectsQuery, []string{"data", "models"}
	}
	checkQuery(t, q)
	_, body := gql(t, s, q, vars)
	m := decode(t, body)
	c := dig(m, at...)
	if c == nil {
		t.Fatalf("no %s: %s", conn, body)
	}
	pg := connPage{total: dig(c, "totalCount"), hasNext: dig(c, "pageInfo", "hasNextPage") == true}
	pg.end, _ = dig(c, "pageInfo", "endCursor").(string)
	for _, e := range asList(dig(c, "edges")) {
		pg.names = append(pg.names, dig(e, "node", "name").(string))
	}
	for _, e := range asList(m["errors"]) {
		pg.errors = append(pg.errors, dig(e, "message").(string))
		pg.errorPaths = append(pg.errorPaths, fmt.Sprint(dig(e, "path")))
	}
	return pg
}

// pagingProjects is pickerRuns (project "pick") plus four more projects
// of entity "ent".
func pagingProjects() []RunSpec {
	runs := pickerRuns()
	for _, p := range []string{"alpha", "beta", "gamma", "delta"} {
		runs = append(runs, RunSpec{Entity: "ent", Project: p, ID: "r1"})
	}
	return runs
}

// TestPagingFaultsRunsAndProjects: the paging faults of Run.files apply to
// a project's runs and an entity's projects too.
func TestPagingFaultsRunsAndProjects(t *testing.T) {
	s := startTest(t, pagingProjects()...)
	for _, conn := range []string{"runs", "models"} {
		t.Run(conn, func(t *testing.T) {
			s.SetPagingFaults(PagingFaults{})
			first := fetchConn(t, s, conn, map[string]any{"first": 2})
			second := fetchConn(t, s, conn, map[string]any{"first": 2, "after": first.end})
			if len(first.names) != 2 || !first.hasNext || len(second.names) != 2 || second.names[0] == first.names[0] {
				t.Fatalf("no faults: pages %+v then %+v", first, second)
			}

			s.SetPagingFaults(PagingFaults{EchoCursor: true})
			if pg := fetchConn(t, s, conn, map[string]any{"first": 2}); !slices.Equal(pg.names, first.names) {
				t.Errorf("echoed cursor: the first page (no cursor) is %+v, want %v", pg, first.names)
			}
			echo := fetchConn(t, s, conn, map[string]any{"first": 2, "after": first.end})
			if len(echo.names) != 0 || !echo.hasNext || echo.end != first.end || echo.total != first.total {
				t.Errorf("echoed cursor: page after %q = %+v; want no edges, hasNextPage, the same cursor and totalCount %v",
					first.end, echo, first.total)
			}

			s.SetPagingFaults(PagingFaults{StuckCursor: true})
			stuck := fetchConn(t, s, conn, map[string]any{"first": 2, "after": first.end})
			if !slices.Equal(stuck.names, first.names) || stuck.end != first.end || !stuck.hasNext {
				t.Errorf("stuck cursor: page after %q = %+v; want the first page again %+v", first.end, stuck, first)
			}

			s.SetPagingFaults(PagingFaults{ErrorWithData: "index degraded"})
			pg := fetchConn(t, s, conn, map[string]any{"first": 2, "after": first.end})
			wantPath := "[project runs]"
			if conn == "models" {
				wantPath = "[models]"
			}
			if !slices.Equal(pg.names, second.names) || !slices.Equal(pg.errors, []string{"index degraded"}) ||
				pg.errorPaths[0] != wantPath {
				t.Errorf("errors with data: %+v; want the second page %v and the error at %s", pg, second.names, wantPath)
			}

			s.SetPagingFaults(PagingFaults{})
			if pg := fetchConn(t, s, conn, map[string]any{"first": 2, "after": first.end}); !slices.Equal(pg.names, second.names) || pg.errors != nil {
				t.Errorf("cleared faults: %+v", pg)
			}
		})
	}
}

// TestPagingFaultsOnly: Only narrows the faults to some connections.
func TestPagingFaultsOnly(t *testing.T) {
	runs := pagingProjects()
	runs[0].Files = pagingRun(5).Files
	s := startTest(t, runs...)
	ref := runs[0].Ref()
	files := fetchPage(t, s, ref, map[string]any{"first": 2})
	projects := fetchConn(t, s, "models", map[string]any{"first": 2})
	runPage := fetchConn(t, s, "runs", map[string]any{"first": 2})

	s.SetPagingFaults(PagingFaults{EchoCursor: true, Only: FilesConnection})
	if pg := fetchConn(t, s, "runs", map[string]any{"first": 2, "after": runPage.end}); len(pg.names) != 2 {
		t.Errorf("faults of files only: runs page %+v", pg)
	}
	if pg := fetchPage(t, s, ref, map[string]any{"first": 2, "after": files.end}); len(pg.names) != 0 || pg.end != files.end {
		t.Errorf("faults of files only: files page %+v; want it echoed", pg)
	}

	s.SetPagingFaults(PagingFaults{ErrorWithData: "x", Only: RunsConnection | ProjectsConnection})
	if pg := fetchPage(t, s, ref, map[string]any{"first": 2, "after": files.end}); len(pg.names) != 2 || pg.errors != nil {
		t.Errorf("faults of runs and projects: files page %+v", pg)
	}
	if pg := fetchConn(t, s, "models", map[string]any{"first": 2, "after": projects.end}); len(pg.errors) != 1 {
		t.Errorf("faults of runs and projects: projects page %+v", pg)
	}
}

// TestFaultsOnRunsAndProjects: latency, 429s and 5xx of the GraphQL target
// hit the picker's requests like any other: a client that retries them
// lists the team's projects and all the runs of its big project, each
// once, in order.
func TestFaultsOnRunsAndProjects(t *testing.T) {
	s := startDemo(t)
	const runsQ = `query($after: String) { project(name: "` + DemoTeamProject + `", entityName: "` + DemoTeam + `") {
		runCount runs(first: 50, after: $after, order: "-created_at") { edges { node { name } } pageInfo { endCursor hasNextPage } } } }`
	const projectsQ = `query($after: String) { models(entityName: "` + DemoTeam + `", first: 1, after: $after) {
		edges { node { name } } pageInfo { endCursor hasNextPage } } }`
	checkQuery(t, runsQ)
	checkQuery(t, projectsQ)
	want, _ := listRuns(t, s, DemoTeam, DemoTeamProject, "{}", "-created_at", 50)

	const latency = 3 * time.Millisecond
	s.SetFaults(GraphQL, Faults{Latency: latency, RateLimitEvery: 3, ServerErrorEvery: 5, ServerErrorStatus: 502})
	statuses := map[int]int{}
	// walk pages through conn (at path at), retrying 429s and 5xx.
	walk := func(q string, at ...string) []string {
		var names []string
		vars := map[string]any{}
		for tries := 0; tries < 100; tries++ {
			start := time.Now()
			st, body := gql(t, s, q, vars)
			if d := time.Since(start); d < latency {
				t.Errorf("answered in %v, under the latency %v", d, latency)
			}
			statuses[st]++
			if st == http.StatusTooManyRequests || st >= 500 {
				continue
			}
			c := dig(decode(t, body), at...)
			for _, e := range asList(dig(c, "edges")) {
				names = append(names, dig(e, "node", "name").(string))
			}
			if dig(c, "pageInfo", "hasNextPage") != true {
				return names
			}
			vars["after"] = dig(c, "pageInfo", "endCursor")
		}
		t.Fatalf("no end after 100 requests: %v", statuses)
		return nil
	}
	if got := walk(runsQ, "data", "project", "runs"); !slices.Equal(got, want) || len(got) != DemoTeamRuns {
		t.Errorf("runs under faults: %d runs, want the %d of the listing without faults", len(got), len(want))
	}
	if got := walk(projectsQ, "data", "models"); !slices.Equal(got, []string{DemoTeamSmallProject, DemoTeamProject}) {
		t.Errorf("projects under faults: %v", got)
	}
	if statuses[http.StatusTooManyRequests] == 0 || statuses[http.StatusBadGateway] == 0 || statuses[http.StatusOK] != DemoTeamRuns/50+2 {
		t.Errorf("statuses %v; want 429s, 502s and 200s for the 8 pages", statuses)
	}
}
