package model

import "github.com/wbfiles/wbfiles/wandb"

// Browser is the whole state of the file list of one run: the run's
// header, the server-side filter, the paging over it and the loaded rows.
type Browser struct {
	List
	Paging

	// Run is the run being browsed.
	Run wandb.RunInfo
	// PageSize is the number of files asked per page.
	PageSize int

	// filterText is what the user typed for the server filter; pattern is
	// the LIKE pattern sent for it. A pattern given as such (--pattern)
	// has no filterText.
	filterText string
	pattern    string
	// names, when set, limits the listing to these exact names (--names).
	names []string
	// unfiltered is the state before the first server filter, restored
	// when the filter is cleared, so the user is back where they were.
	unfiltered *Browser
}

// NewBrowser returns a browser over run, filtered by an initial server
// pattern or list of names (at most one of them set), that has not asked
// for its first page yet.
func NewBrowser(run wandb.RunInfo, pageSize int, pattern string, names []string) *Browser {
	return &Browser{
		Run:      run,
		PageSize: pageSize,
		Paging:   NewPaging(),
		pattern:  pattern,
		names:    names,
	}
}

// Query returns the files query for request r.
func (b *Browser) Query(r PageRequest) wandb.FilesQuery {
	return wandb.FilesQuery{First: b.PageSize, After: r.After, Pattern: b.pattern, Names: b.names}
}

// WantPage returns the next page request when the cursor is within one
// screen of the last loaded row and paging allows one. While a local
// narrowing is typed no page is requested: the narrowed rows could stay
// near the end forever and pull in the whole run; applying the filter on
// the server is the way to search beyond the loaded pages.
func (b *Browser) WantPage() (PageRequest, bool) {
	if b.narrow != "" || !b.NearEnd() {
		return PageRequest{}, false
	}
	return b.Next()
}

// Receive records the answer to a page request; stale answers (of another
// generation) are ignored and reported as false. A failed page (see
// Paging.Done) adds no rows, and no name is added twice (see List.Append).
func (b *Browser) Receive(gen int, page wandb.FilesPage, err error) bool {
	if !b.Done(gen, page.Info(), err) {
		return false
	}
	if b.Err() == nil {
		b.Append(page.Files)
	}
	return true
}

// ReceiveFirst records page (or err) as the answer to the first page
// request, for a caller that fetched it together with the run's header
// with the query of FirstQuery (wandb.Client.RunWithFiles). It returns
// false, changing nothing, once a page was asked for.
func (b *Browser) ReceiveFirst(page wandb.FilesPage, err error) bool {
	if b.Pages() > 0 || b.Err() != nil {
		return false
	}
	req, ok := b.Next()
	if !ok {
		return false
	}
	return b.Receive(req.Gen, page, err)
}

// FirstQuery returns the files query of the first page.
func (b *Browser) FirstQuery() wandb.FilesQuery { return b.Query(PageRequest{}) }

// SetServerFilter applies text as the server-side filter with the LIKE
// pattern pattern (empty for none): the loaded rows are dropped, the local
// narrowing cleared and paging restarts with a new generation.
//
// Clearing the filter (an empty pattern) brings back the unfiltered rows,
// cursor and paging as they were before the first filter, when there were
// any; only an answer to a newer generation can change them from then on.
func (b *Browser) SetServerFilter(text, pattern string) {
	b.SetNarrowing("")
	if pattern == "" && b.unfiltered != nil {
		gen, height := b.Gen(), b.Height()
		*b = *b.unfiltered
		b.Paging.reopen(gen + 1)
		b.SetHeight(height)
		return
	}
	if !b.Filtered() && pattern != "" && b.Pages() > 0 {
		saved := *b
		b.unfiltered = &saved
	}
	b.filterText, b.pattern, b.names = text, pattern, nil
	b.Clear()
	b.Restart()
}

// FilterText returns the text of the active server filter.
func (b *Browser) FilterText() string { return b.filterText }

// Pattern returns the LIKE pattern of the active server filter.
func (b *Browser) Pattern() string { return b.pattern }

// Names returns the exact names the listing is limited to, if any.
func (b *Browser) Names() []string { return b.names }

// Filtered reports whether a server-side filter is active.
func (b *Browser) Filtered() bool { return b.pattern != "" || len(b.names) > 0 }

// Total returns the number of files the query matches, or -1 when unknown:
// the run's fileCount without a filter, the loaded count once the last
// page has arrived.
func (b *Browser) Total() int {
	if !b.HasNext() && b.Err() == nil && b.Pages() > 0 {
		return b.Loaded()
	}
	if !b.Filtered() {
		return b.Run.FileCount
	}
	return -1
}

// AllLoaded reports whether every file of the query is loaded.
func (b *Browser) AllLoaded() bool { return b.Pages() > 0 && !b.HasNext() }
