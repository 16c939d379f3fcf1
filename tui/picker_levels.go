package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Navigator is what the levels above a run need from the W&B client;
// *wandb.Client implements it. A Source without it opens at its run
// with nothing above it.
type Navigator interface {
	Entities(ctx context.Context) ([]wandb.Entity, error)
	Projects(ctx context.Context, entity string, q wandb.PageQuery) (wandb.ProjectsPage, error)
	Runs(ctx context.Context, entity, project string, q wandb.RunsQuery) (wandb.RunsPage, error)
	RunDetail(ctx context.Context, ref wandb.RunRef) (wandb.RunDetail, error)
	RunArtifacts(ctx context.Context, run wandb.RunRef, used bool, q wandb.PageQuery) (wandb.ArtifactsPage, error)
	ArtifactVersions(ctx context.Context, entity, project, collection string, q wandb.PageQuery) (wandb.ArtifactsPage, error)
	// ArtifactListing lists an artifact version's files as a Source does
	// a run's.
	ArtifactListing(a wandb.ArtifactInfo) *wandb.ArtifactListing
}

var _ Navigator = (*wandb.Client)(nil)

// levelCmd runs one page request of level id in the background; its
// inputs are copies, so it never touches the model.
func levelCmd(id, gen int, get func(ctx context.Context) (wandb.PageInfo, any, int, error)) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		info, rows, total, err := get(ctx)
		return levelPageMsg{level: id, gen: gen, info: info, rows: rows, total: total, err: err}
	}
}

// Widths of the pickers' columns, each with its one-cell lead.
const (
	kindWidth  = 7
	countWidth = 9
	agoWidth   = 16
	runIDWidth = 11
	runStWidth = 10
	userWidth  = 13
	tagsWidth  = 22
	filesWidth = 8
)

// newEntitiesLevel lists the viewer's entity and teams (one request: they
// are few).
func newEntitiesLevel(c common, id int, nav Navigator, dest string) level {
	items := model.NewItems(func(e wandb.Entity) string { return e.Name }, func(e wandb.Entity) string { return e.Name }, nil)
	cols := []Column[wandb.Entity]{
		{Title: "ENTITY", Lead: 2, Text: func(e wandb.Entity) string { return termtext.Safe(e.Name) }},
		{Title: "KIND", Width: kindWidth, Lead: 1, Text: func(e wandb.Entity) string {
			if e.Team {
				return "team"
			}
			return "user"
		}},
	}
	p := newPicker(c, id, "entities", nil, dest, items, cols)
	p.fetch = func(req model.PageRequest, _ string) tea.Cmd {
		return levelCmd(id, req.Gen, func(ctx context.Context) (wandb.PageInfo, any, int, error) {
			es, err := nav.Entities(ctx)
			return wandb.PageInfo{}, es, len(es), err
		})
	}
	return p
}

// newProjectsLevel lists an entity's projects, page by page.
func newProjectsLevel(c common, id int, nav Navigator, entity, dest string, pageSize int) level {
	items := model.NewItems(func(p wandb.Project) string { return p.Name }, func(p wandb.Project) string { return p.Name }, nil)
	now := c.now
	cols := []Column[wandb.Project]{
		{Title: "PROJECT", Lead: 2, Text: func(p wandb.Project) string { return termtext.Safe(p.Name) }},
		{Title: "RUNS", Width: countWidth, Lead: 1, Right: true, Text: func(p wandb.Project) string {
			if p.RunCount < 0 {
				return "?"
			}
			return termtext.Comma(int64(p.RunCount))
		}},
		{Title: "LAST ACTIVE", Width: agoWidth, Lead: 2, MinTable: 50, Text: func(p wandb.Project) string {
			return termtext.Ago(p.UpdatedAt, now())
		}},
		{Title: "CREATED", Width: agoWidth, Lead: 1, MinTable: 80, Text: func(p wandb.Project) string {
			return termtext.Ago(p.CreatedAt, now())
		}},
	}
	p := newPicker(c, id, "projects", []string{entity}, dest, items, cols)
	p.from = entity
	p.fetch = func(req model.PageRequest, _ string) tea.Cmd {
		return levelCmd(id, req.Gen, func(ctx context.Context) (wandb.PageInfo, any, int, error) {
			page, err := nav.Projects(ctx, entity, wandb.PageQuery{First: pageSize, After: req.After})
			return page.Info(), page.Projects, -1, err
		})
	}
	return p
}

// newRunsLevel lists a project's runs, newest first, page by page, with
// the count the server gives; its search and order go to the server.
func newRunsLevel(c common, id int, nav Navigator, entity, project, dest string, pageSize int) level {
	items := model.NewItems(func(r wandb.RunInfo) string { return r.Ref.RunID }, runText, nil)
	p := newPicker(c, id, "runs", []string{entity, project}, dest, items, runColumns(c))
	p.from = project
	order := wandb.OrderCreated
	p.orders = func(next bool) string {
		if next {
			order = order.Next()
		}
		return order.String()
	}
	p.parse = func(text string) error {
		_, err := wandb.ParseRunSearch(text)
		return err
	}
	p.fetch = func(req model.PageRequest, search string) tea.Cmd {
		s, _ := wandb.ParseRunSearch(search) // checked by parse
		q := wandb.RunsQuery{First: pageSize, After: req.After, Filters: s.Filters(c.now()), Order: order.Param()}
		return levelCmd(id, req.Gen, func(ctx context.Context) (wandb.PageInfo, any, int, error) {
			page, err := nav.Runs(ctx, entity, project, q)
			return page.Info(), page.Runs, page.Total, err
		})
	}
	return p
}

// runText is what the narrowing matches in a run: its name and id.
func runText(r wandb.RunInfo) string { return r.DisplayName + " " + r.Ref.RunID }

// runColumns are the runs list's columns; narrow terminals drop the tags,
// user, files and created columns in that order.
func runColumns(c common) []Column[wandb.RunInfo] {
	s, now := c.styles, c.now
	return []Column[wandb.RunInfo]{
		{Title: "NAME", Lead: 2, Text: func(r wandb.RunInfo) string { return termtext.Safe(r.DisplayName) }},
		{Title: "ID", Width: runIDWidth, Lead: 1, Text: func(r wandb.RunInfo) string { return termtext.Safe(r.Ref.RunID) }},
		{Title: "STATE", Width: runStWidth, Lead: 1, Draw: func(r wandb.RunInfo, w int, atCursor bool) string {
			text := termtext.Pad(termtext.Safe(r.State), w)
			switch r.State {
			case "running":
				return styledCell(s, s.Running, text, atCursor)
			case "failed", "crashed":
				return styledCell(s, s.Error, text, atCursor)
			}
			return styledCell(s, s.Subtle.UnsetForeground(), text, atCursor)
		}},
		{Title: "CREATED", Width: agoWidth, Lead: 1, MinTable: 60, Text: func(r wandb.RunInfo) string {
			return termtext.Ago(r.CreatedAt, now())
		}},
		{Title: "USER", Width: userWidth, Lead: 1, MinTable: 90, Text: func(r wandb.RunInfo) string { return termtext.Safe(r.User) }},
		{Title: "FILES", Width: filesWidth, Lead: 1, Right: true, MinTable: 120, Text: func(r wandb.RunInfo) string {
			if r.FileCount < 0 {
				return "?"
			}
			return termtext.Comma(int64(r.FileCount))
		}},
		{Title: "TAGS", Width: tagsWidth, Lead: 2, MinTable: 105, Text: func(r wandb.RunInfo) string {
			return termtext.Safe(strings.Join(r.Tags, ","))
		}},
	}
}

// runDetailMsg is a run's details for the info view numbered gen.
type runDetailMsg struct {
	gen    int
	detail wandb.RunDetail
	err    error
}

// fetchRunDetail asks for a run's details in the background.
func fetchRunDetail(nav Navigator, ref wandb.RunRef, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		d, err := nav.RunDetail(ctx, ref)
		return runDetailMsg{gen: gen, detail: d, err: err}
	}
}
