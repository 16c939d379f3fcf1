package wandb

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestEntitiesDemo: the demo user's own entity first, then its team.
func TestEntitiesDemo(t *testing.T) {
	srv, c := demoEnv(t)
	got, err := c.Entities(context.Background())
	want := []Entity{{Name: wandbtest.DemoEntity}, {Name: wandbtest.DemoTeam, Team: true}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Entities = %+v, %v; want %+v", got, err, want)
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestEntitiesPages walks every page of a user's many teams, each once,
// the own entity first although the server lists it among the others.
func TestEntitiesPages(t *testing.T) {
	var runs []wandbtest.RunSpec
	for i := range 2*teamsPageSize + 5 {
		runs = append(runs, wandbtest.RunSpec{Entity: fmt.Sprintf("team-%03d", i), Project: "p", ID: "r1"})
	}
	srv, c := newAPIEnv(t, runs...)
	srv.ResetStats()
	got, err := c.Entities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The server's viewer is demo-user, which sorts among the teams.
	if len(got) != len(runs)+1 || got[0] != (Entity{Name: "demo-user"}) {
		t.Fatalf("%d entities, first %+v", len(got), got[0])
	}
	for i, e := range got[1:] {
		if !e.Team || e.Name == "demo-user" || i > 0 && got[i].Name >= e.Name {
			t.Fatalf("entity %d: %+v after %+v", i+1, e, got[i])
		}
	}
	if n := srv.Stats().GraphQLRequests; n != 3 {
		t.Errorf("%d requests for %d entities, want 3", n, len(got))
	}
}

// TestProjectsDemo lists the team's projects with their counts and dates,
// in pages of one through ProjectPages.
func TestProjectsDemo(t *testing.T) {
	srv, c := demoEnv(t)
	ctx := context.Background()
	page, err := c.Projects(ctx, wandbtest.DemoTeam, PageQuery{})
	if err != nil || len(page.Projects) != 2 || page.HasNextPage {
		t.Fatalf("Projects: %+v, %v", page, err)
	}
	counts := map[string]int{}
	for _, p := range page.Projects {
		counts[p.Name] = p.RunCount
		if p.Entity != wandbtest.DemoTeam || p.CreatedAt.IsZero() || p.UpdatedAt.Before(p.CreatedAt) {
			t.Errorf("project %+v", p)
		}
		// Last active: not before its newest run started.
		runs, err := c.Runs(ctx, p.Entity, p.Name, RunsQuery{First: 1})
		if err != nil || len(runs.Runs) == 0 {
			t.Fatalf("runs of %s: %+v, %v", p.Name, runs, err)
		}
		if p.UpdatedAt.Before(runs.Runs[0].CreatedAt) {
			t.Errorf("%s last active %v, before its newest run started (%v)", p.Name, p.UpdatedAt, runs.Runs[0].CreatedAt)
		}
	}
	if !reflect.DeepEqual(counts, map[string]int{wandbtest.DemoTeamProject: wandbtest.DemoTeamRuns, wandbtest.DemoTeamSmallProject: wandbtest.DemoTeamSmallRuns}) {
		t.Errorf("run counts %v", counts)
	}
	srv.ResetStats()
	var names []string
	for p, err := range c.ProjectPages(ctx, wandbtest.DemoTeam, PageQuery{First: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Projects) != 1 {
			t.Fatalf("a page of %d projects", len(p.Projects))
		}
		names = append(names, p.Projects[0].Name)
	}
	if !slices.Equal(names, []string{wandbtest.DemoTeamSmallProject, wandbtest.DemoTeamProject}) {
		t.Errorf("pages %v", names)
	}
	if n := srv.Stats().GraphQLRequests; n != 2 {
		t.Errorf("%d requests for 2 pages", n)
	}
}

// TestProjectsErrors: bad names and page sizes go nowhere; an unknown
// entity has no projects.
func TestProjectsErrors(t *testing.T) {
	srv, c := demoEnv(t)
	ctx := context.Background()
	for _, e := range []string{"", "a b", ".."} {
		if _, err := c.Projects(ctx, e, PageQuery{}); !errors.Is(err, ErrInvalidTarget) {
			t.Errorf("Projects(%q): %v", e, err)
		}
	}
	if _, err := c.Projects(ctx, wandbtest.DemoTeam, PageQuery{First: MaxPageSize + 1}); err == nil || !strings.Contains(err.Error(), "page size") {
		t.Errorf("page size: %v", err)
	}
	if n := srv.Stats().GraphQLRequests; n != 0 {
		t.Errorf("%d requests for bad queries", n)
	}
	if page, err := c.Projects(ctx, "nobody", PageQuery{}); err != nil || len(page.Projects) != 0 {
		t.Errorf("unknown entity: %+v, %v", page, err)
	}
}

// TestPagingFaultsRunsProjects: a cursor that does not advance stops
// both walks with ErrCursorStuck, and errors beside the data are
// warnings, for runs and projects as for files.
func TestPagingFaultsRunsProjects(t *testing.T) {
	srv, c := demoEnv(t)
	ctx := context.Background()
	walkRuns := func() (int, []string, error) {
		n, warn := 0, []string(nil)
		for p, err := range c.RunPages(ctx, wandbtest.DemoTeam, wandbtest.DemoTeamProject, RunsQuery{First: 100}) {
			if err != nil {
				return n, warn, err
			}
			n += len(p.Runs)
			warn = append(warn, p.Warnings...)
		}
		return n, warn, nil
	}
	walkProjects := func() (int, []string, error) {
		n, warn := 0, []string(nil)
		for p, err := range c.ProjectPages(ctx, wandbtest.DemoTeam, PageQuery{First: 1}) {
			if err != nil {
				return n, warn, err
			}
			n += len(p.Projects)
			warn = append(warn, p.Warnings...)
		}
		return n, warn, nil
	}
	for _, f := range []wandbtest.PagingFaults{{EchoCursor: true}, {StuckCursor: true}} {
		srv.SetPagingFaults(f)
		srv.ResetStats()
		if n, _, err := walkRuns(); !errors.Is(err, ErrCursorStuck) || n > 200 {
			t.Errorf("runs %+v: %d runs, %v", f, n, err)
		}
		if n, _, err := walkProjects(); !errors.Is(err, ErrCursorStuck) || n > 2 {
			t.Errorf("projects %+v: %d projects, %v", f, n, err)
		}
		if n := srv.Stats().GraphQLRequests; n > 6 {
			t.Errorf("%+v: %d requests", f, n)
		}
	}
	srv.SetPagingFaults(wandbtest.PagingFaults{ErrorWithData: "shard 3 is down"})
	if n, warn, err := walkRuns(); err != nil || n != wandbtest.DemoTeamRuns || len(warn) != 3 || !strings.Contains(warn[0], "shard 3 is down") {
		t.Errorf("runs with errors beside the data: %d runs, warnings %q, %v", n, warn, err)
	}
	if n, warn, err := walkProjects(); err != nil || n != 2 || len(warn) != 2 {
		t.Errorf("projects with errors beside the data: %d, warnings %q, %v", n, warn, err)
	}
}
