package wandbtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// gql posts a GraphQL request with the server's key and returns the status
// and the raw body.
func gql(t testing.TB, s *Server, query string, vars map[string]any) (int, string) {
	t.Helper()
	return gqlKey(t, s, s.APIKey(), query, vars, "")
}

// gqlKey is gql with an explicit key ("" sends no auth) and operation name.
func gqlKey(t testing.TB, s *Server, key, query string, vars map[string]any, op string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars, "operationName": op})
	req, err := http.NewRequest("POST", s.URL()+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.SetBasicAuth("api", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// decode parses a JSON body.
func decode(t testing.TB, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("bad JSON %q: %v", body, err)
	}
	return m
}

// startTest starts a server with the given runs and closes it at the end.
func startTest(t testing.TB, runs ...RunSpec) *Server {
	t.Helper()
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	for _, r := range runs {
		s.AddRun(r)
	}
	return s
}
