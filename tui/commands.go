package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/wandb"
)

// previewMax is the most of a file the detail view fetches to preview.
const previewMax = 1 << 20

// requestTimeout bounds one page or preview request as seen from the UI;
// the client retries inside it.
const requestTimeout = 5 * time.Minute

// pageFetchedMsg is the answer to one page request of generation gen of
// the files list with id list (0: the flat list, else a folder).
type pageFetchedMsg struct {
	list int
	gen  int
	page wandb.FilesPage
	err  error
}

// previewFetchedMsg carries the first bytes of the file with key, fetched
// for the detail view opened as number gen.
type previewFetchedMsg struct {
	key       string
	gen       int
	body      []byte
	truncated bool
	err       error
}

// localStateCheckedMsg tells whether the file with key is already in the
// destination folder.
type localStateCheckedMsg struct {
	key   string
	state wandb.LocalStatus
	err   error
}

// pageRetryMsg says the page request of generation gen is being retried
// (the server is down, busy or slow); next waits for its next event.
type pageRetryMsg struct {
	list  int
	gen   int
	event wandb.RetryEvent
	next  tea.Cmd
}

// fetchPage asks src for one page; its inputs are copies, so the command
// never touches the model. While the client retries, each retry comes
// first as a pageRetryMsg, so the list can say so instead of spinning.
func fetchPage(src Source, run wandb.RunRef, q wandb.FilesQuery, list, gen int) tea.Cmd {
	return func() tea.Msg {
		events := make(chan tea.Msg, 4)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
			defer cancel()
			ctx = wandb.WithRetryObserver(ctx, func(e wandb.RetryEvent) {
				select {
				case events <- pageRetryMsg{list: list, gen: gen, event: e}:
				default: // the UI is behind: it sees the next one
				}
			})
			page, err := src.Files(ctx, run, q)
			events <- pageFetchedMsg{list: list, gen: gen, page: page, err: err}
		}()
		return awaitPage(events)()
	}
}

// awaitPage waits for the next event of a page request.
func awaitPage(events chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg := <-events
		if r, ok := msg.(pageRetryMsg); ok {
			r.next = awaitPage(events)
			return r
		}
		return msg
	}
}

// fetchPreview fetches up to previewMax bytes of f until ctx ends (the
// detail view was left).
func fetchPreview(ctx context.Context, src Source, f wandb.File, key string, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		body, truncated, err := src.Preview(ctx, f, previewMax)
		return previewFetchedMsg{key: key, gen: gen, body: body, truncated: truncated, err: err}
	}
}

// checkLocalState compares f with what is at its path under dest; it may
// hash a large file, hence a command.
func checkLocalState(dest string, f wandb.File, key string) tea.Cmd {
	return func() tea.Msg {
		st, err := wandb.LocalState(dest, f)
		return localStateCheckedMsg{key: key, state: st, err: err}
	}
}

// fileKey identifies a file for the caches: its id, or its name when the
// server sent none.
func fileKey(f wandb.File) string {
	if f.ID != "" {
		return "id:" + f.ID
	}
	return "name:" + f.Name
}
