package wandbtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStartDemo(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.APIKey() != DemoAPIKey {
		t.Fatalf("key %q", s.APIKey())
	}
	for _, tc := range []struct {
		ref       string
		state     string
		fileCount any
	}{
		{DemoRun, "finished", float64(len(mainRun().Files))},
		{DemoSweepRun, "finished", float64(DemoSweepFiles)},
		{DemoEmptyRun, "finished", 0.0},
		{DemoCrashedRun, "crashed", 5.0},
		{DemoRunningRun, "running", 5.0},
	} {
		p := strings.Split(tc.ref, "/")
		_, body := gql(t, s, `query($e: String, $p: String, $r: String!) { project(name: $p, entityName: $e) { run(name: $r) { state fileCount } } }`,
			map[string]any{"e": p[0], "p": p[1], "r": p[2]})
		run, _ := dig(decode(t, body), "data", "project", "run").(map[string]any)
		if run == nil || run["state"] != tc.state || run["fileCount"] != tc.fileCount {
			t.Errorf("%s: %s", tc.ref, body)
		}
	}
	if got := walk(t, s, DemoEmptyRun, nil); len(got) != 0 {
		t.Errorf("empty run lists %v", got)
	}
}

// TestDemoSendsNoNullsTheSDKCrashesOn: the W&B SDK fails on a null
// fileCount, a null edge node and a null File.url (see NullsRun), so no
// demo run sends them: every run has a fileCount equal to its listed files,
// and every listed file a node with a url.
func TestDemoSendsNoNullsTheSDKCrashesOn(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const q = `query($e: String, $p: String, $r: String!, $after: String) { project(name: $p, entityName: $e) {
		run(name: $r) { fileCount files(first: 1000, after: $after) { edges { cursor node { name url } } pageInfo { endCursor hasNextPage } } } } }`
	for _, r := range DemoRuns() {
		vars := map[string]any{"e": r.Entity, "p": r.Project, "r": r.ID}
		listed := 0
		var count any
		for more := true; more; {
			_, body := gql(t, s, q, vars)
			run, _ := dig(decode(t, body), "data", "project", "run").(map[string]any)
			if run == nil {
				t.Fatalf("%s: %s", r.Ref(), body)
			}
			count = run["fileCount"]
			for _, e := range asList(dig(run, "files", "edges")) {
				node, _ := e.(map[string]any)["node"].(map[string]any)
				if node == nil {
					t.Errorf("%s: an edge with a null node: %v", r.Ref(), e)
					continue
				}
				if u, _ := node["url"].(string); u == "" {
					t.Errorf("%s: %v has no url", r.Ref(), node["name"])
				}
				listed++
			}
			more, _ = dig(run, "files", "pageInfo", "hasNextPage").(bool)
			vars["after"] = dig(run, "files", "pageInfo", "endCursor")
		}
		if count != float64(listed) || listed != len(r.Files) {
			t.Errorf("%s: fileCount %v, %d files listed, %d in the spec", r.Ref(), count, listed, len(r.Files))
		}
	}
}

// TestDemoDataIsRealistic checks the promises of the demo data: the kinds
// of files, awkward names, sizes, and contents that parse.
func TestDemoDataIsRealistic(t *testing.T) {
	runs := DemoRuns()
	main := runs[0]
	if main.Ref() != DemoRun || len(runs[1].Files) != DemoSweepFiles || DemoSweepFiles < 20000 {
		t.Fatalf("demo runs out of shape")
	}
	files := map[string]FileSpec{}
	for _, f := range main.Files {
		files[f.Name] = f
	}
	for _, name := range []string{"config.yaml", "wandb-summary.json", "wandb-metadata.json", "output.log",
		"requirements.txt", "diff.patch", "code/train.py", "résumé notes.txt", "日本語/データ.csv"} {
		if _, ok := files[name]; !ok {
			t.Errorf("missing %s", name)
		}
	}
	var checkpoints, pngs, tables, space, percent, underscore, deep, nulls int
	for _, f := range main.Files {
		n := f.Name
		switch {
		case strings.HasSuffix(n, ".safetensors"):
			if f.Size < 24*MiB || f.Size > 64*MiB {
				t.Errorf("%s: %d bytes", n, f.Size)
			}
			checkpoints++
		case strings.HasSuffix(n, ".png"):
			if _, err := png.Decode(bytes.NewReader(f.Content)); err != nil {
				t.Errorf("%s: %v", n, err)
			}
			pngs++
		case strings.HasSuffix(n, ".json"):
			var v any
			if err := json.Unmarshal(f.Content, &v); err != nil {
				t.Errorf("%s does not parse: %v", n, err)
			}
			if strings.HasPrefix(n, "media/tables/") {
				tables++
			}
		}
		if strings.Contains(n, " ") {
			space++
		}
		if strings.Contains(n, "%") {
			percent++
		}
		if strings.Contains(n, "_") {
			underscore++
		}
		if strings.Count(n, "/") >= 6 {
			deep++
		}
		if f.NullSize || f.NullMD5 || f.EmptyDirectURL {
			nulls++
		}
	}
	if checkpoints != 3 || pngs < 24 || tables < 2 || space < 2 || percent < 2 || underscore < 2 || deep < 1 || nulls < 3 {
		t.Errorf("checkpoints %d pngs %d tables %d space %d percent %d underscore %d deep %d nulls %d",
			checkpoints, pngs, tables, space, percent, underscore, deep, nulls)
	}
	if lines := bytes.Count(files["output.log"].Content, []byte("\n")); lines < 2000 {
		t.Errorf("output.log has %d lines", lines)
	}
	var crashed string
	for _, f := range runs[3].Files {
		if f.Name == "output.log" {
			crashed = string(f.Content)
		}
	}
	if !strings.Contains(crashed, "Traceback") {
		t.Errorf("the crashed run's log has no traceback")
	}
	// Deterministic across calls.
	again := DemoRuns()[0]
	for i, f := range main.Files {
		if f.Name != again.Files[i].Name || !bytes.Equal(f.Content, again.Files[i].Content) {
			t.Fatalf("DemoRuns is not deterministic at %s", f.Name)
		}
	}
}

// TestAddRunWhileServing runs under -race in CI: readers page while runs
// are added and replaced.
func TestAddRunWhileServing(t *testing.T) {
	s := startTest(t, manyRun(100))
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				if got := walk(t, s, "ent/proj/many", map[string]any{"first": 30}); len(got) != 100 {
					t.Errorf("walk: %d files", len(got))
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		r := manyRun(100)
		s.AddRun(r)
		r.ID = fmt.Sprintf("extra%d", i)
		s.AddRun(r)
	}
	wg.Wait()
	_, body := gql(t, s, `{ project(name: "proj", entityName: "ent") { runCount } }`, nil)
	if !strings.Contains(body, `"runCount":21`) {
		t.Fatalf("runCount after adds and replaces: %s", body)
	}
	resp, _, _ := get(t, http.MethodGet, s.URL()+"/nope", s.APIKey())
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown path: %d", resp.StatusCode)
	}
}

// TestDemoServersShareDataNotSecrets: demo servers share the indexed data,
// but each signs storage URLs with its own secret.
func TestDemoServersShareDataNotSecrets(t *testing.T) {
	a, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, da := fileURLs(t, a, DemoRun)
	_, db := fileURLs(t, b, DemoRun)
	ua, ub := da["config.yaml"], db["config.yaml"]
	if ua == ub || !strings.HasPrefix(ua, a.StorageURL()) || !strings.HasPrefix(ub, b.StorageURL()) {
		t.Fatalf("directUrls %q %q", ua, ub)
	}
	for _, u := range []string{ua, ub} {
		if resp, _, _ := get(t, "GET", u, ""); resp.StatusCode != 200 {
			t.Fatalf("%s: %d", u, resp.StatusCode)
		}
	}
	// A's signature presented to B's storage host is refused.
	swapped := b.StorageURL() + strings.TrimPrefix(ua, a.StorageURL())
	if resp, _, _ := get(t, "GET", swapped, ""); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a foreign signature: %d", resp.StatusCode)
	}
}

// TestDemoRunHeaderAgreesWithFiles: a demo run's summaryMetrics is the
// content of its wandb-summary.json, and its heartbeat fits its state: a
// run that ended beats last when it ended (createdAt plus the summary's
// _runtime, within a day without one), a running run beats now.
func TestDemoRunHeaderAgreesWithFiles(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range DemoRuns() {
		_, body := gql(t, s, `query($e: String, $p: String, $r: String!) { project(name: $p, entityName: $e) {
			run(name: $r) { state createdAt heartbeatAt updatedAt summaryMetrics } } }`,
			map[string]any{"e": r.Entity, "p": r.Project, "r": r.ID})
		run, _ := dig(decode(t, body), "data", "project", "run").(map[string]any)
		if run == nil {
			t.Fatalf("%s: %s", r.Ref(), body)
		}
		var got, want map[string]any
		if err := json.Unmarshal([]byte(run["summaryMetrics"].(string)), &got); err != nil {
			t.Fatalf("%s: summaryMetrics: %v", r.Ref(), err)
		}
		file := "{}"
		for _, f := range r.Files {
			if f.Name == "wandb-summary.json" {
				file = string(f.Content)
			}
		}
		if err := json.Unmarshal([]byte(file), &want); err != nil {
			t.Fatalf("%s: wandb-summary.json: %v", r.Ref(), err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: summaryMetrics %v, wandb-summary.json %v", r.Ref(), got, want)
		}
		created, _ := time.Parse(time.RFC3339, run["createdAt"].(string))
		beat, _ := time.Parse(time.RFC3339, run["heartbeatAt"].(string))
		if beat.Before(created) || run["updatedAt"] != run["heartbeatAt"] {
			t.Errorf("%s: created %v, heartbeat %v, updated %v", r.Ref(), run["createdAt"], run["heartbeatAt"], run["updatedAt"])
		}
		runtime, hasRuntime := want["_runtime"].(float64)
		switch lived := beat.Sub(created); {
		case r.State == "running":
			if since := time.Since(beat); since < 0 || since > 5*time.Minute {
				t.Errorf("%s is running but beat %v ago", r.Ref(), since)
			}
		case hasRuntime && lived != time.Duration(runtime)*time.Second:
			t.Errorf("%s ran %v but beat %v after it was created", r.Ref(), time.Duration(runtime)*time.Second, lived)
		case !hasRuntime && lived > 24*time.Hour:
			t.Errorf("%s beat %v after it was created", r.Ref(), lived)
		}
	}
}

// TestDemoLogEndsWithTheRun: the last timestamped line of an ended demo
// run's output.log is within seconds of its last heartbeat (createdAt plus
// the summary's _runtime).
func TestDemoLogEndsWithTheRun(t *testing.T) {
	for _, r := range DemoRuns() {
		var log, summary string
		for _, f := range r.Files {
			switch f.Name {
			case "output.log":
				log = string(f.Content)
			case "wandb-summary.json":
				summary = string(f.Content)
			}
		}
		if log == "" || r.State == "running" {
			continue
		}
		var last time.Time
		for _, line := range strings.Split(log, "\n") {
			if len(line) >= 19 {
				if at, err := time.Parse("2006-01-02 15:04:05", line[:19]); err == nil {
					last = at
				}
			}
		}
		var s struct {
			Runtime float64 `json:"_runtime"`
		}
		if err := json.Unmarshal([]byte(summary), &s); err != nil {
			t.Fatalf("%s: %v", r.Ref(), err)
		}
		end := r.CreatedAt.Add(time.Duration(s.Runtime) * time.Second)
		if d := last.Sub(end); d < -2*time.Second || d > 2*time.Second {
			t.Errorf("%s: the log ends at %v, the run at %v", r.Ref(), last, end)
		}
	}
}
