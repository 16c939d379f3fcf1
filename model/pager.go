package model

import "github.com/wbfiles/wbfiles/wandb"

// Pager is a list of rows of any kind loaded page by page from one query:
// Items fed by Paging. It asks for a page only when the cursor nears the
// end of the loaded rows, keeps one request in flight and drops stale
// answers, as the files list does.
type Pager[T any] struct {
	*Items[T]
	Paging
}

// NewPager returns a pager over items that has not asked for its first
// page yet.
func NewPager[T any](items *Items[T]) *Pager[T] {
	return &Pager[T]{Items: items, Paging: NewPaging()}
}

// WantPage returns the next page request when the cursor is within one
// screen of the last loaded row and paging allows one. While a narrowing
// is typed no page is asked for (see Browser.WantPage).
func (p *Pager[T]) WantPage() (PageRequest, bool) {
	if p.narrow != "" || !p.NearEnd() {
		return PageRequest{}, false
	}
	return p.Next()
}

// Receive records the answer to a page request: rows are the page's rows,
// info its paging part. A stale answer changes nothing and is reported as
// false; a failed one adds no rows.
func (p *Pager[T]) Receive(gen int, info wandb.PageInfo, rows []T, err error) bool {
	if !p.Done(gen, info, err) {
		return false
	}
	if p.Err() == nil {
		p.Append(rows...)
	}
	return true
}

// Restart drops the rows and begins a new generation: answers to earlier
// requests are stale from now on.
func (p *Pager[T]) Restart() {
	p.Items.Clear()
	p.Paging.Restart()
}

// AllLoaded reports whether every row of the query is loaded.
func (p *Pager[T]) AllLoaded() bool { return p.Pages() > 0 && !p.HasNext() && p.Err() == nil }
