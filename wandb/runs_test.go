package wandb

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// teamSpecs returns the demo team's big project's runs by id.
func teamSpecs() map[string]wandbtest.RunSpec {
	out := map[string]wandbtest.RunSpec{}
	for _, r := range wandbtest.DemoRuns() {
		if r.Entity == wandbtest.DemoTeam && r.Project == wandbtest.DemoTeamProject {
			out[r.ID] = r
		}
	}
	return out
}

// userOf is the username of a spec's run.
func userOf(r wandbtest.RunSpec) string { return cmp.Or(r.User, r.Entity) }

// allRuns walks every page of q and returns the runs, failing on an error.
func allRuns(t *testing.T, c *Client, q RunsQuery) []RunInfo {
	t.Helper()
	var runs []RunInfo
	for page, err := range c.RunPages(context.Background(), wandbtest.DemoTeam, wandbtest.DemoTeamProject, q) {
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		runs = append(runs, page.Runs...)
	}
	return runs
}

// TestRunsDemo reads the first page of the team's project: newest first,
// the count in the same request, every header field as the spec has it.
func TestRunsDemo(t *testing.T) {
	srv, c := demoEnv(t)
	specs := teamSpecs()
	page, err := c.Runs(context.Background(), wandbtest.DemoTeam, wandbtest.DemoTeamProject, RunsQuery{})
	if err != nil || len(page.Runs) != DefaultPageSize || page.Total != wandbtest.DemoTeamRuns || !page.HasNextPage || page.EndCursor == "" {
		t.Fatalf("first page: %d runs, total %d, more %v, %v", len(page.Runs), page.Total, page.HasNextPage, err)
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if !slices.IsSortedFunc(page.Runs, func(a, b RunInfo) int { return b.CreatedAt.Compare(a.CreatedAt) }) {
		t.Error("not newest first")
	}
	for _, r := range page.Runs {
		s, ok := specs[r.Ref.RunID]
		if !ok || r.Ref.Entity != wandbtest.DemoTeam || r.Ref.Project != wandbtest.DemoTeamProject {
			t.Fatalf("run %+v is not the project's", r.Ref)
		}
		if r.DisplayName != s.DisplayName || r.State != s.State || !r.CreatedAt.Equal(s.CreatedAt) || r.User != userOf(s) ||
			!slices.Equal(r.Tags, s.Tags) || r.Group != s.Group || r.JobType != s.JobType || r.FileCount != len(s.Files) ||
			r.HeartbeatAt.Before(r.CreatedAt) {
			t.Errorf("run %s:\n got %+v\nspec %+v", r.Ref.RunID, r, s)
		}
	}
}

// TestRunPagesOrders walks all runs in each order of the picker: every
// run once, in the order's sequence, one request per page.
func TestRunPagesOrders(t *testing.T) {
	srv, c := demoEnv(t)
	keys := map[RunOrder]func(a, b RunInfo) int{
		OrderCreated:   func(a, b RunInfo) int { return b.CreatedAt.Compare(a.CreatedAt) },
		OrderHeartbeat: func(a, b RunInfo) int { return b.HeartbeatAt.Compare(a.HeartbeatAt) },
		OrderName:      func(a, b RunInfo) int { return strings.Compare(a.DisplayName, b.DisplayName) },
	}
	for o := OrderCreated; ; {
		srv.ResetStats()
		runs := allRuns(t, c, RunsQuery{First: 64, Order: o.Param()})
		ids := map[string]bool{}
		for _, r := range runs {
			ids[r.Ref.RunID] = true
		}
		if len(runs) != wandbtest.DemoTeamRuns || len(ids) != len(runs) {
			t.Errorf("%s: %d runs, %d distinct", o, len(runs), len(ids))
		}
		if !slices.IsSortedFunc(runs, keys[o]) {
			t.Errorf("%s: out of order", o)
		}
		if n := srv.Stats().GraphQLRequests; n != 5 {
			t.Errorf("%s: %d requests for 300 runs in pages of 64", o, n)
		}
		if o = o.Next(); o == OrderCreated {
			break
		}
	}
}

// TestRunsSearchDemo runs searches of the picker's syntax on the server
// and checks the runs and the count against the specs.
func TestRunsSearchDemo(t *testing.T) {
	_, c := demoEnv(t)
	specs := teamSpecs()
	now := time.Now()
	for _, line := range []string{
		"baseline", "VIT-b/16", "[debug]", "patch 8 (slow)", "RÉSUMÉ", "lr=3e-4",
		"state:running state:crashed", "tag:baseline user:alice", "tag:mixup tag:vit-l user:bob user:chen state:finished",
		"noble state:finished", "since:1d", "no such run at all",
	} {
		s, err := ParseRunSearch(line)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for id, r := range specs {
			text := strings.ToLower(s.Text)
			ok := strings.Contains(strings.ToLower(r.DisplayName), text) || strings.Contains(strings.ToLower(id), text)
			ok = ok && (len(s.States) == 0 || slices.Contains(s.States, r.State))
			ok = ok && (len(s.Tags) == 0 || slices.ContainsFunc(r.Tags, func(tag string) bool { return slices.Contains(s.Tags, tag) }))
			ok = ok && (len(s.Users) == 0 || slices.Contains(s.Users, userOf(r)))
			ok = ok && (s.Since == 0 || r.CreatedAt.After(now.Add(-s.Since)))
			if ok {
				want[id] = true
			}
		}
		if len(want) == 0 && line != "since:1d" && line != "no such run at all" {
			t.Fatalf("%q matches no demo run: a weak test", line)
		}
		q := RunsQuery{First: 40, Filters: s.Filters(now)}
		first, err := c.Runs(context.Background(), wandbtest.DemoTeam, wandbtest.DemoTeamProject, q)
		if err != nil || first.Total != len(want) {
			t.Errorf("%q: total %d, %v; want %d", line, first.Total, err, len(want))
		}
		got := allRuns(t, c, q)
		if len(got) != len(want) {
			t.Errorf("%q: %d runs, want %d", line, len(got), len(want))
		}
		for _, r := range got {
			if !want[r.Ref.RunID] {
				t.Errorf("%q: %s (%q) should not match", line, r.Ref.RunID, r.DisplayName)
			}
		}
	}
}

// TestRunsSince: since: keeps the runs created in the last N, by the
// server's clock.
func TestRunsSince(t *testing.T) {
	now := time.Now()
	var runs []wandbtest.RunSpec
	for _, r := range []struct {
		id  string
		ago time.Duration
	}{{"hour", time.Hour}, {"days3", 72 * time.Hour}, {"days10", 240 * time.Hour}} {
		runs = append(runs, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: r.id, State: "finished", CreatedAt: now.Add(-r.ago)})
	}
	_, c := newAPIEnv(t, runs...)
	for line, want := range map[string]int{"since:30m": 0, "since:2h": 1, "since:7d": 2, "since:2w": 3} {
		s, _ := ParseRunSearch(line)
		page, err := c.Runs(context.Background(), "ent", "proj", RunsQuery{Filters: s.Filters(now)})
		if err != nil || len(page.Runs) != want || page.Total != want {
			t.Errorf("%s: %d runs (total %d), %v; want %d", line, len(page.Runs), page.Total, err, want)
		}
	}
}

// TestRunsErrors: bad queries go nowhere; an unknown project and a filter
// the server refuses are errors.
func TestRunsErrors(t *testing.T) {
	srv, c := demoEnv(t)
	ctx := context.Background()
	for _, q := range []RunsQuery{{Filters: "state:running"}, {Filters: "[1]"}, {Filters: "null"}, {First: -1}} {
		if _, err := c.Runs(ctx, wandbtest.DemoTeam, wandbtest.DemoTeamProject, q); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}
	if _, err := c.Runs(ctx, wandbtest.DemoTeam, "a/b", RunsQuery{}); !errors.Is(err, ErrInvalidTarget) {
		t.Errorf("bad project name: %v", err)
	}
	if n := srv.Stats().GraphQLRequests; n != 0 {
		t.Errorf("%d requests for bad queries", n)
	}
	if _, err := c.Runs(ctx, wandbtest.DemoTeam, "nope", RunsQuery{}); !errors.Is(err, ErrProjectNotFound) || !strings.Contains(err.Error(), "wbfiles-lab/nope") {
		t.Errorf("unknown project: %v", err)
	}
	var ge *GraphQLError
	if _, err := c.Runs(ctx, wandbtest.DemoTeam, wandbtest.DemoTeamProject, RunsQuery{Filters: `{"$bogus": 1}`}); !errors.As(err, &ge) || !strings.Contains(err.Error(), "$bogus") {
		t.Errorf("a filter the server refuses: %v", err)
	}
}

// TestRunHeaderEverywhere: Run, RunWithFiles and Runs read the same
// header of a run.
func TestRunHeaderEverywhere(t *testing.T) {
	_, c := demoEnv(t)
	ctx := context.Background()
	page, err := c.Runs(ctx, wandbtest.DemoTeam, wandbtest.DemoTeamProject, RunsQuery{First: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Runs {
		one, err1 := c.Run(ctx, r.Ref)
		two, _, err2 := c.RunWithFiles(ctx, r.Ref, FilesQuery{First: 1})
		if err1 != nil || err2 != nil || !equalInfo(one, r) || !equalInfo(two, r) {
			t.Errorf("%s:\n Runs %+v\n  Run %+v\n RunWithFiles %+v", r.Ref, r, one, two)
		}
	}
}

// equalInfo compares two headers.
func equalInfo(a, b RunInfo) bool {
	return a.Ref == b.Ref && a.DisplayName == b.DisplayName && a.State == b.State && a.FileCount == b.FileCount &&
		a.CreatedAt.Equal(b.CreatedAt) && a.HeartbeatAt.Equal(b.HeartbeatAt) && a.User == b.User &&
		slices.Equal(a.Tags, b.Tags) && a.Group == b.Group && a.JobType == b.JobType
}
