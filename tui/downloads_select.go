package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/wandb"
)

// matchingFetchedMsg carries every file of the run that matches a server
// filter, for "select all on the server"; gen is the caller's request id,
// so an answer to a superseded filter can be dropped.
type matchingFetchedMsg struct {
	gen   int
	files []wandb.File
	err   error
}

// fetchAllMatching lists every file of run that matches q's Pattern or
// Names, all pages in the largest size the API allows, in the background.
// It is the one place that walks every page, and only on the user's
// explicit request.
func fetchAllMatching(src Source, run wandb.RunRef, q wandb.FilesQuery, gen int) tea.Cmd {
	q.First, q.After = wandb.MaxPageSize, ""
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		var files []wandb.File
		for {
			page, err := src.Files(ctx, run, q)
			if err != nil {
				return matchingFetchedMsg{gen: gen, files: files, err: err}
			}
			files = append(files, page.Files...)
			if !page.HasNextPage || page.EndCursor == "" {
				return matchingFetchedMsg{gen: gen, files: files}
			}
			q.After = page.EndCursor
		}
	}
}
