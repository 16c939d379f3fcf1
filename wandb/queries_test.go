package wandb

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// sharedSchema loads ../shared/wandb/schema.graphql beside the repository.
func sharedSchema(t testing.TB) *ast.Schema {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory: cannot find ../shared/wandb/schema.graphql")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "wandb", "schema.graphql")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("the W&B schema subset must be at %s (beside the repository): %v", p, err)
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: p, Input: string(b)})
	if err != nil {
		t.Fatalf("parsing %s: %v", p, err)
	}
	return s
}

// TestQueriesValidate checks every operation the client sends against the
// shared schema, and that its name matches its key in Queries.
func TestQueriesValidate(t *testing.T) {
	schema := sharedSchema(t)
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
	schema := sharedSchema(t)
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
