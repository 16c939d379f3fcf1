package wandbtest

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// tinyRun is a small run for the GraphQL tests.
func tinyRun() RunSpec {
	return RunSpec{
		Entity: "ent", Project: "proj", ID: "run1", DisplayName: "tiny-run-1", State: "finished",
		Tags: []string{"a", "b"}, Config: `{"lr": {"value": 0.1}, "bs": {"value": 8}}`,
		Files: []FileSpec{
			{Name: "b.txt", Content: []byte("bee\n")},
			{Name: "a.txt", Content: []byte("ay\n")},
			{Name: "dir/c.bin", Size: 1000},
		},
	}
}

func TestGraphQLResponses(t *testing.T) {
	s := startTest(t, tinyRun())
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		op    string
		want  string
	}{
		{
			name:  "only the selected fields, in selection order",
			query: `{ project(name: "proj", entityName: "ent") { run(name: "run1") { state name } } }`,
			want:  `{"data":{"project":{"run":{"state":"finished","name":"run1"}}}}`,
		},
		{
			name:  "aliases and __typename",
			query: `{ p: project(name: "proj", entityName: "ent") { __typename r: run(name: "run1") { t: __typename n: name again: name } } }`,
			want:  `{"data":{"p":{"__typename":"Project","r":{"t":"Run","n":"run1","again":"run1"}}}}`,
		},
		{
			name: "named and inline fragments, on an interface too",
			query: `query { project(name: "proj", entityName: "ent") { run(name: "run1") { ...R ... on Node { id } } } }
				fragment R on Run { displayName ... on Run { state } }`,
			want: `{"data":{"project":{"run":{"displayName":"tiny-run-1","state":"finished","id":"UnVuOnYxOnJ1bjE6cHJvajplbnQ="}}}}`,
		},
		{
			name: "fields merged across fragments keep the first position",
			query: `{ project(name: "proj", entityName: "ent") { run(name: "run1") {
				files(first: 1) { edges { node { name } } } ...F } } }
				fragment F on Run { files(first: 1) { edges { node { sizeBytes } } } }`,
			want: `{"data":{"project":{"run":{"files":{"edges":[{"node":{"name":"a.txt","sizeBytes":3}}]}}}}}`,
		},
		{
			name:  "variables and defaults",
			query: `query Q($e: String = "ent", $p: String!, $n: Int = 2) { project(name: $p, entityName: $e) { run(name: "run1") { files(first: $n) { edges { node { name } } } } } }`,
			vars:  map[string]any{"p": "proj"},
			want:  `{"data":{"project":{"run":{"files":{"edges":[{"node":{"name":"a.txt"}},{"node":{"name":"b.txt"}}]}}}}}`,
		},
		{
			name:  "operationName picks one of several",
			query: `query A { viewer { username } } query B { project(name: "proj", entityName: "ent") { name entityName } }`,
			op:    "B",
			want:  `{"data":{"project":{"name":"proj","entityName":"ent"}}}`,
		},
		{
			name:  "skip and include",
			query: `query($yes: Boolean!) { project(name: "proj", entityName: "ent") { name @skip(if: $yes) entityName @include(if: $yes) runCount } }`,
			vars:  map[string]any{"yes": true},
			want:  `{"data":{"project":{"entityName":"ent","runCount":1}}}`,
		},
		{
			name:  "unknown project is null",
			query: `{ project(name: "nope", entityName: "ent") { name } }`,
			want:  `{"data":{"project":null}}`,
		},
		{
			name:  "unknown run is null",
			query: `{ project(name: "proj", entityName: "ent") { run(name: "nope") { name } bucket(name: "nope", missingOk: true) { name } } }`,
			want:  `{"data":{"project":{"run":null,"bucket":null}}}`,
		},
		{
			name:  "model is the legacy alias of project, bucket of run",
			query: `{ model(name: "proj", entityName: "ent") { bucket(name: "run1") { name tags } } }`,
			want:  `{"data":{"model":{"bucket":{"name":"run1","tags":["a","b"]}}}}`,
		},
		{
			name:  "config keys",
			query: `{ project(name: "proj", entityName: "ent") { run(name: "run1") { config(keys: ["lr"]) } } }`,
			want:  `{"data":{"project":{"run":{"config":"{\"lr\":{\"value\":0.1}}"}}}}`,
		},
		{
			name:  "viewer",
			query: `{ viewer { username entity teams { edges { node { name } } } } }`,
			want:  `{"data":{"viewer":{"username":"demo-user","entity":"demo-user","teams":{"edges":[{"node":{"name":"demo-user"}},{"node":{"name":"ent"}}]}}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body := gqlKey(t, s, s.APIKey(), tc.query, tc.vars, tc.op)
			if st != http.StatusOK || strings.TrimSpace(body) != tc.want {
				t.Fatalf("got %d %s\nwant 200 %s", st, body, tc.want)
			}
		})
	}
}

func TestGraphQLRequestErrors(t *testing.T) {
	s := startTest(t, tinyRun())
	tests := []struct {
		name, query string
		vars        map[string]any
		op          string
		wantMsg     string
	}{
		{"unknown field", `{ project(name: "proj") { run(name: "run1") { nope } } }`, nil, "", `Cannot query field "nope" on type "Run"`},
		{"field of the real API outside the shared schema", `{ project(name: "proj") { run(name: "run1") { sampledHistory } } }`, nil, "", `Cannot query field "sampledHistory"`},
		{"argument left out of the subset", `{ project(name: "proj") { run(name: "run1") { files(last: 2) { edges { cursor } } } } }`, nil, "", `Unknown argument "last"`},
		{"syntax error", `{ project(name: "proj" { name } }`, nil, "", `Expected`},
		{"missing selection", `{ project(name: "proj") }`, nil, "", `must have a selection of subfields`},
		{"wrong variable type", `query($n: Int) { project(name: "proj") { run(name: "run1") { files(first: $n) { edges { cursor } } } } }`, map[string]any{"n": "ten"}, "", `cannot use string as Int`},
		{"missing required variable", `query($r: String!) { project(name: "proj") { run(name: $r) { name } } }`, nil, "", `must be defined`},
		{"several operations and no name", `query A { viewer { id } } query B { viewer { id } }`, nil, "", `operationName is required`},
		{"unknown operation name", `query A { viewer { id } }`, nil, "Z", `unknown operation`},
		{"mutations are not served", `mutation { x }`, nil, "", ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body := gqlKey(t, s, s.APIKey(), tc.query, tc.vars, tc.op)
			if st != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", st, body)
			}
			m := decode(t, body)
			errs, _ := m["errors"].([]any)
			if len(errs) == 0 || m["data"] != nil {
				t.Fatalf("want errors and no data: %s", body)
			}
			msg, _ := errs[0].(map[string]any)["message"].(string)
			if !strings.Contains(msg, tc.wantMsg) {
				t.Fatalf("message %q does not contain %q", msg, tc.wantMsg)
			}
		})
	}
}

func TestGraphQLAuth(t *testing.T) {
	s := startTest(t, tinyRun())
	for _, key := range []string{"", "wrong-key"} {
		st, body := gqlKey(t, s, key, `{ viewer { id } }`, nil, "")
		if st != http.StatusUnauthorized {
			t.Fatalf("key %q: status %d, want 401", key, st)
		}
		if errs, _ := decode(t, body)["errors"].([]any); len(errs) != 1 {
			t.Fatalf("401 body is not a GraphQL error: %s", body)
		}
	}
	// The user name must be "api".
	req, _ := http.NewRequest("POST", s.URL()+"/graphql", strings.NewReader(`{"query":"{ viewer { id } }"}`))
	req.SetBasicAuth("someone", s.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("user someone: status %d, want 401", resp.StatusCode)
	}
	if got := s.Stats().AuthRejected; got != 3 {
		t.Fatalf("AuthRejected = %d, want 3", got)
	}
	if st, _ := gql(t, s, `{ viewer { id } }`, nil); st != http.StatusOK {
		t.Fatalf("right key: status %d", st)
	}
}

func TestGraphQLBadBody(t *testing.T) {
	s := startTest(t)
	for _, body := range []string{`not json`, `{"query": ""}`, `{"query": 5}`} {
		req, _ := http.NewRequest("POST", s.URL()+"/graphql", strings.NewReader(body))
		req.SetBasicAuth("api", s.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", body, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("GET", s.URL()+"/graphql", nil)
	req.SetBasicAuth("api", s.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
}

// TestGraphQLExecutionErrors: a resolver error nulls its field and is
// reported with its path, next to the data that could be computed.
func TestGraphQLExecutionErrors(t *testing.T) {
	s := startTest(t, tinyRun())
	st, body := gql(t, s, `{ project(name: "proj", entityName: "ent") { run(name: "run1") { name files(first: 1001) { edges { cursor } } } } }`, nil)
	want := `{"data":{"project":{"run":{"name":"run1","files":null}}},"errors":[{"message":"first must be at most 1000, got 1001","path":["project","run","files"]}]}`
	if st != http.StatusOK || strings.TrimSpace(body) != want {
		t.Fatalf("got %d %s\nwant %s", st, body, want)
	}
}

// TestGraphQLValidationErrorsOnce: gqlparser reports an error inside a
// fragment once per place it checks the fragment; the answer has each
// error once, and every distinct one.
func TestGraphQLValidationErrorsOnce(t *testing.T) {
	s := startTest(t, tinyRun())
	const q = `query { project(name: "proj") { run(name: "run1") { ...F } } }
fragment F on Run { name xyzzy plugh }`
	st, body := gql(t, s, q, nil)
	if st != http.StatusBadRequest {
		t.Fatalf("status %d: %s", st, body)
	}
	errs := asList(decode(t, body)["errors"])
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.(map[string]any)["message"].(string))
	}
	want := []string{`Cannot query field "xyzzy" on type "Run".`, `Cannot query field "plugh" on type "Run".`}
	if !slices.Equal(msgs, want) {
		t.Fatalf("errors %q, want %q: %s", msgs, want, body)
	}
}
