package wandbtest

import (
	_ "embed"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// SDL is the GraphQL schema the server answers (schema.graphql).
//
//go:embed schema.graphql
var SDL string

// schema is SDL loaded once; a broken SDL is a programming error.
var schema = func() *ast.Schema {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "wandbtest/schema.graphql", Input: SDL})
	if err != nil {
		panic("wandbtest: bad schema.graphql: " + err.Error())
	}
	return s
}()

// Schema returns the parsed SDL, the schema every request is validated
// against, so a client's tests can validate its queries with it. It is
// shared by every caller: do not modify it.
func Schema() *ast.Schema { return schema }
