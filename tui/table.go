package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
)

// Cursor is a list's cursor and visible window; model.List implements it.
// The table moves it and draws the rows of its window.
type Cursor interface {
	Len() int
	Cursor() int
	Window() (start, end int)
	Height() int
	SetHeight(rows int)
	Move(delta int)
	PageUp()
	PageDown()
	Top()
	Bottom()
}

// Rows is a Cursor over rows of type R: the files of a run today, runs,
// projects and artifacts tomorrow.
type Rows[R any] interface {
	Cursor
	Row(i int) R
}

// Column is one column of a Table over rows of type R.
type Column[R any] struct {
	// Title is the column's heading.
	Title string
	// Width is the column's width in cells, Lead included; 0 makes it the
	// flexible column, which takes what the others leave (at least 8).
	Width int
	// Lead is how many blank cells start the column (its gap to the
	// previous one).
	Lead int
	// MinTable and MaxTable show the column only when the table is at
	// least MinTable and, when MaxTable is set, less than MaxTable cells
	// wide: narrow terminals drop columns.
	MinTable, MaxTable int
	// Right aligns the text to the right.
	Right bool
	// Text is the cell's plain text; the table pads or cuts it.
	Text func(r R) string
	// Draw, when set, replaces Text: it renders the cell itself, exactly
	// width cells wide, styled (atCursor: on the cursor row, whose style
	// it must inherit).
	Draw func(r R, width int, atCursor bool) string
}

// Table draws rows of type R in columns and moves the cursor through
// them: one component for every list of the program. Its rows and cursor
// live in the model; the table holds only how to draw them.
type Table[R any] struct {
	rows   Rows[R]
	cols   []Column[R] // every column; layout picks those that fit
	shown  []Column[R] // the columns of the current width, flexible one sized
	width  int
	styles Styles
	keys   keymap.KeyMap
	// marker draws a '>' before the cursor row, in a cell of its own, for
	// terminals that show no reverse video (TERM=dumb).
	marker bool
}

// NewTable returns a table over rows with the given columns.
func NewTable[R any](rows Rows[R], cols []Column[R], c common) Table[R] {
	t := Table[R]{rows: rows, cols: cols}
	t.SetCommon(c, rows.Height())
	return t
}

// SetCommon takes the width, styles and keys, and how many rows fit.
func (t *Table[R]) SetCommon(c common, height int) {
	t.width, t.styles, t.keys, t.marker = c.width, c.styles, c.keys, c.plain
	t.rows.SetHeight(height)
	t.layout()
}

// SetRows replaces the row source (a view that shows one of several
// lists of the same kind of row, as a run's folders and its flat list).
func (t *Table[R]) SetRows(rows Rows[R]) {
	rows.SetHeight(t.rows.Height())
	t.rows = rows
}

// SetColumns replaces the column set (a view whose columns depend on its
// state, as the files' download state column does).
func (t *Table[R]) SetColumns(cols []Column[R]) {
	t.cols = cols
	t.layout()
}

// layout picks the columns that fit the width and sizes the flexible one.
func (t *Table[R]) layout() {
	t.shown = t.shown[:0]
	used, flex := 0, -1
	for _, c := range t.cols {
		if t.width < c.MinTable || (c.MaxTable > 0 && t.width >= c.MaxTable) {
			continue
		}
		if c.Width == 0 {
			flex = len(t.shown)
		}
		used += c.Width
		t.shown = append(t.shown, c)
	}
	if t.marker && len(t.shown) > 0 && t.shown[0].Width >= 2 {
		// The marker takes the first cell of the first column.
		t.shown[0].Width--
	}
	if flex >= 0 {
		t.shown[flex].Width = max(t.width-used, 8)
	}
}

// markerCell is the cell the marker takes before every row: '>' on the
// cursor row, a blank on the others; "" without a marker.
func (t Table[R]) markerCell(atCursor bool) string {
	switch {
	case !t.marker:
		return ""
	case atCursor:
		return ">"
	}
	return " "
}

// Update moves the cursor on the movement keys; other messages change
// nothing.
func (t Table[R]) Update(msg tea.Msg) (Table[R], tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return t, nil
	}
	k := t.keys
	switch {
	case key.Matches(kp, k.Up):
		t.rows.Move(-1)
	case key.Matches(kp, k.Down):
		t.rows.Move(1)
	case key.Matches(kp, k.PageUp):
		t.rows.PageUp()
	case key.Matches(kp, k.PageDown):
		t.rows.PageDown()
	case key.Matches(kp, k.Top):
		t.rows.Top()
	case key.Matches(kp, k.Bottom):
		t.rows.Bottom()
	}
	return t, nil
}

// HeaderView is the line of column titles.
func (t Table[R]) HeaderView() string {
	var b strings.Builder
	b.WriteString(t.markerCell(false))
	for _, c := range t.shown {
		b.WriteString(strings.Repeat(" ", c.Lead))
		b.WriteString(cellText(c, c.Title))
	}
	return t.styles.Header.Render(b.String())
}

// View draws the rows of the window, one line each, without a trailing
// newline; "" when there are none. Its cost depends on the window's
// height, not on how many rows there are.
func (t Table[R]) View() string {
	start, end := t.rows.Window()
	cur := t.rows.Cursor()
	var b strings.Builder
	for i := start; i < end; i++ {
		if i > start {
			b.WriteByte('\n')
		}
		b.WriteString(t.RowView(t.rows.Row(i), i == cur))
	}
	return b.String()
}

// RowView draws one row exactly the table's width wide.
func (t Table[R]) RowView(r R, atCursor bool) string {
	var b strings.Builder
	b.Grow(t.width + 64)
	b.WriteString(t.markerCell(atCursor))
	// Plain cells are written without a Render call, runs of them styled
	// once on the cursor row: styling costs more than everything else in
	// a frame.
	var plain strings.Builder
	flush := func() {
		if plain.Len() == 0 {
			return
		}
		if atCursor {
			b.WriteString(t.styles.Selected.Render(plain.String()))
		} else {
			b.WriteString(plain.String())
		}
		plain.Reset()
	}
	for _, c := range t.shown {
		lead := strings.Repeat(" ", c.Lead)
		if c.Draw != nil {
			plain.WriteString(lead)
			flush()
			b.WriteString(c.Draw(r, c.Width-c.Lead, atCursor))
			continue
		}
		plain.WriteString(lead)
		plain.WriteString(cellText(c, c.Text(r)))
	}
	flush()
	return b.String()
}

// cellText pads or cuts s to the column's width less its lead.
func cellText[R any](c Column[R], s string) string {
	w := c.Width - c.Lead
	if c.Right {
		return termtext.PadLeft(s, w)
	}
	return termtext.Pad(s, w)
}

// styledCell renders text with st on the cursor row's style when
// atCursor, for Draw functions.
func styledCell(s Styles, st lipgloss.Style, text string, atCursor bool) string {
	if atCursor {
		st = st.Inherit(s.Selected)
	}
	return st.Render(text)
}
