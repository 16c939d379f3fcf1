package model

import (
	"cmp"
	"strings"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// Entry is one row of a folder: a subfolder, with what is loaded under
// it, or a file of the folder itself.
type Entry struct {
	// Name is the entry's name within the folder; a subfolder's ends in
	// "/".
	Name string
	// Dir is set for a subfolder.
	Dir bool
	// File is the file, for a file row.
	File wandb.File
	// Tally is what is loaded under a subfolder.
	Tally
}

// Key identifies the entry within its folder.
func (e Entry) Key() string { return e.Name }

// Tally is what is known of a set of files from the pages loaded so far.
type Tally struct {
	Files int
	// Bytes is the sum of the sizes known; Unknown counts the files of
	// unknown size.
	Bytes   int64
	Unknown int
	// Newest is the latest update time among them (zero when none known).
	Newest time.Time
}

// add counts f.
func (t *Tally) add(f wandb.File) {
	t.Files++
	if f.SizeKnown() {
		t.Bytes += f.SizeBytes
	} else {
		t.Unknown++
	}
	if f.UpdatedAt.After(t.Newest) {
		t.Newest = f.UpdatedAt
	}
}

// compareEntries puts subfolders first, by name, then files in the
// order the server sent them.
func compareEntries(a, b Entry) int {
	switch {
	case a.Dir && !b.Dir:
		return -1
	case !a.Dir && b.Dir:
		return 1
	case a.Dir:
		return cmp.Compare(a.Name, b.Name)
	}
	return 0
}

// Folder is one level of a run's files seen as folders. The API has no
// call that lists one level, only files(pattern:), so the folder asks
// for the files under it (pattern "folder/%", escaped) page by page as
// the cursor nears the end, and derives its subfolders and files from
// the names loaded: a subfolder's counts are lower bounds until every
// page has arrived. The top level ("") is the unfiltered listing. A
// server filter (typed text or a glob) applies within the folder.
type Folder struct {
	*Pager[Entry]
	// Path is the folder's path, "" at the top or ending in "/".
	Path string
	// PageSize is the number of files asked per page.
	PageSize int

	filterText string
	tally      Tally               // every file loaded under the folder
	seen       map[string]struct{} // the names loaded
	files      []wandb.File        // every file loaded under the folder
	runFiles   int                 // the run's file count, or -1
	// idle is set when the last page added no row (its files all went
	// into subfolders already shown): the folder then asks for no more
	// pages on its own, only on LoadMore.
	idle bool
	// wide is set by LoadMore: from then on pages are of the largest
	// size, so finding the next subfolder past one of thousands of files
	// takes a key press or two, not dozens.
	wide bool
}

// NewFolder returns the folder path of a run that has runFiles files (-1
// when unknown), not loaded yet.
func NewFolder(path string, pageSize, runFiles int) *Folder {
	items := NewItems(Entry.Key, func(e Entry) string { return e.Name }, compareEntries)
	return &Folder{Pager: NewPager(items), Path: path, PageSize: pageSize, runFiles: runFiles}
}

// Pattern returns the LIKE pattern of the folder's listing: its files,
// within the server filter when one is set; "" for the whole run.
func (f *Folder) Pattern() string {
	if f.Path == "" && f.filterText == "" {
		return ""
	}
	return wandb.EscapeLike(f.Path) + cmp.Or(wandb.GlobToLike(f.filterText), "%")
}

// Query returns the files query for request r.
func (f *Folder) Query(r PageRequest) wandb.FilesQuery {
	first := f.PageSize
	if f.wide {
		first = wandb.MaxPageSize
	}
	return wandb.FilesQuery{First: first, After: r.After, Pattern: f.Pattern()}
}

// ReceiveFiles records the answer to a page request (see Pager.Receive):
// each file under the folder becomes or updates an entry. Files outside
// the folder (LIKE ignores case; a server may err) are left out.
func (f *Folder) ReceiveFiles(gen int, page wandb.FilesPage, err error) bool {
	if !f.Done(gen, page.Info(), err) {
		return false
	}
	if f.Err() != nil {
		return true
	}
	if f.seen == nil {
		f.seen = map[string]struct{}{}
	}
	rows := make([]Entry, 0, len(page.Files))
	dirs := map[string]int{} // index in rows of a subfolder updated by this page
	// A file loaded before is counted once.
	for _, file := range wandb.DropSeen(page.Files, f.seen) {
		rest, ok := strings.CutPrefix(file.Name, f.Path)
		if !ok || rest == "" {
			continue
		}
		f.tally.add(file)
		f.files = append(f.files, file)
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			rows = append(rows, Entry{Name: rest, File: file})
			continue
		}
		name := rest[:i+1]
		at, ok := dirs[name]
		if !ok {
			e, _ := f.Get(name)
			e.Name, e.Dir = name, true
			at = len(rows)
			dirs[name] = at
			rows = append(rows, e)
		}
		rows[at].add(file)
	}
	before := f.Loaded()
	f.Append(rows...)
	f.idle = f.Loaded() == before
	return true
}

// WantPage is Pager.WantPage, but for a folder whose last page added no
// row: a level of a few subfolders over many files would otherwise ask
// for every page to draw its few rows, since its cursor is always near
// their end. Its counts stay lower bounds until LoadMore.
func (f *Folder) WantPage() (PageRequest, bool) {
	if f.idle {
		return PageRequest{}, false
	}
	return f.Pager.WantPage()
}

// LoadMore lets the folder ask for its next page (the user went to its
// end to see more), and makes its pages the largest from then on.
func (f *Folder) LoadMore() {
	if f.idle {
		f.wide = true
	}
	f.idle = false
}

// Idle reports whether the folder waits for LoadMore while pages remain.
func (f *Folder) Idle() bool { return f.idle && f.HasNext() && f.Err() == nil }

// SetServerFilter lists only the files under the folder whose path within
// it contains text (or matches it, a glob); "" lists them all again. The
// loaded entries are dropped and paging starts over.
func (f *Folder) SetServerFilter(text string) {
	if text == f.filterText {
		return
	}
	f.filterText = text
	f.tally, f.seen, f.files, f.idle = Tally{}, nil, nil, false
	f.SetNarrowing("")
	f.Restart()
}

// FilterText returns the active server filter's text.
func (f *Folder) FilterText() string { return f.filterText }

// Tally returns what is loaded under the folder, and whether it is all
// of it (every page arrived): until then the counts are lower bounds.
func (f *Folder) Tally() (Tally, bool) {
	return f.tally, f.AllLoaded()
}

// Total returns the number of files under the folder when known: the
// run's count at the top level without a filter, the loaded count once
// every page has arrived, else -1.
func (f *Folder) Total() int {
	switch {
	case f.AllLoaded():
		return f.tally.Files
	case f.Path == "" && f.filterText == "":
		return f.runFiles
	}
	return -1
}

// FilesUnder returns the loaded files whose path starts with path (a
// subfolder's, from Child), in load order. It walks every loaded file,
// for a detail view, never for a frame.
func (f *Folder) FilesUnder(path string) []wandb.File {
	var out []wandb.File
	for _, file := range f.files {
		if strings.HasPrefix(file.Name, path) {
			out = append(out, file)
		}
	}
	return out
}

// Child returns the path of subfolder e.
func (f *Folder) Child(e Entry) string { return f.Path + e.Name }
