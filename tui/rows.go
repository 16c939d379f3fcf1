package tui

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Column widths in cells. The name takes what is left.
const (
	markWidth    = 2
	sizeWidth    = 10
	typeWidth    = 7
	updatedWidth = 15
	stateWidth   = 11
	// compactStateWidth is the state column below 70 cells: room for
	// its title and the short words of compactState.
	compactStateWidth = 6
)

// columns says which optional columns fit the terminal width.
type columns struct {
	name    int
	typ     bool
	updated bool
	state   bool
	// stateW is the state column's width: stateWidth, or
	// compactStateWidth when narrow.
	stateW int
}

// layoutColumns drops columns as the width narrows: the type below 100
// cells, the updated time below 80; the name always stays with the size.
// The download state stays at every width (it is what a row is watched
// for while downloading), in short words below 70 cells.
func layoutColumns(width int, withState bool) columns {
	c := columns{typ: width >= 100, updated: width >= 80, state: withState}
	used := markWidth + sizeWidth
	if c.typ {
		used += typeWidth
	}
	if c.updated {
		used += updatedWidth
	}
	if c.state {
		c.stateW = stateWidth
		if width < 70 {
			c.stateW = compactStateWidth
		}
		used += c.stateW
	}
	c.name = max(width-used, 8)
	return c
}

// headerRow returns the column titles.
func (c columns) headerRow(s *Styles) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", markWidth))
	b.WriteString(termtext.Pad("NAME", c.name))
	b.WriteString(" " + termtext.PadLeft("SIZE", sizeWidth-1))
	if c.typ {
		b.WriteString(termtext.Pad(" TYPE", typeWidth))
	}
	if c.updated {
		b.WriteString(termtext.Pad(" UPDATED", updatedWidth))
	}
	if c.state {
		b.WriteString(termtext.Pad(" STATE", c.stateW))
	}
	return s.Header.Render(b.String())
}

// rowInput is everything one row needs; rows are rendered only for the
// visible window, so their cost does not depend on how many are loaded.
type rowInput struct {
	file     wandb.File
	needle   model.Needle
	selected bool // under the cursor
	mark     string
	state    string
	now      time.Time
}

// renderRow draws one file row exactly c's width wide.
func renderRow(s *Styles, c columns, in rowInput) string {
	// Plain cells of ordinary rows are written without a Render call:
	// styling costs more than everything else in a frame.
	base := lipgloss.NewStyle()
	if in.selected {
		base = s.Selected
	}
	var b strings.Builder
	b.Grow(c.name + 64)
	switch {
	case in.mark != "":
		b.WriteString(s.Mark.Inherit(base).Render(termtext.Pad(in.mark, markWidth)))
	case in.selected:
		b.WriteString(base.Render(strings.Repeat(" ", markWidth)))
	default:
		b.WriteString(strings.Repeat(" ", markWidth))
	}
	b.WriteString(renderName(s, in.selected, termtext.Safe(in.file.Name), in.needle, c.name))
	cells := " " + termtext.PadLeft(sizeText(in.file), sizeWidth-1)
	if c.typ {
		cells += " " + termtext.Pad(shortType(in.file), typeWidth-1)
	}
	if c.updated {
		cells += " " + termtext.Pad(termtext.Ago(in.file.UpdatedAt, in.now), updatedWidth-1)
	}
	if c.state {
		state := in.state
		if c.stateW < stateWidth {
			state = compactState(state)
		}
		cells += " " + termtext.Pad(state, c.stateW-1)
	}
	if in.selected {
		cells = base.Render(cells)
	}
	b.WriteString(cells)
	return b.String()
}

// renderName draws name in exactly width cells: the folder part dimmed,
// the narrowing match highlighted, and, when too long, shortened in the
// middle so the end of the file name stays visible.
func renderName(s *Styles, selected bool, name string, needle model.Needle, width int) string {
	if width <= 0 {
		return ""
	}
	dirEnd := strings.LastIndexByte(name, '/') + 1
	mStart, mEnd, ok := needle.Match(name)
	if !ok || needle.Empty() {
		mStart, mEnd = -1, -1
	}
	var b strings.Builder
	plain, base := true, lipgloss.NewStyle()
	if selected {
		plain, base = false, s.Selected
	}
	dim := s.Subtle.Inherit(base)
	hi := s.Match.Inherit(base)
	// styleAt returns the style at byte i, or nil for unstyled text.
	styleAt := func(i int) *lipgloss.Style {
		switch {
		case i >= mStart && i < mEnd:
			return &hi
		case i < dirEnd:
			return &dim
		case plain:
			return nil
		}
		return &base
	}
	write := func(st *lipgloss.Style, text string) {
		if st == nil {
			b.WriteString(text)
		} else {
			b.WriteString(st.Render(text))
		}
	}
	// render writes name[from:to], switching style at the boundaries.
	render := func(from, to int) {
		cuts := []int{from}
		for _, p := range []int{dirEnd, mStart, mEnd} {
			if p > from && p < to {
				cuts = append(cuts, p)
			}
		}
		cuts = append(cuts, to)
		slices.Sort(cuts)
		for i := 0; i+1 < len(cuts); i++ {
			if cuts[i] < cuts[i+1] {
				write(styleAt(cuts[i]), name[cuts[i]:cuts[i+1]])
			}
		}
	}
	w := ansi.StringWidth(name)
	if w <= width {
		render(0, len(name))
		write(styleAt(len(name)), strings.Repeat(" ", width-w))
		return b.String()
	}
	// The end of a name (file name and extension) tells files apart best:
	// shorten it in the middle.
	head, tail := termtext.MiddleParts(name, w, width)
	render(0, len(head))
	b.WriteString(dim.Render("…"))
	render(len(name)-len(tail), len(name))
	if got := ansi.StringWidth(head) + 1 + ansi.StringWidth(tail); got < width {
		// Wide characters may leave a cell free at a cut.
		write(styleAt(len(name)), strings.Repeat(" ", width-got))
	}
	return b.String()
}

// compactStates are the short words of the download states for the
// narrow state column.
var compactStates = map[string]string{
	"queued":     "wait",
	"running":    "run",
	"done":       "done",
	"up to date": "same",
	"failed":     "fail",
	"cancelled":  "stop",
}

// compactState shortens a state of the state column to compactStateWidth-1
// cells: a percentage stays, a byte count (a running download of unknown
// size) keeps its number and the unit's first letter ("1.2M").
func compactState(s string) string {
	if short, ok := compactStates[s]; ok {
		return short
	}
	w := compactStateWidth - 1
	if ansi.StringWidth(s) <= w {
		return s
	}
	if num, unit, ok := strings.Cut(s, " "); ok && unit != "" && len(num)+1 <= w {
		return num + unit[:1]
	}
	return "run"
}

// sizeText is the humanized size, or "?" when the server did not say.
func sizeText(f wandb.File) string {
	if !f.SizeKnown() {
		return "?"
	}
	return termtext.Bytes(f.SizeBytes)
}

// shortType names the file's type in a few letters: the mimetype's
// subtype without "x-" or "vnd.", the extension for octet-streams.
func shortType(f wandb.File) string {
	mt := f.Mimetype
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	sub := mt[strings.IndexByte(mt, '/')+1:]
	sub = strings.TrimPrefix(strings.TrimPrefix(sub, "x-"), "vnd.")
	if sub == "" || sub == "octet-stream" {
		sub = strings.TrimPrefix(path.Ext(f.Name), ".")
		if sub == "" {
			sub = "bin"
		}
	}
	if short, ok := typeNames[sub]; ok {
		sub = short
	}
	return ansi.Truncate(strings.ToLower(sub), typeWidth-1, "")
}

// typeNames are short names for types whose own names do not fit the
// column (ML checkpoints first: they are what users look for).
var typeNames = map[string]string{
	"plain":       "text",
	"safetensors": "tensor",
	"pt":          "torch",
	"pth":         "torch",
	"ckpt":        "ckpt",
	"javascript":  "js",
	"markdown":    "md",
	"jsonl":       "jsonl",
	"parquet":     "parqt",
}
