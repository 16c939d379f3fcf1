package wandbtest

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
)

// The filters and orders a run picker sends (SOURCE.md: MongoDB-style
// filters as the JSONString filters of runs and runCount, orders as a
// signed key), one test per operator, on pickerRuns, every query checked
// against the server's SDL first.

// checkQuery fails unless q validates against Schema().
func checkQuery(t *testing.T, q string) {
	t.Helper()
	if _, err := gqlparser.LoadQueryWithRules(Schema(), q, nil); err != nil {
		t.Fatalf("query does not validate against Schema(): %v", err)
	}
}

// listRuns lists entity/project's runs with the SDK's query (sdkRunsQuery),
// perPage at a time, and returns their ids and the runCount.
func listRuns(t *testing.T, s *Server, entity, project, filters, order string, perPage int) ([]string, float64) {
	t.Helper()
	vars := map[string]any{"project": project, "entity": entity, "filters": filters, "order": order, "perPage": perPage}
	var ids []string
	var count float64
	for pages := 0; ; pages++ {
		p := sdkGQL(t, s, sdkRunsQuery, vars)["project"].(map[string]any)
		count = p["runCount"].(float64)
		if total := dig(p, "runs", "totalCount"); total != count {
			t.Errorf("totalCount %v, runCount %v", total, count)
		}
		for _, e := range asList(dig(p, "runs", "edges")) {
			ids = append(ids, dig(e, "node", "name").(string))
		}
		if dig(p, "runs", "pageInfo", "hasNextPage") != true || pages > 200 {
			return ids, count
		}
		vars["cursor"] = dig(p, "runs", "pageInfo", "endCursor")
	}
}

// pickerDay is midnight UTC of a day of 2026.
func pickerDay(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 0, 0, 0, 0, time.UTC)
}

// pickerRuns are five runs with what a picker searches on: names with
// capitals, spaces, a slash and accents; users; tags; each ended state and
// a running one; and known creation and heartbeat times.
func pickerRuns() []RunSpec {
	run := func(id, name, user, state string, created time.Time, runtime int, tags ...string) RunSpec {
		return RunSpec{Entity: "ent", Project: "pick", ID: id, DisplayName: name, User: user, State: state,
			CreatedAt: created, Tags: tags, SummaryMetrics: `{"_runtime": ` + strconv.Itoa(runtime) + `}`}
	}
	return []RunSpec{
		run("aaaa0001", "Brisk-Sun-1", "alice", "finished", pickerDay(5, 1).Add(10*time.Hour), 3600, "baseline"),
		run("bbbb0002", "calm river 2", "bob", "crashed", pickerDay(6, 15), 600, "ablation", "mixup"),
		run("cccc0003", "résumé baseline", "demo-user", "failed", pickerDay(7, 1), 60, "sweep-k3v8"),
		run("dddd0004", "ViT-B/16 BASELINE", "alice", "running", pickerDay(8, 10), 0, "baseline", "vit-b"),
		run("eeee0005", "zesty-wave-5", "dana", "killed", pickerDay(8, 12), 7200),
	}
}

// jsonString quotes s for a JSON document.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// filterCase is a filters document and the runs it keeps, in order.
type filterCase struct {
	filters, order string
	want           []string
}

// checkFilters lists pickerRuns with each case, whole and two at a time,
// and checks the ids, their order and runCount.
func checkFilters(t *testing.T, cases []filterCase) {
	t.Helper()
	checkQuery(t, sdkRunsQuery)
	s := startTest(t, pickerRuns()...)
	for _, tc := range cases {
		for _, perPage := range []int{50, 2} {
			ids, count := listRuns(t, s, "ent", "pick", tc.filters, tc.order, perPage)
			if !slices.Equal(ids, tc.want) || int(count) != len(tc.want) {
				t.Errorf("filters %s order %q, %d per page: %v (runCount %v), want %v",
					tc.filters, tc.order, perPage, ids, count, tc.want)
			}
		}
	}
}

// TestRunsFilterRegex: $regex is RE2 on displayName (display_name) and
// name (the id), case-sensitive unless the pattern says (?i) (SOURCE.md:
// RE2 per the SDK; case folding on the real server is not confirmed, so a
// picker sends (?i) and regexp.QuoteMeta of what was typed).
func TestRunsFilterRegex(t *testing.T) {
	checkFilters(t, []filterCase{
		{`{"displayName": {"$regex": "baseline"}}`, "", []string{"cccc0003"}},
		{`{"displayName": {"$regex": "(?i)baseline"}}`, "", []string{"cccc0003", "dddd0004"}},
		{`{"display_name": {"$regex": "(?i)^b"}}`, "", []string{"aaaa0001"}},
		{`{"displayName": {"$regex": "(?i)RÉSUMÉ"}}`, "", []string{"cccc0003"}},
		{`{"displayName": {"$regex": ` + jsonString("(?i)"+regexp.QuoteMeta("vit-b/16 base")) + `}}`, "", []string{"dddd0004"}},
		{`{"displayName": {"$regex": ` + jsonString(regexp.QuoteMeta("river 2")) + `}}`, "", []string{"bbbb0002"}},
		{`{"displayName": {"$regex": ` + jsonString("(?i)"+regexp.QuoteMeta(".*")) + `}}`, "", nil},
		{`{"name": {"$regex": "^c"}}`, "", []string{"cccc0003"}},
		{`{"name": {"$regex": "(?i)^C"}}`, "", []string{"cccc0003"}},
		{`{"name": {"$regex": "^C"}}`, "", nil},
		// A picker's search box: the text in the name or the id.
		{`{"$or": [{"displayName": {"$regex": "(?i)0002"}}, {"name": {"$regex": "(?i)0002"}}]}`, "", []string{"bbbb0002"}},
		{`{"$or": [{"displayName": {"$regex": "(?i)wave"}}, {"name": {"$regex": "(?i)wave"}}]}`, "", []string{"eeee0005"}},
	})
}

// TestRunsFilterIn: $in and $nin on tags (an array: a run matches when a
// tag does) and on state.
func TestRunsFilterIn(t *testing.T) {
	checkFilters(t, []filterCase{
		{`{"tags": {"$in": ["baseline"]}}`, "", []string{"aaaa0001", "dddd0004"}},
		{`{"tags": {"$in": ["mixup", "sweep-k3v8", "nope"]}}`, "", []string{"bbbb0002", "cccc0003"}},
		{`{"tags": {"$in": []}}`, "", nil},
		{`{"tags": {"$nin": ["baseline"]}}`, "", []string{"bbbb0002", "cccc0003", "eeee0005"}},
		{`{"tags": "baseline"}`, "", []string{"aaaa0001", "dddd0004"}},
		{`{"state": {"$in": ["crashed", "failed", "killed"]}}`, "", []string{"bbbb0002", "cccc0003", "eeee0005"}},
		{`{"username": {"$in": ["alice", "dana"]}}`, "", []string{"aaaa0001", "dddd0004", "eeee0005"}},
		{`{"name": {"$in": ["cccc0003", "aaaa0001"]}}`, "", []string{"aaaa0001", "cccc0003"}},
		// The id is "name": an unknown key such as "id" matches nothing
		// and is no error, as on W&B (wandb/wandb#5122).
		{`{"id": {"$in": ["cccc0003"]}}`, "", nil},
	})
}

// TestRunsFilterAndOr: $and and $or, nested, beside plain keys.
func TestRunsFilterAndOr(t *testing.T) {
	checkFilters(t, []filterCase{
		{`{"$and": [{"tags": {"$in": ["baseline"]}}, {"username": "alice"}]}`, "", []string{"aaaa0001", "dddd0004"}},
		{`{"$and": [{"tags": {"$in": ["baseline"]}}, {"state": "running"}]}`, "", []string{"dddd0004"}},
		{`{"$or": [{"state": "crashed"}, {"username": "dana"}]}`, "", []string{"bbbb0002", "eeee0005"}},
		{`{"$and": [{"$or": [{"state": "finished"}, {"state": "failed"}]}, {"$or": [{"username": "alice"}, {"tags": "sweep-k3v8"}]}]}`,
			"", []string{"aaaa0001", "cccc0003"}},
		{`{"$or": [{"displayName": {"$regex": "(?i)baseline"}}], "username": "alice"}`, "", []string{"dddd0004"}},
		{`{"$and": [{"state": "finished"}, {"state": "crashed"}]}`, "", nil},
	})
}

// TestRunsFilterDates: $gt $gte $lt $lte on createdAt (created_at) and
// heartbeatAt (heartbeat_at), with times in RFC 3339, without a zone (as
// W&B writes them, UTC) or as a bare date. An ended run beat last at
// createdAt plus its _runtime; a running run beats now.
func TestRunsFilterDates(t *testing.T) {
	checkFilters(t, []filterCase{
		{`{"createdAt": {"$gt": "2026-06-15T00:00:00"}}`, "", []string{"cccc0003", "dddd0004", "eeee0005"}},
		{`{"createdAt": {"$gte": "2026-06-15T00:00:00"}}`, "", []string{"bbbb0002", "cccc0003", "dddd0004", "eeee0005"}},
		{`{"createdAt": {"$lt": "2026-06-15T00:00:00Z"}}`, "", []string{"aaaa0001"}},
		{`{"created_at": {"$lte": "2026-06-15T00:00:00Z"}}`, "", []string{"aaaa0001", "bbbb0002"}},
		{`{"createdAt": {"$gte": "2026-06-01", "$lt": "2026-08-11T00:00:00"}}`, "", []string{"bbbb0002", "cccc0003", "dddd0004"}},
		{`{"createdAt": {"$gt": "2026-05-01T12:00:00+02:00"}}`, "", []string{"bbbb0002", "cccc0003", "dddd0004", "eeee0005"}},
		{`{"heartbeatAt": {"$gt": "2026-08-12T01:59:59"}}`, "", []string{"dddd0004", "eeee0005"}},
		{`{"heartbeatAt": {"$gte": "2026-05-01T11:00:00"}, "createdAt": {"$lte": "2026-05-01T10:00:00"}}`, "", []string{"aaaa0001"}},
		{`{"heartbeat_at": {"$lt": "2026-05-01T11:00:00"}}`, "", nil},
		{`{"heartbeatAt": {"$lte": "2026-06-15T00:10:00"}}`, "", []string{"aaaa0001", "bbbb0002"}},
		{`{"$and": [{"heartbeatAt": {"$gte": "2026-07-01"}}, {"heartbeatAt": {"$lt": "2026-08-13"}}]}`, "", []string{"cccc0003", "eeee0005"}},
	})
}

// TestRunsFilterEquality: state and username, plain (an implicit $eq),
// with $eq and with $ne. username is the run's user, not its entity.
func TestRunsFilterEquality(t *testing.T) {
	checkFilters(t, []filterCase{
		{`{"state": "finished"}`, "", []string{"aaaa0001"}},
		{`{"state": {"$eq": "running"}}`, "", []string{"dddd0004"}},
		{`{"state": {"$ne": "running"}}`, "", []string{"aaaa0001", "bbbb0002", "cccc0003", "eeee0005"}},
		{`{"state": "Finished"}`, "", nil},
		{`{"username": "alice"}`, "", []string{"aaaa0001", "dddd0004"}},
		{`{"username": {"$ne": "alice"}}`, "", []string{"bbbb0002", "cccc0003", "eeee0005"}},
		{`{"username": "demo-user", "state": "failed"}`, "", []string{"cccc0003"}},
		{`{"username": "ent"}`, "", nil},
	})
}

// TestRunsOrder: the orders a picker offers, both spellings, both signs;
// no sign is ascending, no order is +created_at (the SDK's default).
// displayName orders by bytes (capitals first): whether W&B folds case
// there is not confirmed.
func TestRunsOrder(t *testing.T) {
	byCreation := []string{"aaaa0001", "bbbb0002", "cccc0003", "dddd0004", "eeee0005"}
	newest := slices.Clone(byCreation)
	slices.Reverse(newest)
	byBeat := []string{"aaaa0001", "bbbb0002", "cccc0003", "eeee0005", "dddd0004"}
	latestBeat := slices.Clone(byBeat)
	slices.Reverse(latestBeat)
	byName := []string{"aaaa0001", "dddd0004", "bbbb0002", "cccc0003", "eeee0005"}
	byNameDesc := slices.Clone(byName)
	slices.Reverse(byNameDesc)
	checkFilters(t, []filterCase{
		{"{}", "", byCreation},
		{"{}", "+created_at", byCreation},
		{"{}", "+createdAt", byCreation},
		{"{}", "createdAt", byCreation},
		{"{}", "-created_at", newest},
		{"{}", "-createdAt", newest},
		{"{}", "+heartbeat_at", byBeat},
		{"{}", "-heartbeatAt", latestBeat},
		{"{}", "-heartbeat_at", latestBeat},
		{"{}", "+displayName", byName},
		{"{}", "+display_name", byName},
		{"{}", "-displayName", byNameDesc},
		{`{"tags": {"$in": ["baseline"]}}`, "-createdAt", []string{"dddd0004", "aaaa0001"}},
		{`{"username": "alice"}`, "-heartbeatAt", []string{"dddd0004", "aaaa0001"}},
	})
}

// TestCheckQueryValidates: checkQuery's validation is real: an unknown
// field, an unknown argument and a wrong argument type do not pass.
func TestCheckQueryValidates(t *testing.T) {
	for _, q := range []string{
		`{ project(name: "p") { nope } }`,
		`{ project(name: "p") { runs(username: "alice") { totalCount } } }`,
		`{ project(name: "p") { runs(first: "ten") { totalCount } } }`,
	} {
		if _, err := gqlparser.LoadQueryWithRules(Schema(), q, nil); err == nil {
			t.Errorf("%s validates", q)
		}
	}
}
