package model

import (
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
)

// PageRequest is one page request the caller should send.
type PageRequest struct {
	// Gen identifies the query the request belongs to; the answer must be
	// handed back with it so answers to superseded queries are dropped.
	Gen int
	// After is the cursor to continue from ("" for the first page).
	After string
}

// Paging is the state machine of lazy cursor paging over one query: at
// most one request in flight, none after the last page or after a failure
// until Retry, and answers from an older generation ignored. A page whose
// cursor does not advance (wandb.ErrCursorStuck) is a failure, and the
// warnings of pages that came with GraphQL errors are kept for display.
// It holds the cursors of its generation in a map: use it by pointer (a
// copy shares them), as Browser does.
type Paging struct {
	gen       int
	inFlight  bool
	hasNext   bool
	endCursor string // the cursor of the next request
	trail     wandb.CursorTrail
	err       error
	warning   string
	pages     int
	// retry is the last retry of the request in flight, when retrying.
	retry    wandb.RetryEvent
	retrying bool
}

// NewPaging returns paging that has not asked for its first page yet.
func NewPaging() Paging { return Paging{hasNext: true} }

// Restart begins a new generation (a new query): the request in flight,
// if any, becomes stale and paging starts again from the first page.
func (p *Paging) Restart() {
	*p = Paging{gen: p.gen + 1, hasNext: true}
}

// reopen continues a saved paging state under generation gen: a request
// that was in flight when it was saved belongs to the past and is sent
// again when needed.
func (p *Paging) reopen(gen int) {
	p.gen, p.inFlight, p.retrying = gen, false, false
}

// Next marks a request for the next page in flight and returns it; ok is
// false when a request is already in flight, the last page has arrived or
// the previous request failed.
func (p *Paging) Next() (req PageRequest, ok bool) {
	if p.inFlight || !p.hasNext || p.err != nil {
		return PageRequest{}, false
	}
	p.inFlight = true
	return PageRequest{Gen: p.gen, After: p.endCursor}, true
}

// Retry clears a failure and returns the request to send again.
func (p *Paging) Retry() (PageRequest, bool) {
	if p.err == nil {
		return PageRequest{}, false
	}
	p.err = nil
	return p.Next()
}

// Done records the answer to the request of generation gen. It returns
// false, changing nothing, when the answer is stale. A page whose end
// cursor was sent before is recorded as a failure wrapping
// wandb.ErrCursorStuck; check Err before using the page.
func (p *Paging) Done(gen int, page wandb.PageInfo, err error) bool {
	if gen != p.gen || !p.inFlight {
		return false
	}
	p.inFlight, p.retrying = false, false
	if err == nil {
		err = p.trail.Check(p.endCursor, page)
	}
	if err != nil {
		p.err = err
		return true
	}
	if len(page.Warnings) > 0 {
		p.warning = strings.Join(page.Warnings, "; ")
	}
	p.pages++
	p.endCursor = page.EndCursor
	// A server that claims more pages but gives no cursor would make us
	// ask for the first page forever; treat it as the end.
	p.hasNext = page.HasNextPage && page.EndCursor != ""
	return true
}

// NoteRetry records that the request in flight of generation gen failed
// a try and will be tried again (see wandb.WithRetryObserver). It returns
// false, changing nothing, when no such request is in flight.
func (p *Paging) NoteRetry(gen int, e wandb.RetryEvent) bool {
	if gen != p.gen || !p.inFlight {
		return false
	}
	p.retry, p.retrying = e, true
	return true
}

// Retrying returns the last retry of the request in flight, if it had one.
func (p *Paging) Retrying() (wandb.RetryEvent, bool) { return p.retry, p.retrying }

// Gen returns the current generation.
func (p *Paging) Gen() int { return p.gen }

// InFlight reports whether a page request is outstanding.
func (p *Paging) InFlight() bool { return p.inFlight }

// HasNext reports whether more pages may exist.
func (p *Paging) HasNext() bool { return p.hasNext }

// Err returns the failure of the last request, if it failed.
func (p *Paging) Err() error { return p.err }

// Warning returns the warnings of the latest page of this generation
// that carried any (GraphQL errors sent along with its files), joined in
// one line; "" when none did.
func (p *Paging) Warning() string { return p.warning }

// Pages returns how many pages of this generation arrived.
func (p *Paging) Pages() int { return p.pages }
