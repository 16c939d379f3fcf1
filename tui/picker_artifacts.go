package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// artifactRow is one artifact version in a list: one a run logged or
// used, or one version of a collection.
type artifactRow struct {
	wandb.ArtifactInfo
	// Used is set for an artifact the run used (an input), rather than
	// logged.
	Used bool
}

// The halves of the run's artifacts list: its logged artifacts first,
// then those it used. The level's cursor says which half and the
// connection's own cursor.
const (
	loggedCursor = "logged:"
	usedCursor   = "used:"
)

// newRunArtifactsLevel lists the artifacts run logged, then those it used,
// page by page: two connections walked one after the other.
func newRunArtifactsLevel(c common, id int, nav Navigator, run wandb.RunInfo, dest string, pageSize int) level {
	name := run.Ref.RunID
	if run.DisplayName != "" {
		name = run.DisplayName
	}
	items := model.NewItems(artifactKey, artifactText, nil)
	p := newPicker(c, id, "artifacts", []string{run.Ref.Entity, run.Ref.Project, name}, dest, items, artifactColumns(c, true))
	p.fetch = func(req model.PageRequest, _ string) tea.Cmd {
		used, after := false, req.After
		if rest, ok := strings.CutPrefix(after, usedCursor); ok {
			used, after = true, rest
		} else {
			after = strings.TrimPrefix(after, loggedCursor)
		}
		return levelCmd(id, req.Gen, func(ctx context.Context) (wandb.PageInfo, any, int, error) {
			page, err := nav.RunArtifacts(ctx, run.Ref, used, wandb.PageQuery{First: pageSize, After: after})
			rows := make([]artifactRow, len(page.Artifacts))
			for i, a := range page.Artifacts {
				rows[i] = artifactRow{ArtifactInfo: a, Used: used}
			}
			info := page.Info()
			switch {
			case info.HasNextPage && used:
				info.EndCursor = usedCursor + info.EndCursor
			case info.HasNextPage:
				info.EndCursor = loggedCursor + info.EndCursor
			case !used:
				// The logged ones are all in: the used ones come next.
				info.EndCursor, info.HasNextPage = usedCursor, true
			}
			return info, rows, -1, err
		})
	}
	return p
}

// newVersionsLevel lists the versions of an artifact collection, newest
// first, page by page.
func newVersionsLevel(c common, id int, nav Navigator, entity, project, collection, dest string, pageSize int) level {
	items := model.NewItems(artifactKey, artifactText, nil)
	p := newPicker(c, id, "versions", []string{entity, project, collection}, dest, items, artifactColumns(c, false))
	p.fetch = func(req model.PageRequest, _ string) tea.Cmd {
		return levelCmd(id, req.Gen, func(ctx context.Context) (wandb.PageInfo, any, int, error) {
			page, err := nav.ArtifactVersions(ctx, entity, project, collection, wandb.PageQuery{First: pageSize, After: req.After})
			rows := make([]artifactRow, len(page.Artifacts))
			for i, a := range page.Artifacts {
				rows[i] = artifactRow{ArtifactInfo: a}
			}
			return page.Info(), rows, page.TotalCount, err
		})
	}
	return p
}

// artifactKey tells artifact rows apart: a run may log and use the same
// version.
func artifactKey(a artifactRow) string {
	if a.Used {
		return "used " + a.ID
	}
	return a.ID
}

// artifactText is what the narrowing matches: name, type and aliases.
func artifactText(a artifactRow) string {
	return a.Name() + " " + a.Type + " " + strings.Join(a.Aliases, " ")
}

// artifactColumns are the artifact lists' columns; withKind adds whether
// the run logged or used it.
func artifactColumns(c common, withKind bool) []Column[artifactRow] {
	now := c.now
	var cols []Column[artifactRow]
	if withKind {
		cols = append(cols, Column[artifactRow]{Title: "RUN", Width: kindWidth + 1, Lead: 2, Text: func(a artifactRow) string {
			if a.Used {
				return "used"
			}
			return "logged"
		}})
	}
	return append(cols,
		Column[artifactRow]{Title: "ARTIFACT", Lead: 2, Text: func(a artifactRow) string { return termtext.Safe(a.Name()) }},
		Column[artifactRow]{Title: "TYPE", Width: 10, Lead: 1, MinTable: 60, Text: func(a artifactRow) string { return termtext.Safe(a.Type) }},
		Column[artifactRow]{Title: "ALIASES", Width: 18, Lead: 1, MinTable: 90, Text: func(a artifactRow) string {
			return termtext.Safe(strings.Join(a.Aliases, ","))
		}},
		Column[artifactRow]{Title: "SIZE", Width: sizeWidth, Lead: 1, Right: true, Text: func(a artifactRow) string {
			if a.Size < 0 {
				return "?"
			}
			return termtext.Bytes(a.Size)
		}},
		Column[artifactRow]{Title: "FILES", Width: filesWidth, Lead: 1, Right: true, MinTable: 70, Text: func(a artifactRow) string {
			if a.FileCount < 0 {
				return "?"
			}
			return termtext.Comma(int64(a.FileCount))
		}},
		Column[artifactRow]{Title: "CREATED", Width: agoWidth, Lead: 2, MinTable: 100, Text: func(a artifactRow) string {
			return termtext.Ago(a.CreatedAt, now())
		}},
	)
}
