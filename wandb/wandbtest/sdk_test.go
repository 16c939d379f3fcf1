package wandbtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// The W&B SDK's queries for api.run(), api.viewer and api.project(),
// selecting the fields its fragments select (wandb/apis/public/runs.py,
// tools/graphql_codegen/api/{runs,users,projects}.graphql).
const (
	sdkRunQuery = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) { run(name: $name) { projectId ...RunFragment } } }
fragment RunFragment on Run {
  __typename id tags name displayName sweepName state config group jobType commit readOnly
  createdAt heartbeatAt description notes systemMetrics summaryMetrics historyLineCount
  user { name username } historyKeys }`
	sdkViewerQuery = `query GetViewer { viewer { ...FullUserFragment } }
fragment ApiKeyFragment on ApiKey { id name description }
fragment FullUserFragment on User {
  id name username email admin flags entity deletedAt
  apiKeys { edges { node { ...ApiKeyFragment } } }
  teams { edges { node { name } } } }`
	sdkProjectQuery = `query GetProject($project: String!, $entity: String!) {
  project(name: $project, entityName: $entity) { ...ProjectFragment user { id name username email admin } entity { id name } } }
fragment ProjectFragment on Project { id name entityName createdAt isBenchmark }`
)

// sdkGQL runs query and returns data, failing on any error.
func sdkGQL(t *testing.T, s *Server, query string, vars map[string]any) map[string]any {
	t.Helper()
	st, body := gql(t, s, query, vars)
	m := decode(t, body)
	if st != http.StatusOK || m["errors"] != nil {
		t.Fatalf("status %d: %s", st, body)
	}
	return m["data"].(map[string]any)
}

// jsonObject parses a JSONString value into an object.
func jsonObject(t *testing.T, what string, v any) map[string]any {
	t.Helper()
	s, ok := v.(string)
	var m map[string]any
	if !ok || json.Unmarshal([]byte(s), &m) != nil {
		t.Fatalf("%s = %#v, want a JSON object in a string", what, v)
	}
	return m
}

// TestSDKRunQuery: api.run() on every demo run executes, with the types
// the schema gives.
func TestSDKRunQuery(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range DemoRuns() {
		data := sdkGQL(t, s, sdkRunQuery, map[string]any{"project": r.Project, "entity": r.Entity, "name": r.ID})
		run, _ := dig(data, "project", "run").(map[string]any)
		if run == nil || run["__typename"] != "Run" || run["name"] != r.ID {
			t.Fatalf("%s: %v", r.Ref(), data)
		}
		jsonObject(t, r.Ref()+" config", run["config"])
		jsonObject(t, r.Ref()+" summaryMetrics", run["summaryMetrics"])
		jsonObject(t, r.Ref()+" systemMetrics", run["systemMetrics"])
		if n, ok := run["historyLineCount"].(float64); !ok || n < 0 {
			t.Errorf("%s: historyLineCount = %#v", r.Ref(), run["historyLineCount"])
		}
		if hk, ok := run["historyKeys"].(map[string]any); !ok {
			t.Errorf("%s: historyKeys = %#v, want a JSON object", r.Ref(), run["historyKeys"])
		} else if _, ok := hk["keys"].(map[string]any); !ok {
			t.Errorf("%s: historyKeys.keys = %#v, want an object", r.Ref(), hk["keys"])
		}
		user := r.User
		if user == "" {
			user = r.Entity
		}
		if u, _ := run["user"].(map[string]any); u == nil || u["username"] != user {
			t.Errorf("%s: user = %v", r.Ref(), run["user"])
		}
	}
}

// TestSDKViewerQuery: api.viewer executes, with an API key that is not the
// key itself (the server never sends the key).
func TestSDKViewerQuery(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, _ := sdkGQL(t, s, sdkViewerQuery, nil)["viewer"].(map[string]any)
	if v == nil || v["admin"] != false || v["deletedAt"] != nil || v["entity"] != DemoEntity {
		t.Fatalf("viewer = %v", v)
	}
	keys := asList(dig(v, "apiKeys", "edges"))
	if len(keys) != 1 {
		t.Fatalf("apiKeys = %v, want one key", v["apiKeys"])
	}
	k, _ := keys[0].(map[string]any)["node"].(map[string]any)
	if k == nil || k["id"] == "" || k["name"] == "" || k["name"] == DemoAPIKey {
		t.Errorf("api key = %v", k)
	}
	if len(asList(dig(v, "teams", "edges"))) == 0 {
		t.Errorf("teams = %v", v["teams"])
	}
}

// TestSDKProjectQuery: api.project() executes, with its owner and entity.
func TestSDKProjectQuery(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, _ := sdkGQL(t, s, sdkProjectQuery, map[string]any{"project": DemoProject, "entity": DemoEntity})["project"].(map[string]any)
	if p == nil || p["isBenchmark"] != false || p["name"] != DemoProject || p["entityName"] != DemoEntity {
		t.Fatalf("project = %v", p)
	}
	if u, _ := p["user"].(map[string]any); u == nil || u["username"] != DemoEntity || u["admin"] != false {
		t.Errorf("user = %v", p["user"])
	}
	if e, _ := p["entity"].(map[string]any); e == nil || e["name"] != DemoEntity {
		t.Errorf("entity = %v", p["entity"])
	}
}

// TestSDKProjectsQuery: api.projects() lists the viewer's projects with
// models; projects orders them; serverInfo answers the SDK's feature
// check with the artifact features served.
func TestSDKProjectsQuery(t *testing.T) {
	s := startTest(t,
		RunSpec{Entity: "demo-user", Project: "b", ID: "r1", CreatedAt: demoEpoch},
		RunSpec{Entity: "demo-user", Project: "a", ID: "r1", CreatedAt: demoEpoch.Add(time.Hour)},
		RunSpec{Entity: "demo-user", Project: "c", ID: "r1", CreatedAt: demoEpoch.Add(-time.Hour)},
		RunSpec{Entity: "other", Project: "x", ID: "r1"})
	const q = `query GetProjects($entity: String, $cursor: String, $perPage: Int = 50) {
  models(entityName: $entity, after: $cursor, first: $perPage) {
    edges { node { id name entityName createdAt isBenchmark } } pageInfo { endCursor hasNextPage } } }`
	var names []string
	vars := map[string]any{"perPage": 2}
	for {
		m := sdkGQL(t, s, q, vars)["models"]
		for _, e := range asList(dig(m, "edges")) {
			names = append(names, dig(e, "node", "name").(string))
		}
		if dig(m, "pageInfo", "hasNextPage") != true {
			break
		}
		vars["cursor"] = dig(m, "pageInfo", "endCursor")
	}
	if !slices.Equal(names, []string{"a", "b", "c"}) {
		t.Errorf("models: %v", names)
	}
	data := sdkGQL(t, s, `{ projects(entityName: "demo-user", order: "-created_at") { edges { node { name } } }
		serverInfo { features { name isEnabled } cliVersionInfo latestLocalVersionInfo { outOfDate } } }`, nil)
	var byAge []string
	for _, e := range asList(dig(data, "projects", "edges")) {
		byAge = append(byAge, dig(e, "node", "name").(string))
	}
	if !slices.Equal(byAge, []string{"a", "b", "c"}) {
		t.Errorf("projects by -created_at: %v", byAge)
	}
	var features []string
	for _, f := range asList(dig(data, "serverInfo", "features")) {
		if dig(f, "isEnabled") == true {
			features = append(features, dig(f, "name").(string))
		}
	}
	if !slices.Contains(features, "ARTIFACT_COLLECTION_MEMBERSHIP_FILES") || !slices.Contains(features, "TOTAL_COUNT_IN_FILE_CONNECTION") {
		t.Errorf("serverInfo: %v", data["serverInfo"])
	}
}
