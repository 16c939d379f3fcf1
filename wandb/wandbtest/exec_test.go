package wandbtest

import (
	"errors"
	"testing"

	"github.com/vektah/gqlparser/v2"
)

// brokenRoot is a Query root whose project fails in every field.
type brokenRoot struct{}

func (brokenRoot) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	if name == "project" {
		return vObject(brokenProject{}), nil
	}
	return vObject(&userObj{name: "u"}), nil
}

type brokenProject struct{}

func (brokenProject) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	return null, errors.New("broken " + name)
}

// TestExecNullPropagates: an error in a non-null field (Project.name)
// nulls the nearest nullable parent (Query.project) and is reported once,
// with its path; the rest of the data stays.
func TestExecNullPropagates(t *testing.T) {
	doc, errs := gqlparser.LoadQueryWithRules(schema, `{ viewer { username } project(name: "p") { name runCount } }`, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ec := &execCtx{s: New(Options{}), doc: doc}
	root := schema.Types["Query"]
	if err := ec.execObject(brokenRoot{}, root, ec.planFor(root, doc.Operations[0].SelectionSet)); err != nil {
		t.Fatal(err)
	}
	want := `{"viewer":{"username":"u"},"project":null}`
	if got := string(ec.buf); got != want || len(ec.errs) != 1 || ec.errs[0].msg != "broken name" || len(ec.errs[0].path) != 2 {
		t.Fatalf("got %s, errors %+v; want %s and one error at project.name", got, ec.errs, want)
	}
}
