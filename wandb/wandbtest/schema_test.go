package wandbtest

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/wbfiles/wbfiles/internal/sharedschema"
)

// TestSDLIsSubsetOfSharedSchema checks that every type, field, argument and
// interface the server declares exists with the same type in the shared
// W&B schema, so the server cannot accept a query the real API would
// reject.
func TestSDLIsSubsetOfSharedSchema(t *testing.T) {
	b, err := os.ReadFile(sharedschema.Path(t))
	if err != nil {
		t.Fatal(err)
	}
	shared, err := gqlparser.LoadSchema(&ast.Source{Name: "shared/schema.graphql", Input: string(b)})
	if err != nil {
		t.Fatalf("shared schema does not load: %v", err)
	}
	checked := 0
	for name, def := range schema.Types {
		if def.BuiltIn {
			continue
		}
		other := shared.Types[name]
		if other == nil {
			t.Errorf("type %s is not in the shared schema", name)
			continue
		}
		if other.Kind != def.Kind {
			t.Errorf("type %s is %s here but %s in the shared schema", name, def.Kind, other.Kind)
		}
		for _, i := range def.Interfaces {
			found := false
			for _, j := range other.Interfaces {
				found = found || i == j
			}
			if !found {
				t.Errorf("type %s implements %s here but not in the shared schema", name, i)
			}
		}
		for _, f := range def.Fields {
			if f.Name[:2] == "__" {
				continue
			}
			of := other.Fields.ForName(f.Name)
			if of == nil {
				t.Errorf("field %s.%s is not in the shared schema", name, f.Name)
				continue
			}
			if f.Type.String() != of.Type.String() {
				t.Errorf("field %s.%s is %s here but %s in the shared schema", name, f.Name, f.Type, of.Type)
			}
			for _, a := range f.Arguments {
				oa := of.Arguments.ForName(a.Name)
				if oa == nil {
					t.Errorf("argument %s.%s(%s) is not in the shared schema", name, f.Name, a.Name)
					continue
				}
				if a.Type.String() != oa.Type.String() {
					t.Errorf("argument %s.%s(%s) is %s here but %s in the shared schema", name, f.Name, a.Name, a.Type, oa.Type)
				}
			}
			// A query valid here must be valid there: no argument the
			// shared schema requires may be missing here.
			for _, oa := range of.Arguments {
				if oa.Type.NonNull && oa.DefaultValue == nil && f.Arguments.ForName(oa.Name) == nil {
					t.Errorf("argument %s.%s(%s) is required in the shared schema but missing here", name, f.Name, oa.Name)
				}
			}
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d fields checked; is the embedded SDL loaded?", checked)
	}
	// The root types must be the same too.
	if schema.Query == nil || shared.Query == nil || schema.Query.Name != shared.Query.Name {
		t.Errorf("query root differs")
	}
}
