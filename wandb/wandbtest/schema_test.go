package wandbtest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// sharedSchemaPath is ../shared/wandb/schema.graphql beside the repository,
// from this package's folder (where go test runs): the restatement of the
// W&B schema the SDL must be a subset of. It is not part of the repository.
const sharedSchemaPath = "../../../shared/wandb/schema.graphql"

// loadSharedSchema parses the shared schema at p. A missing file is a
// reason to skip, unless ci: CI must run the check, so there it is an
// error.
func loadSharedSchema(p string, ci bool) (s *ast.Schema, skip string, err error) {
	abs, _ := filepath.Abs(p)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) && !ci {
		return nil, abs + " is not there (it lies beside the repository in CI): the SDL is not checked against the W&B schema; CI=true makes this check required", nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", errors.New(abs + " is missing, and CI=true requires it: CI checks the server's SDL against the W&B schema beside the repository")
	}
	if err != nil {
		return nil, "", err
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: abs, Input: string(b)})
	if gerr != nil {
		return nil, "", errors.New(gerr.Error() + " (parsing " + abs + ")")
	}
	return s, "", nil
}

// inCI reports whether the environment says it is CI (CI=true).
func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// TestLoadSharedSchemaMissing: without the shared schema the subset check
// is skipped with a reason, except in CI, where it fails.
func TestLoadSharedSchemaMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "schema.graphql")
	if s, skip, err := loadSharedSchema(missing, false); s != nil || err != nil || skip == "" {
		t.Errorf("outside CI: schema %v, skip %q, err %v; want a skip reason", s, skip, err)
	}
	if s, skip, err := loadSharedSchema(missing, true); s != nil || skip != "" || err == nil {
		t.Errorf("in CI: schema %v, skip %q, err %v; want an error", s, skip, err)
	}
}

// TestSDLIsSubsetOfSharedSchema checks that every type, field, argument and
// interface the server declares exists with the same type in the shared
// W&B schema, so the server cannot accept a query the real API would
// reject.
func TestSDLIsSubsetOfSharedSchema(t *testing.T) {
	shared, skip, err := loadSharedSchema(sharedSchemaPath, inCI())
	if err != nil {
		t.Fatal(err)
	}
	if skip != "" {
		t.Skip(skip)
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
