package wandb

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestQueriesValidate checks every operation the client sends against the
// test server's SDL (itself checked against the W&B schema by wandbtest's
// tests), and that its name matches its key in Queries.
func TestQueriesValidate(t *testing.T) {
	schema := wandbtest.Schema()
	qs := Queries()
	if len(qs) < 3 {
		t.Fatalf("Queries() has %d operations, want at least RunInfo, GetRunFiles and Viewer", len(qs))
	}
	for name, q := range qs {
		doc, errs := gqlparser.LoadQueryWithRules(schema, q, nil)
		if len(errs) > 0 {
			t.Errorf("%s does not validate: %v", name, errs)
			continue
		}
		if len(doc.Operations) != 1 || doc.Operations[0].Name != name {
			t.Errorf("%s: want exactly one operation named %s", name, name)
		}
	}
}

// TestQueryVariables checks that the variables the client sends for each
// operation have the declared types, and that none is undeclared.
func TestQueryVariables(t *testing.T) {
	schema := wandbtest.Schema()
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "run1"}
	cases := []struct {
		op   string
		vars map[string]any
	}{
		{opRunInfo, runVars(ref)},
		{opViewer, nil},
		{opRunFiles, filesVars(ref, FilesQuery{First: DefaultPageSize})},
		{opRunFiles, filesVars(ref, FilesQuery{First: 1, After: "Y3Vyc29y"})},
		{opRunFiles, filesVars(ref, FilesQuery{First: MaxPageSize, Names: []string{"a.txt", "b/c.json"}})},
		{opRunFiles, filesVars(ref, FilesQuery{First: 7, After: "x", Pattern: `%.json`})},
		{opRunWithFiles, filesVars(ref, FilesQuery{First: DefaultPageSize})},
		{opRunWithFiles, filesVars(ref, FilesQuery{First: 3, Names: []string{"a.txt"}})},
		{opRunWithFiles, filesVars(ref, FilesQuery{First: 9, Pattern: `%.json`})},
		{opViewerEntities, pageVars(map[string]any{}, teamsPageSize, "")},
		{opViewerEntities, pageVars(map[string]any{}, teamsPageSize, "Y3Vyc29y")},
		{opProjects, map[string]any{"entity": "ent", "perPage": 50, "cursor": "x"}},
		{opRuns, runsVars("ent", "proj", RunsQuery{First: 50, Filters: "{}"})},
		{opRuns, runsVars("ent", "proj", RunsQuery{First: 7, After: "x", Filters: `{"state":"running"}`, Order: "+display_name"})},
		{opRunDetail, filesVars(ref, FilesQuery{First: 1, Names: []string{MetadataFile}})},
	}
	for _, tc := range cases {
		doc, errs := gqlparser.LoadQueryWithRules(schema, Queries()[tc.op], nil)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tc.op, errs)
		}
		op := doc.Operations[0]
		// Check what goes over the wire: the JSON form, numbers as
		// json.Number as a server decodes them.
		raw, err := json.Marshal(tc.vars)
		if err != nil {
			t.Fatal(err)
		}
		var sent map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&sent); err != nil {
			t.Fatal(err)
		}
		if _, err := validator.VariableValues(schema, op, sent); err != nil {
			t.Errorf("%s variables %s: %v", tc.op, raw, err)
		}
		for name := range sent {
			if op.VariableDefinitions.ForName(name) == nil {
				t.Errorf("%s sends the undeclared variable $%s", tc.op, name)
			}
		}
	}
}

// TestFilesVarsOmitEmpty checks the SDK's convention: an empty names list
// means all files, so names and pattern are sent only when given.
func TestFilesVarsOmitEmpty(t *testing.T) {
	v := filesVars(RunRef{Entity: "e", Project: "p", RunID: "r"}, FilesQuery{First: 50, Names: []string{}})
	for _, k := range []string{"fileNames", "pattern", "cursor"} {
		if _, ok := v[k]; ok {
			t.Errorf("filesVars sends %s when it is empty: %v", k, v)
		}
	}
	if v["perPage"] != 50 || v["entity"] != "e" || v["project"] != "p" || v["name"] != "r" {
		t.Errorf("filesVars = %v", v)
	}
}
