package model

import "github.com/wbfiles/wbfiles/wandb"

// List is the loaded files in display order, narrowed by the text typed
// in the filter line, with a cursor and the window of visible rows.
type List struct {
	files []wandb.File        // every loaded file, in load order
	seen  map[string]struct{} // the names in files: none is loaded twice
	order []int               // indices into files, sorted by sortKey

	// shown holds the rows: order narrowed by needle (order itself when
	// none), with the cursor and window over them.
	shown

	sortKey SortKey
	narrow  string
	needle  Needle
}

// Loaded returns the number of loaded files.
func (l *List) Loaded() int { return len(l.files) }

// Row returns the file shown at row i.
func (l *List) Row(i int) wandb.File { return l.files[l.rows[i]] }

// Files returns the loaded files in load order. The slice must not be
// modified.
func (l *List) Files() []wandb.File { return l.files }

// RowFiles returns the files of every shown row (the narrowed list), in
// display order.
func (l *List) RowFiles() []wandb.File {
	out := make([]wandb.File, len(l.rows))
	for i, fi := range l.rows {
		out[i] = l.files[fi]
	}
	return out
}

// Current returns the file under the cursor.
func (l *List) Current() (wandb.File, bool) {
	if l.cursor >= len(l.rows) {
		return wandb.File{}, false
	}
	return l.Row(l.cursor), true
}

// Sort returns the active sort order.
func (l *List) Sort() SortKey { return l.sortKey }

// Narrowing returns the local narrowing text.
func (l *List) Narrowing() string { return l.narrow }

// Needle returns the prepared narrowing text, for highlighting matches.
func (l *List) Needle() Needle { return l.needle }

// Clear drops every loaded file, for a new query.
func (l *List) Clear() {
	l.files, l.order, l.rows, l.seen = nil, nil, nil, nil
	l.cursor, l.offset = 0, 0
}

// Append adds a page of files, but for those whose name is loaded
// already (a server that repeats itself must not grow the list). The
// cursor stays on the same file.
func (l *List) Append(page []wandb.File) {
	if l.seen == nil {
		l.seen = make(map[string]struct{}, len(page))
	}
	page = wandb.DropSeen(page, l.seen)
	if len(page) == 0 {
		return
	}
	cur, hadCur := l.currentIndex()
	first := len(l.files)
	l.files = append(l.files, page...)
	added := make([]int, len(page))
	for i := range added {
		added[i] = first + i
	}
	if l.sortKey == SortServer {
		l.order = append(l.order, added...)
	} else {
		l.sortKey.sortIndices(l.files, added)
		l.order = l.sortKey.merge(l.files, l.order, added)
	}
	if l.sortKey == SortServer && l.needle.Empty() {
		l.rows = l.order
		return // appended at the end: the cursor row is unchanged
	}
	if l.needle.Empty() {
		l.rows = l.order
	} else if l.sortKey == SortServer {
		l.rows = l.appendMatching(l.rows, added)
	} else {
		l.rows = l.appendMatching(nil, l.order)
	}
	if hadCur {
		l.moveTo(cur)
	}
}

// SetSort changes the order of the loaded rows, keeping the cursor on the
// same file.
func (l *List) SetSort(k SortKey) {
	if k == l.sortKey {
		return
	}
	cur, hadCur := l.currentIndex()
	l.sortKey = k
	l.order = make([]int, len(l.files))
	for i := range l.order {
		l.order[i] = i
	}
	k.sortIndices(l.files, l.order)
	l.renarrow()
	if hadCur {
		l.moveTo(cur)
	}
}

// SetNarrowing shows only the rows whose name contains text, ignoring
// case; text with * or ? is a glob over the whole name, as the server
// will apply it when the filter is sent (see NewNeedle). An empty text
// shows every row. The cursor stays on the same file
// when it is still shown, else goes to the first row.
func (l *List) SetNarrowing(text string) {
	if text == l.narrow {
		return
	}
	cur, hadCur := l.currentIndex()
	extends := l.narrow != "" && len(text) > len(l.narrow) && text[:len(l.narrow)] == l.narrow
	l.narrow = text
	l.needle = NewNeedle(text)
	if extends && !l.needle.IsGlob() {
		// Typing one more character can only remove rows.
		l.rows = l.appendMatching(nil, l.rows)
	} else {
		l.renarrow()
	}
	l.cursor, l.offset = 0, 0
	if hadCur {
		l.moveTo(cur)
	}
	l.clampOffset()
}

func (l *List) renarrow() {
	if l.needle.Empty() {
		l.rows = l.order
		return
	}
	l.rows = l.appendMatching(nil, l.order)
}

// appendMatching appends to dst the indices in src whose names match.
func (l *List) appendMatching(dst, src []int) []int {
	for _, fi := range src {
		if _, _, ok := l.needle.Match(l.files[fi].Name); ok {
			dst = append(dst, fi)
		}
	}
	return dst
}
