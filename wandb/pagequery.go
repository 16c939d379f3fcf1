package wandb

import (
	"context"
	"fmt"
	"iter"
)

// PageQuery selects one page of a connection that has no filter of its
// own (an entity's projects).
type PageQuery struct {
	// First is the page size; 0 means DefaultPageSize. Valid: 1..MaxPageSize.
	First int
	// After is the cursor to continue from ("" for the first page).
	After string
}

// pageSize returns first with 0 meaning DefaultPageSize, or why it is out
// of range. It is the one home of the page size rule of every connection.
func pageSize(first int) (int, error) { return pageSizeUpTo(first, MaxPageSize) }

// pageSizeUpTo is pageSize for a connection that takes pages up to most
// (an artifact's files: MaxArtifactPageSize).
func pageSizeUpTo(first, most int) (int, error) {
	if first == 0 {
		return DefaultPageSize, nil
	}
	if first < 1 || first > most {
		return first, fmt.Errorf("page size %d is out of range: want 1 to %d", first, most)
	}
	return first, nil
}

// pager is any page the client returns.
type pager interface{ Info() PageInfo }

// walkPages yields the page fetch returns for after, then for each page's
// end cursor while there are more. A page that claims more but ends at a
// cursor already sent is an error wrapping ErrCursorStuck (CursorTrail).
// The walk ends after the last page or after yielding an error, and sends
// no request after the loop body stops it.
func walkPages[P pager](after string, fetch func(after string) (P, error)) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		var trail CursorTrail
		var zero P
		for {
			page, err := fetch(after)
			if err == nil {
				err = trail.Check(after, page.Info())
			}
			if err != nil {
				yield(zero, err)
				return
			}
			info := page.Info()
			if !yield(page, nil) || !info.HasNextPage {
				return
			}
			after = info.EndCursor
		}
	}
}

// checkPage is the one-page half of CursorTrail's rule, for a single
// request: a page that claims more but ends at the cursor it was sent.
func checkPage(after string, info PageInfo) error {
	var trail CursorTrail
	return trail.Check(after, info)
}

// RunPages walks every page of the project's runs that q selects, from the
// cursor q.After on, and yields each page (see Runs). A run is never
// yielded twice: a page holds only runs no earlier page held (under the
// heartbeat order a running run can move to a later page). The walk ends
// after the last page, or after yielding an error: a request's, or one
// wrapping ErrCursorStuck. It sends no request after the loop body stops it.
func (c *Client) RunPages(ctx context.Context, entity, project string, q RunsQuery) iter.Seq2[RunsPage, error] {
	return func(yield func(RunsPage, error) bool) {
		seen := map[string]struct{}{}
		walkPages(q.After, func(after string) (RunsPage, error) {
			q.After = after
			page, err := c.Runs(ctx, entity, project, q)
			page.Runs = dropSeen(page.Runs, seen, func(r RunInfo) string { return r.Ref.RunID })
			return page, err
		})(yield)
	}
}

// ProjectPages walks every page of the entity's projects from the cursor
// q.After on, as RunPages walks runs: each project once.
func (c *Client) ProjectPages(ctx context.Context, entity string, q PageQuery) iter.Seq2[ProjectsPage, error] {
	return func(yield func(ProjectsPage, error) bool) {
		seen := map[string]struct{}{}
		walkPages(q.After, func(after string) (ProjectsPage, error) {
			q.After = after
			page, err := c.Projects(ctx, entity, q)
			page.Projects = dropSeen(page.Projects, seen, func(p Project) string { return p.Name })
			return page, err
		})(yield)
	}
}

// dropSeen returns items without those whose key is in seen, and adds the
// keys it keeps to seen. It never writes to the array behind items, and
// returns items itself when it drops nothing.
func dropSeen[T any](items []T, seen map[string]struct{}, key func(T) string) []T {
	var kept []T // nil until the first item is dropped
	for i, it := range items {
		k := key(it)
		if _, dup := seen[k]; dup {
			if kept == nil {
				kept = append(make([]T, 0, len(items)-1), items[:i]...)
			}
			continue
		}
		seen[k] = struct{}{}
		if kept != nil {
			kept = append(kept, it)
		}
	}
	if kept == nil {
		return items
	}
	return kept
}
