package wandb

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/wbfiles/wbfiles/internal/like"
)

// ArtifactListing lists the files of one artifact version with the
// methods a run's files are listed with (Files, FilePages, Preview, the
// TUI's Source), so the same folder, flat and filter views browse it.
//
// An artifact's files connection has no pattern, so the listing selects
// from the manifest (every path in one request, fetched on first use and
// kept): a page is the next q.First paths the query selects, in path
// order, and one files(names:) request for those paths gives their rows
// with URLs. Totals counts a folder from the manifest alone. A listing is
// safe for concurrent use; the RunRef arguments are ignored.
type ArtifactListing struct {
	c    *Client
	info ArtifactInfo

	mu       sync.Mutex
	manifest *Manifest     // nil until a fetch succeeds
	fetch    *manifestCall // the fetch in flight, nil when none
}

// manifestCall is one fetch of the manifest that concurrent callers wait
// for rather than each sending their own.
type manifestCall struct {
	done chan struct{}
	err  error // set before done is closed
}

// A page's paths go in one files(names:) request: a page may hold them all.
const _ = uint(MaxArtifactPageSize - MaxPageSize)

// ArtifactListing returns the listing of artifact version a through c.
// Nothing is fetched until a method asks.
func (c *Client) ArtifactListing(a ArtifactInfo) *ArtifactListing {
	return &ArtifactListing{c: c, info: a}
}

// Files returns one page of the version's files that q selects, as
// Client.Files returns a run's: q.First files (DefaultPageSize when 0, at
// most MaxPageSize) after the cursor q.After, limited to the exact paths
// q.Names or to the paths that match the LIKE pattern q.Pattern
// (MatchLike: the server's rules, case ignored), in path order. Continue
// with After set to EndCursor while HasNextPage is true; a cursor is the
// listing's own, not the server's.
//
// Rows are the server's (signed DirectURL, md5, mimetype, updatedAt,
// digest) with the manifest's word on what it knows: a reference entry is
// marked (Ref set, no URL) even when the server's row is not, and
// BirthArtifactID is set. A path the server does not list keeps its
// manifest row, without URLs, and the page says so in a warning.
//
// A page costs one files request; the first call also fetches the
// manifest, and a failed fetch is tried again by the next call.
func (l *ArtifactListing) Files(ctx context.Context, _ RunRef, q FilesQuery) (FilesPage, error) {
	q, err := q.checked()
	if err != nil {
		return FilesPage{}, err
	}
	after, err := decodeListingCursor(q.After)
	if err != nil {
		return FilesPage{}, err
	}
	m, err := l.loadManifest(ctx)
	if err != nil {
		return FilesPage{}, err
	}
	entries, more := selectEntries(m.Entries, q, after)
	page := FilesPage{HasNextPage: more}
	if len(entries) == 0 {
		return page, nil
	}
	page.EndCursor = encodeListingCursor(entries[len(entries)-1].Path)
	if page.Files, page.Warnings, err = l.rows(ctx, entries); err != nil {
		return FilesPage{}, err
	}
	return page, checkPage(q.After, page.Info())
}

// FilePages walks every page of the files q selects, from q.After on, as
// Client.FilePages walks a run's: a path is never yielded twice, the walk
// ends after the last page or after yielding an error, and no request
// follows a stop.
func (l *ArtifactListing) FilePages(ctx context.Context, run RunRef, q FilesQuery) iter.Seq2[FilesPage, error] {
	return func(yield func(FilesPage, error) bool) {
		seen := map[string]struct{}{}
		walkPages(q.After, func(after string) (FilesPage, error) {
			q.After = after
			page, err := l.Files(ctx, run, q)
			page.Files = DropSeen(page.Files, seen)
			return page, err
		})(yield)
	}
}

// Preview returns the first bytes of f as Client.Preview does: an expired
// signed URL, or a row without one, is asked for again by path once, and
// a reference is an error wrapping ErrReference.
func (l *ArtifactListing) Preview(ctx context.Context, f File, limit int64) ([]byte, bool, error) {
	if f.ArtifactID == "" {
		f.ArtifactID = l.info.ID
	}
	return l.c.Preview(ctx, f, limit)
}

// Totals counts the entries under prefix ("" for the whole version,
// "data/" for a folder) from the manifest: what a download of the folder
// fetches and the references it skips. The prefix is compared exactly (a
// folder pattern, like the server's, ignores case).
func (l *ArtifactListing) Totals(ctx context.Context, prefix string) (ManifestTotals, error) {
	m, err := l.loadManifest(ctx)
	if err != nil {
		return ManifestTotals{}, err
	}
	return m.Totals(prefix), nil
}

// loadManifest returns the manifest, fetching it when no earlier call
// has. Concurrent callers share one fetch; a failure is not kept, so the
// next call fetches again. A caller whose fetch another caller's context
// ended fetches for itself.
func (l *ArtifactListing) loadManifest(ctx context.Context) (*Manifest, error) {
	if l.info.ID == "" {
		return nil, fmt.Errorf("%w: no artifact id given", ErrArtifactNotFound)
	}
	for {
		l.mu.Lock()
		if m := l.manifest; m != nil {
			l.mu.Unlock()
			return m, nil
		}
		if call := l.fetch; call != nil {
			l.mu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if call.err != nil && !(isContextError(call.err) && ctx.Err() == nil) {
				return nil, call.err
			}
			continue
		}
		call := &manifestCall{done: make(chan struct{})}
		l.fetch = call
		l.mu.Unlock()

		m, err := l.c.ArtifactManifest(ctx, l.info)
		if err != nil {
			err = fmt.Errorf("cannot list the files without the manifest: %w", err)
		}
		l.mu.Lock()
		l.fetch = nil
		if err == nil {
			l.manifest = &m
		}
		l.mu.Unlock()
		call.err = err
		close(call.done)
		if err != nil {
			return nil, err
		}
		return &m, nil
	}
}

// isContextError reports an error of a context that ended.
func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// selectEntries returns the first q.First entries after the path after
// that q selects, and whether more follow. entries are sorted by path.
func selectEntries(entries []ManifestEntry, q FilesQuery, after string) ([]ManifestEntry, bool) {
	start := 0
	if after != "" {
		start = sort.Search(len(entries), func(i int) bool { return entries[i].Path > after })
	}
	switch {
	case len(q.Names) > 0:
		idx := make([]int, 0, len(q.Names))
		for _, name := range q.Names {
			i := sort.Search(len(entries), func(i int) bool { return entries[i].Path >= name })
			if i >= start && i < len(entries) && entries[i].Path == name {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		out := make([]ManifestEntry, 0, min(len(idx), q.First))
		for _, i := range idx[:min(len(idx), q.First)] {
			out = append(out, entries[i])
		}
		return out, len(idx) > q.First
	case q.Pattern != "":
		p := like.Compile(q.Pattern)
		var out []ManifestEntry
		for i := start; i < len(entries); i++ {
			if !p.Match(entries[i].Path) {
				continue
			}
			if len(out) == q.First {
				return out, true
			}
			out = append(out, entries[i])
		}
		return out, false
	}
	end := min(start+q.First, len(entries))
	return entries[start:end:end], end < len(entries)
}

// rows returns the File rows of entries: the server's, asked for by path
// in one request (more only should the server page its answer), with what
// the manifest knows laid over them, and the page's warnings.
func (l *ArtifactListing) rows(ctx context.Context, entries []ManifestEntry) ([]File, []string, error) {
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Path
	}
	byName := make(map[string]File, len(entries))
	var warnings []string
	for page, err := range l.c.ArtifactFilePages(ctx, l.info.ID, ArtifactFilesQuery{Names: names, First: len(names)}) {
		if err != nil {
			return nil, nil, err
		}
		warnings = append(warnings, page.Warnings...)
		for _, f := range page.Files {
			byName[f.Name] = f
		}
	}
	files := make([]File, len(entries))
	var missing []string
	for i, e := range entries {
		f, ok := byName[e.Path]
		if !ok {
			f = Manifest{Entries: []ManifestEntry{e}}.Files(l.info.ID)[0]
			missing = append(missing, e.Path)
		}
		files[i] = withManifestEntry(f, e, l.info.ID)
	}
	if len(missing) > 0 {
		warnings = append(warnings, fmt.Sprintf("the server did not list %d of the manifest's files (%s): they have no download URL",
			len(missing), strings.Join(missing[:min(len(missing), 3)], ", ")))
	}
	return files, warnings, nil
}

// withManifestEntry lays the manifest's entry e over f, the server's row of
// the same path: a reference by either account is one (the manifest's URI
// first) and has no URL; a size, digest or md5 the server left out is the
// manifest's.
func withManifestEntry(f File, e ManifestEntry, artifactID string) File {
	f.ArtifactID = artifactID
	f.BirthArtifactID = e.BirthArtifactID
	if f.Digest == "" {
		f.Digest = e.Digest
	}
	if f.SizeBytes < 0 {
		f.SizeBytes = e.Size
	}
	if e.Ref != "" {
		f.Ref = e.Ref
	}
	if f.IsReference() {
		f.URL, f.DirectURL, f.PathURI, f.MD5 = "", "", "", ""
	} else if f.MD5 == "" {
		f.MD5 = e.Digest
	}
	return f
}

// listingCursorPrefix marks the listing's cursors, so that one from
// elsewhere (a server's) is refused rather than misread.
const listingCursorPrefix = "manifest:"

// encodeListingCursor returns the cursor of the page that ends at path.
func encodeListingCursor(path string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(listingCursorPrefix + path))
}

// decodeListingCursor returns the path a cursor ends at ("" for none).
func decodeListingCursor(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	path, ok := strings.CutPrefix(string(raw), listingCursorPrefix)
	if err != nil || !ok || path == "" {
		return "", fmt.Errorf("%.40q is not a cursor of an artifact's file listing", cursor)
	}
	return path, nil
}
