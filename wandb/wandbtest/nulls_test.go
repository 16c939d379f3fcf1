package wandbtest

import (
	"net/http"
	"testing"
)

// TestNullsRun: the nulls scenario sends each promised null over GraphQL,
// one per file, and a null fileCount; the demo does not serve it.
func TestNullsRun(t *testing.T) {
	r := NullsRun()
	s := startTest(t, r)
	st, body := gql(t, s, `query($e: String, $p: String, $r: String!) { project(name: $p, entityName: $e) { run(name: $r) {
		fileCount files { edges { node { name url directUrl sizeBytes md5 digest mimetype updatedAt } } } } } }`,
		map[string]any{"e": r.Entity, "p": r.Project, "r": r.ID})
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, body)
	}
	run, _ := dig(decode(t, body), "data", "project", "run").(map[string]any)
	if run == nil || run["fileCount"] != nil {
		t.Fatalf("want a run with a null fileCount: %s", body)
	}
	// nulled maps each file to the fields it must send null ("" for the
	// edge's node, directUrl is empty rather than null).
	nulled := map[string][]string{
		"plain.txt": nil, "nulls/node": {""}, "nulls/url": {"url"}, "nulls/size": {"sizeBytes"},
		"nulls/md5": {"md5", "digest"}, "nulls/mimetype": {"mimetype"}, "nulls/updated": {"updatedAt"},
		"nulls/zdirect": {"directUrl"},
	}
	edges := asList(dig(run, "files", "edges"))
	if len(edges) != len(nulled) || len(r.Files) != len(nulled) {
		t.Fatalf("%d edges, %d files in the spec, want %d", len(edges), len(r.Files), len(nulled))
	}
	nullNodes := 0
	for _, e := range edges {
		node, _ := e.(map[string]any)["node"].(map[string]any)
		if node == nil {
			nullNodes++
			continue
		}
		name := node["name"].(string)
		want := map[string]bool{}
		for _, k := range nulled[name] {
			want[k] = true
		}
		for k, v := range node {
			if isNull := v == nil || v == ""; isNull != want[k] {
				t.Errorf("%s: %s = %v (want null: %v)", name, k, v, want[k])
			}
		}
	}
	if nullNodes != 1 {
		t.Errorf("%d null nodes, want 1", nullNodes)
	}
	demo, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	if demo.run(r.Entity, r.Project, r.ID) != nil {
		t.Errorf("the demo serves %s", r.Ref())
	}
}
