package model

// SetHeight sets how many rows are visible.
func (l *List) SetHeight(h int) {
	l.height = max(h, 1)
	l.clampOffset()
}

// Height returns how many rows are visible.
func (l *List) Height() int { return max(l.height, 1) }

// Move moves the cursor by delta rows, clamped to the shown rows.
func (l *List) Move(delta int) {
	l.SetCursor(l.cursor + delta)
}

// SetCursor puts the cursor on row i, clamped to the shown rows.
func (l *List) SetCursor(i int) {
	l.cursor = max(min(i, len(l.rows)-1), 0)
	l.clampOffset()
}

// PageDown moves one screen down.
func (l *List) PageDown() { l.Move(l.Height()) }

// PageUp moves one screen up.
func (l *List) PageUp() { l.Move(-l.Height()) }

// Top moves to the first row.
func (l *List) Top() { l.SetCursor(0) }

// Bottom moves to the last loaded row.
func (l *List) Bottom() { l.SetCursor(len(l.rows) - 1) }

// Window returns the range [start, end) of rows to draw.
func (l *List) Window() (start, end int) {
	return l.offset, min(l.offset+l.Height(), len(l.rows))
}

// NearEnd reports whether the cursor is within one screen of the last
// loaded row, the point where the next page should be requested.
func (l *List) NearEnd() bool {
	return len(l.rows)-1-l.cursor < l.Height()
}

// clampOffset keeps the cursor inside the window and the window inside
// the rows, scrolling as little as possible.
func (l *List) clampOffset() {
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
