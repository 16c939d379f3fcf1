package model

// shown is the rows a list shows, as indices into its loaded items, with
// the cursor and the window of visible rows over them: the one home of
// cursor movement for every list (files, folders, runs, projects).
type shown struct {
	rows   []int // indices of the shown items, in display order
	cursor int   // index into rows
	offset int   // first visible row
	height int   // visible rows; at least 1
}

// Len returns the number of rows shown (after narrowing).
func (l *shown) Len() int { return len(l.rows) }

// Cursor returns the row under the cursor.
func (l *shown) Cursor() int { return l.cursor }

// SetHeight sets how many rows are visible.
func (l *shown) SetHeight(h int) {
	l.height = max(h, 1)
	l.clampOffset()
}

// Height returns how many rows are visible.
func (l *shown) Height() int { return max(l.height, 1) }

// Move moves the cursor by delta rows, clamped to the shown rows.
func (l *shown) Move(delta int) {
	l.SetCursor(l.cursor + delta)
}

// SetCursor puts the cursor on row i, clamped to the shown rows.
func (l *shown) SetCursor(i int) {
	l.cursor = max(min(i, len(l.rows)-1), 0)
	l.clampOffset()
}

// PageDown moves one screen down.
func (l *shown) PageDown() { l.Move(l.Height()) }

// PageUp moves one screen up.
func (l *shown) PageUp() { l.Move(-l.Height()) }

// Top moves to the first row.
func (l *shown) Top() { l.SetCursor(0) }

// Bottom moves to the last loaded row.
func (l *shown) Bottom() { l.SetCursor(len(l.rows) - 1) }

// Window returns the range [start, end) of rows to draw.
func (l *shown) Window() (start, end int) {
	return l.offset, min(l.offset+l.Height(), len(l.rows))
}

// NearEnd reports whether the cursor is within one screen of the last
// loaded row, the point where the next page should be requested.
func (l *shown) NearEnd() bool {
	return len(l.rows)-1-l.cursor < l.Height()
}

// clampOffset keeps the cursor inside the window and the window inside
// the rows, scrolling as little as possible.
func (l *shown) clampOffset() {
	h := l.Height()
	if l.cursor >= len(l.rows) {
		l.cursor = max(len(l.rows)-1, 0)
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(min(l.offset, len(l.rows)-h), 0)
}

// currentIndex returns the item under the cursor.
func (l *shown) currentIndex() (int, bool) {
	if l.cursor >= len(l.rows) {
		return 0, false
	}
	return l.rows[l.cursor], true
}

// moveTo puts the cursor on the row of item fi, when it is shown. It is
// O(rows) and runs only after the rows changed, never on a key press.
func (l *shown) moveTo(fi int) {
	for i, r := range l.rows {
		if r == fi {
			l.cursor = i
			l.clampOffset()
			return
		}
	}
}
