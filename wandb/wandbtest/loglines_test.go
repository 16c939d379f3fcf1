package wandbtest

import (
	"strings"
	"testing"
)

// consoleQuery pages a run's console log as run.console_logs() does.
const consoleQuery = `query($e: String!, $p: String!, $r: String!, $first: Int, $after: String, $last: Int, $before: String) {
  project(name: $p, entityName: $e) { run(name: $r) { logLineCount
    logLines(first: $first, after: $after, last: $last, before: $before, useImprovedPagination: true) {
      edges { cursor node { id label level line number timestamp } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } } } }`

// consolePage fetches one page of ref's log lines with vars.
func consolePage(t *testing.T, s *Server, r RunSpec, vars map[string]any) (lines []map[string]any, run map[string]any) {
	t.Helper()
	v := map[string]any{"e": r.Entity, "p": r.Project, "r": r.ID}
	for k, x := range vars {
		v[k] = x
	}
	run, _ = dig(sdkGQL(t, s, consoleQuery, v), "project", "run").(map[string]any)
	for _, e := range asList(dig(run, "logLines", "edges")) {
		lines = append(lines, e.(map[string]any)["node"].(map[string]any))
	}
	return lines, run
}

// TestConsoleLogs: paging forwards through every line gives output.log,
// numbered from 0, with logLineCount lines; last: N is the tail in
// ascending order; a traceback is on stderr; a run without output.log has
// no log lines.
func TestConsoleLogs(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	crashed := DemoRuns()[3]
	var log string
	for _, f := range crashed.Files {
		if f.Name == "output.log" {
			log = string(f.Content)
		}
	}
	var got []string
	vars := map[string]any{"first": 1000}
	var count any
	for {
		lines, run := consolePage(t, s, crashed, vars)
		count = run["logLineCount"]
		for _, l := range lines {
			if int(l["number"].(float64)) != len(got) || !strings.HasPrefix(l["timestamp"].(string), "2026-08-13T") {
				t.Fatalf("line %d: %v", len(got), l)
			}
			got = append(got, l["line"].(string))
		}
		if dig(run, "logLines", "pageInfo", "hasNextPage") != true {
			break
		}
		vars["after"] = dig(run, "logLines", "pageInfo", "endCursor")
	}
	if strings.Join(got, "\n")+"\n" != log || count != float64(len(got)) {
		t.Fatalf("%d lines (logLineCount %v) do not make output.log", len(got), count)
	}
	tail, run := consolePage(t, s, crashed, map[string]any{"last": 3})
	if len(tail) != 3 || tail[2]["line"] != got[len(got)-1] || tail[0]["number"].(float64) != float64(len(got)-3) ||
		tail[2]["level"] != "error" || dig(run, "logLines", "pageInfo", "hasPreviousPage") != true {
		t.Errorf("tail: %v", tail)
	}
	back, _ := consolePage(t, s, crashed, map[string]any{"last": 2, "before": dig(run, "logLines", "pageInfo", "startCursor")})
	if len(back) != 2 || back[1]["number"].(float64) != float64(len(got)-4) {
		t.Errorf("the two lines before the tail: %v", back)
	}
	if head, _ := consolePage(t, s, crashed, map[string]any{"first": 1}); head[0]["level"] != "info" || head[0]["label"] != nil {
		t.Errorf("first line: %v", head)
	}
	if _, run := consolePage(t, s, DemoRuns()[2], nil); run["logLines"] != nil || run["logLineCount"] != 0.0 {
		t.Errorf("a run without output.log: %v", run)
	}
}
