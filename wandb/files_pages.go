package wandb

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// FilePages walks every page of the run's files that q selects, from the
// cursor q.After on, in pages of q.First (see Files), and yields each page.
// Select-all, downloads of a whole pattern and headless listings use it;
// it walks with walkPages, the one loop over pages of any kind.
//
// A name is never yielded twice: a page holds only names no earlier page
// held, so a server that repeats itself yields short or empty pages. The
// walk ends after the last page, or after yielding an error: a request's
// (as Files returns them, the context's included), or one wrapping
// ErrCursorStuck when a page claims more but ends at a cursor already
// sent. It sends no request after the loop body stops it.
func (c *Client) FilePages(ctx context.Context, run RunRef, q FilesQuery) iter.Seq2[FilesPage, error] {
	return func(yield func(FilesPage, error) bool) {
		seen := map[string]struct{}{}
		walkPages(q.After, func(after string) (FilesPage, error) {
			q.After = after
			page, err := c.Files(ctx, run, q)
			page.Files = DropSeen(page.Files, seen)
			return page, err
		})(yield)
	}
}

// ErrCursorStuck means the server claimed more pages but answered with a
// page cursor that does not advance: the cursor it was sent, or one sent
// before. Asking again would return the same pages forever, so paging
// stops with an error wrapping it.
var ErrCursorStuck = errors.New("the server's page cursor does not advance")

// CursorTrail is the cursors one walk through a files query has sent. It
// is the one home of the rule that a page's end cursor must move on. The
// zero value is an empty trail; copies share what they have seen.
type CursorTrail struct {
	sent map[string]struct{}
}

// Check records after as sent, and returns an error wrapping
// ErrCursorStuck when page, the answer to the request that sent after,
// claims more pages but ends at a cursor already sent.
func (t *CursorTrail) Check(after string, page PageInfo) error {
	if !page.HasNextPage {
		return nil
	}
	_, seen := t.sent[page.EndCursor]
	if seen || page.EndCursor == after {
		return fmt.Errorf("%w: it answered with more pages to come and a cursor already asked for, so paging stopped rather than load the same files again", ErrCursorStuck)
	}
	if t.sent == nil {
		t.sent = map[string]struct{}{}
	}
	t.sent[after] = struct{}{}
	return nil
}

// DropSeen returns files without those whose name is in seen, and adds the
// names it keeps to seen. It never writes to the array behind files, and
// returns files itself when it drops nothing.
func DropSeen(files []File, seen map[string]struct{}) []File {
	return dropSeen(files, seen, func(f File) string { return f.Name })
}

// NameQueries splits names into queries of at most MaxPageSize exact names
// each (the most one request may carry), each of them one page.
func NameQueries(names []string) []FilesQuery {
	var qs []FilesQuery
	for start := 0; start < len(names); start += MaxPageSize {
		chunk := names[start:min(start+MaxPageSize, len(names))]
		qs = append(qs, FilesQuery{First: MaxPageSize, Names: chunk})
	}
	return qs
}
