// Package sharedschema finds and loads ../shared/wandb/schema.graphql, the
// restatement of the W&B schema that lies beside the repository, for the
// tests that check queries and the test server against it. It is never
// copied into the repository: a missing file fails the test.
package sharedschema

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Path returns the path of ../shared/wandb/schema.graphql from the folder
// holding go.mod above the working directory; it fails t when the file
// is not there.
func Path(t testing.TB) string {
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
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the W&B schema subset must be at %s (beside the repository): %v", p, err)
	}
	return p
}

// Load parses the shared schema.
func Load(t testing.TB) *ast.Schema {
	t.Helper()
	p := Path(t)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: p, Input: string(b)})
	if err != nil {
		t.Fatalf("parsing %s: %v", p, err)
	}
	return s
}
