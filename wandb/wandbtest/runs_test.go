package wandbtest

import (
	"slices"
	"testing"
)

// sdkRunsQuery is api.runs()' query in lazy mode: the project's internalId,
// runCount and a page of runs with the light fragment.
const sdkRunsQuery = `query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    internalId runCount(filters: $filters) readOnly
    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
      totalCount edges { node { projectId ...LightweightRunFragment } cursor } pageInfo { endCursor hasNextPage } } } }
fragment LightweightRunFragment on Run {
  id tags name displayName sweepName state group jobType commit readOnly createdAt heartbeatAt
  description notes historyLineCount user { name username } }`

// runIDs lists the demo project's runs with filters and order, paging
// perPage at a time, and returns the ids and the runCount.
func runIDs(t *testing.T, s *Server, filters, order string, perPage int) ([]string, float64) {
	t.Helper()
	return listRuns(t, s, DemoEntity, DemoProject, filters, order, perPage)
}

// TestSDKRunsQuery: api.runs() lists the demo runs with the SDK's filters
// and orders, page by page.
func TestSDKRunsQuery(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The demo runs by creation: empty, crashed, main, sweep, running.
	byCreation := []string{"q1w2e3r4", "c4r5t6y7", "3k9x2p7q", "x7f2m9qa", "r8u9n0n1"}
	for _, tc := range []struct {
		filters, order string
		want           []string
	}{
		{"{}", "+created_at", byCreation},
		{"{}", "-created_at", []string{"r8u9n0n1", "x7f2m9qa", "3k9x2p7q", "c4r5t6y7", "q1w2e3r4"}},
		{`{"state": "finished"}`, "+created_at", []string{"q1w2e3r4", "3k9x2p7q", "x7f2m9qa"}},
		{`{"$or": [{"state": "crashed"}, {"state": {"$eq": "running"}}]}`, "", []string{"c4r5t6y7", "r8u9n0n1"}},
		{`{"tags": {"$in": ["sweep", "nope"]}}`, "", []string{"x7f2m9qa"}},
		{`{"tags": "lora"}`, "", []string{"3k9x2p7q"}},
		{`{"config.lora_r": 16}`, "", []string{"c4r5t6y7", "3k9x2p7q"}},
		{`{"config.lr.value": {"$lt": 0.001}}`, "", []string{"x7f2m9qa"}},
		{`{"display_name": {"$regex": "^(brisk|eager)-"}}`, "", []string{"3k9x2p7q", "r8u9n0n1"}},
		{`{"createdAt": {"$gte": "2026-08-14T00:00:00", "$lt": "2026-08-16T00:00:00"}}`, "", []string{"3k9x2p7q", "x7f2m9qa"}},
		{`{"summary_metrics._step": {"$gt": 1000}}`, "-summary_metrics._step", []string{"3k9x2p7q", "c4r5t6y7", "x7f2m9qa"}},
		{`{"$nor": [{"group": {"$exists": true}}]}`, "", []string{"q1w2e3r4", "c4r5t6y7", "r8u9n0n1"}},
		{`{"$and": [{"state": {"$ne": "finished"}}, {"state": {"$nin": ["running"]}}]}`, "", []string{"c4r5t6y7"}},
		{`{"username": "nobody"}`, "", nil},
	} {
		for _, perPage := range []int{50, 2} {
			ids, count := runIDs(t, s, tc.filters, tc.order, perPage)
			if !slices.Equal(ids, tc.want) || int(count) != len(tc.want) {
				t.Errorf("filters %s order %q per page %d: %v (runCount %v), want %v", tc.filters, tc.order, perPage, ids, count, tc.want)
			}
		}
	}
}

// TestRunsBadFilters: a filter that is not JSON, an unknown operator or a
// bad regexp is an error at the field, not an empty list.
func TestRunsBadFilters(t *testing.T) {
	s := startTest(t, tinyRun())
	for _, f := range []string{`{`, `{"$where": "x"}`, `{"name": {"$regex": "("}}`, `{"name": {"$in": "x"}}`,
		`{"name": "nope", "state": {"$bad": 1}}`, `{"name": {"$eq": "nope", "$bad": 1}}`} {
		_, body := gql(t, s, `query($f: JSONString) { project(name: "proj", entityName: "ent") { runs(filters: $f) { totalCount } } }`, map[string]any{"f": f})
		m := decode(t, body)
		if dig(m, "data", "project", "runs") != nil || len(asList(m["errors"])) != 1 {
			t.Errorf("filters %s: %s", f, body)
		}
	}
}
