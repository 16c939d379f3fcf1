package cli

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

// runEntry is one run of `wbfiles ls --json ENTITY/PROJECT`.
type runEntry struct {
	Path        string   `json:"path"` // entity/project/run_id
	Entity      string   `json:"entity"`
	Project     string   `json:"project"`
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	State       string   `json:"state,omitempty"`
	CreatedAt   string   `json:"createdAt,omitempty"`
	HeartbeatAt string   `json:"heartbeatAt,omitempty"`
	User        string   `json:"user,omitempty"`
	Tags        []string `json:"tags"`
	Group       string   `json:"group,omitempty"`
	JobType     string   `json:"jobType,omitempty"`
	FileCount   *int     `json:"fileCount"` // null when the server gave none
}

// projectEntry is one project of `wbfiles ls --json ENTITY`.
type projectEntry struct {
	Path      string `json:"path"` // entity/project
	Entity    string `json:"entity"`
	Name      string `json:"name"`
	RunCount  *int   `json:"runCount"` // null when the server gave none
	CreatedAt string `json:"createdAt,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
}

// runLsRuns lists the project's runs that --filter selects, in --sort's
// order, page by page: the first page is the start-up check (exit 2 when
// it fails), the rest stream.
func runLsRuns(c verbConfig, env Env, wcfg wandb.Config, t wandb.Target) int {
	search, _ := wandb.ParseRunSearch(c.Filter) // checked by fits
	order := wandb.OrderCreated
	if c.Sort != "" {
		order, _ = wandb.ParseRunOrder(c.Sort) // checked by fits
	}
	q := wandb.RunsQuery{First: c.perPage(t), Filters: search.Filters(time.Now()), Order: order.Param()}
	next := func(client *wandb.Client, after string) iter.Seq2[wandb.RunsPage, error] {
		q := q
		q.After = after
		return client.RunPages(context.Background(), t.Entity, t.Project, q)
	}
	first := func(ctx context.Context, checker *wandb.Client) (wandb.RunsPage, error) {
		return checker.Runs(ctx, t.Entity, t.Project, q)
	}
	pages, code := startListing(env, wcfg, first, next)
	if pages == nil {
		return code
	}
	table := !c.JSON && env.IsTerminal(env.Stdout.Fd())
	now := time.Now()
	head := ""
	if table {
		head = runRow(c.Long, "ID", "NAME", "STATE", "CREATED", "USER", "GROUP", "JOB TYPE", "HEARTBEAT", "TAGS")
	}
	return printRows(env, pages, func(p wandb.RunsPage) []wandb.RunInfo { return p.Runs }, head, func(out io.Writer, r wandb.RunInfo) {
		switch {
		case c.JSON:
			writeJSON(out, runEntryOf(r))
		case table:
			safe := termtext.Safe
			fmt.Fprintln(out, runRow(c.Long, safe(r.Ref.RunID), safe(r.DisplayName), safe(r.State), termtext.Ago(r.CreatedAt, now),
				safe(r.User), safe(r.Group), safe(r.JobType), termtext.Ago(r.HeartbeatAt, now), safe(strings.Join(r.Tags, ", "))))
		default:
			fmt.Fprintln(out, termtext.Safe(r.Ref.String()))
		}
	})
}

// runRow lays out a row of the runs table; group, job type and heartbeat
// only with long.
func runRow(long bool, id, name, state, created, user, group, jobType, heartbeat, tags string) string {
	cells := []string{termtext.Pad(id, 10), termtext.Pad(name, 28), termtext.Pad(state, 9), termtext.Pad(created, 15), termtext.Pad(user, 12)}
	if long {
		cells = append(cells, termtext.Pad(group, 16), termtext.Pad(jobType, 10), termtext.Pad(heartbeat, 15))
	}
	return strings.TrimRight(strings.Join(append(cells, tags), " "), " ")
}

// runEntryOf is r as ls --json prints it.
func runEntryOf(r wandb.RunInfo) runEntry {
	e := runEntry{Path: r.Ref.String(), Entity: r.Ref.Entity, Project: r.Ref.Project, ID: r.Ref.RunID,
		DisplayName: r.DisplayName, State: r.State, CreatedAt: jsonTime(r.CreatedAt), HeartbeatAt: jsonTime(r.HeartbeatAt),
		User: r.User, Tags: r.Tags, Group: r.Group, JobType: r.JobType}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	if r.FileCount >= 0 {
		n := r.FileCount
		e.FileCount = &n
	}
	return e
}

// runLsProjects lists the entity's projects page by page, as runLsRuns
// lists runs.
func runLsProjects(c verbConfig, env Env, wcfg wandb.Config, t wandb.Target) int {
	q := wandb.PageQuery{First: c.perPage(t)}
	next := func(client *wandb.Client, after string) iter.Seq2[wandb.ProjectsPage, error] {
		return client.ProjectPages(context.Background(), t.Entity, wandb.PageQuery{First: q.First, After: after})
	}
	first := func(ctx context.Context, checker *wandb.Client) (wandb.ProjectsPage, error) {
		return checker.Projects(ctx, t.Entity, q)
	}
	pages, code := startListing(env, wcfg, first, next)
	if pages == nil {
		return code
	}
	table := !c.JSON && env.IsTerminal(env.Stdout.Fd())
	now := time.Now()
	head := ""
	if table {
		head = fmt.Sprintf("%7s  %-15s  %s", "RUNS", "LAST ACTIVE", "NAME")
	}
	return printRows(env, pages, func(p wandb.ProjectsPage) []wandb.Project { return p.Projects }, head, func(out io.Writer, p wandb.Project) {
		switch {
		case c.JSON:
			writeJSON(out, projectEntryOf(p))
		case table:
			runs := "?"
			if p.RunCount >= 0 {
				runs = termtext.Comma(int64(p.RunCount))
			}
			active := p.UpdatedAt
			if active.IsZero() {
				active = p.CreatedAt
			}
			fmt.Fprintf(out, "%7s  %-15s  %s\n", runs, termtext.Ago(active, now), termtext.Safe(p.Name))
		default:
			fmt.Fprintln(out, termtext.Safe(p.Entity+"/"+p.Name))
		}
	})
}

// projectEntryOf is p as ls --json prints it.
func projectEntryOf(p wandb.Project) projectEntry {
	e := projectEntry{Path: p.Entity + "/" + p.Name, Entity: p.Entity, Name: p.Name,
		CreatedAt: jsonTime(p.CreatedAt), UpdatedAt: jsonTime(p.UpdatedAt)}
	if p.RunCount >= 0 {
		n := p.RunCount
		e.RunCount = &n
	}
	return e
}

// startListing fetches the first page with the start-up check's client
// (quick retries, a bounded wait) and returns every page: that one, then
// those next walks from its end cursor with the program's client. When
// the first page fails it prints why and returns a nil sequence with exit
// status 2.
func startListing[P interface{ Info() wandb.PageInfo }](env Env, wcfg wandb.Config,
	first func(context.Context, *wandb.Client) (P, error),
	next func(*wandb.Client, string) iter.Seq2[P, error]) (iter.Seq2[P, error], int) {
	client, err := wandb.NewClient(wcfg)
	if err != nil {
		return nil, fail(env, verbStartup, err)
	}
	checker, err := startupChecker(wcfg)
	if err != nil {
		return nil, fail(env, verbStartup, err)
	}
	var page P
	err = withinStartup(client, func(ctx context.Context) (err error) {
		page, err = first(ctx, checker)
		return err
	})
	if err != nil {
		return nil, fail(env, verbStartup, err)
	}
	return func(yield func(P, error) bool) {
		if !yield(page, nil) || !page.Info().HasNextPage {
			return
		}
		for p, err := range next(client, page.Info().EndCursor) {
			if !yield(p, err) {
				return
			}
		}
	}, exitOK
}
