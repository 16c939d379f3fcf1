package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/wandb"
)

// matchingFetchedMsg carries every file of the run that matches a server
// filter, for "select all on the server"; what words the filter, and the
// prompt repeats it, so an answer that arrives after the filter changed
// still says what it would select.
type matchingFetchedMsg struct {
	what  string
	files []wandb.File
	err   error
}

// SelectAllOnServer lists every file of the run that matches q's Pattern
// or Names (what words that filter, e.g. `matching "*.png"`) in the
// background, then asks whether to select them all, showing how many there
// are and their size. It needs DownloadsOptions.Source and Run.
func (d *Downloads) SelectAllOnServer(q wandb.FilesQuery, what string) tea.Cmd {
	if d.src == nil {
		return nil
	}
	d.status = "listing every file " + what + "…"
	return fetchAllMatching(d.src, d.run, q, what)
}

// matchingFetched opens the select prompt for the listed files.
func (d Downloads) matchingFetched(msg matchingFetchedMsg) Downloads {
	switch {
	case msg.err != nil:
		// The error may quote the server: keep its control characters
		// and escape sequences off the terminal.
		d.status = "could not list the files " + msg.what + ": " + sanitize(oneLine(msg.err.Error()))
	case len(msg.files) == 0:
		d.status = "no file " + msg.what
	case d.asking():
		d.status = "listed " + dlPlural(len(msg.files), "file") + " " + msg.what + "; answer the open question first"
	default:
		d.status = ""
		d.matches, d.matchesWhat = msg.files, msg.what
		d.askOwn(promptSelect)
	}
	return d
}

// fetchAllMatching lists every file of run that matches q's Pattern or
// Names, all pages in the largest size the API allows, in the background.
// It is the one place that walks every page, and only on the user's
// explicit request.
func fetchAllMatching(src Source, run wandb.RunRef, q wandb.FilesQuery, what string) tea.Cmd {
	q.First, q.After = wandb.MaxPageSize, ""
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		var files []wandb.File
		for {
			page, err := src.Files(ctx, run, q)
			if err != nil {
				return matchingFetchedMsg{what: what, files: files, err: err}
			}
			files = append(files, page.Files...)
			if !page.HasNextPage || page.EndCursor == "" {
				return matchingFetchedMsg{what: what, files: files}
			}
			q.After = page.EndCursor
		}
	}
}
