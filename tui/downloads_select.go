package tui

import (
	"context"

	"github.com/wbfiles/wbfiles/internal/termtext"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/wandb"
)

// matchingFetchedMsg carries every file of the run that matches a server
// filter, for "select all on the server"; what words the filter, and the
// prompt repeats it, so an answer that arrives after the filter changed
// still says what it would select. gen tells the answer of a cancelled
// listing from the current one's.
type matchingFetchedMsg struct {
	gen   int
	what  string
	files []wandb.File
	err   error
}

// selectListing is the "select all on the server" listing in progress.
type selectListing struct {
	gen    int
	what   string
	cancel context.CancelFunc // nil when no listing runs
}

// SelectAllOnServer lists every file of the run that matches q's Pattern
// or Names (what words that filter, e.g. `matching "*.png"`) in the
// background, then asks whether to select them all, showing how many there
// are and their size. It needs DownloadsOptions.Source and Run. While a
// listing runs, its Status stays up, a second call does nothing, and
// CancelListing stops it.
func (d *Downloads) SelectAllOnServer(q wandb.FilesQuery, what string) tea.Cmd {
	if d.src == nil {
		return nil
	}
	if d.Listing() {
		d.status = "already listing every file " + d.listing.what + "… (esc cancels)"
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.listing = selectListing{gen: d.listing.gen + 1, what: what, cancel: cancel}
	return fetchAllMatching(ctx, d.src, d.run, q, what, d.listing.gen)
}

// Listing reports whether a "select all on the server" listing runs.
func (d Downloads) Listing() bool { return d.listing.cancel != nil }

// CancelListing stops the listing of SelectAllOnServer, if one runs; its
// answer, when it comes, is dropped.
func (d *Downloads) CancelListing() {
	if !d.Listing() {
		return
	}
	d.listing.cancel()
	d.listing = selectListing{gen: d.listing.gen + 1}
	d.status = "listing cancelled"
}

// listingText is the status of a listing in progress.
func (d Downloads) listingText() string {
	return "listing every file " + d.listing.what + "… (esc cancels)"
}

// matchingFetched opens the select prompt for the listed files.
func (d Downloads) matchingFetched(msg matchingFetchedMsg) Downloads {
	if msg.gen != d.listing.gen {
		return d // a cancelled listing's
	}
	if d.listing.cancel != nil {
		d.listing.cancel() // releases the context's resources
		d.listing.cancel = nil
	}
	switch {
	case msg.err != nil:
		// The error may quote the server: keep its control characters
		// and escape sequences off the terminal.
		d.status = "could not list the files " + msg.what + ": " + termtext.Safe(termtext.Line(msg.err.Error()))
	case len(msg.files) == 0:
		d.status = "no file " + msg.what
	case d.asking():
		d.status = "listed " + termtext.Count(len(msg.files), "file") + " " + msg.what + "; answer the open question first"
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
func fetchAllMatching(ctx context.Context, src Source, run wandb.RunRef, q wandb.FilesQuery, what string, gen int) tea.Cmd {
	q.First, q.After = wandb.MaxPageSize, ""
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		var files []wandb.File
		for {
			page, err := src.Files(ctx, run, q)
			if err != nil {
				return matchingFetchedMsg{gen: gen, what: what, files: files, err: err}
			}
			files = append(files, page.Files...)
			if !page.HasNextPage || page.EndCursor == "" {
				return matchingFetchedMsg{gen: gen, what: what, files: files}
			}
			q.After = page.EndCursor
		}
	}
}
