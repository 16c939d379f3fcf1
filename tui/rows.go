package tui

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb/runner"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Column widths in cells, each with its one-cell gap to the column on its
// left. The name takes what is left.
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

// fileRow is one file as its row shows it: the file, its selection mark
// and its download job, if it has one.
type fileRow struct {
	file   wandb.File
	mark   string
	job    runner.Job
	hasJob bool
	// label is the name shown when it is not the file's whole path: its
	// name within the folder shown, or a subfolder's ("step_1/").
	label string
	// dir marks a subfolder's row; tally is what is loaded under it,
	// exact when that is all of it.
	dir   bool
	tally model.Tally
	exact bool
}

// name is the row's name as shown.
func (r fileRow) name() string {
	if r.label != "" {
		return r.label
	}
	return r.file.Name
}

// sizeText is the file's size, or the loaded size under a subfolder.
func (r fileRow) sizeText() string {
	if r.dir {
		return termtext.AtLeast(termtext.Bytes(r.tally.Bytes), r.exact && r.tally.Unknown == 0)
	}
	return sizeText(r.file)
}

// folderRows adapts a folder's entries to the table.
type folderRows struct {
	*model.Folder
	decorate func(wandb.File) fileRow // nil: no mark, no job
}

// Row returns the entry at i as a row.
func (r folderRows) Row(i int) fileRow {
	e := r.Folder.Row(i)
	if e.Dir {
		return fileRow{label: e.Name, dir: true, tally: e.Tally, exact: r.AllLoaded()}
	}
	row := fileRow{file: e.File}
	if r.decorate != nil {
		row = r.decorate(e.File)
	}
	row.label = e.Name
	return row
}

// fileRows adapts the browser's list to the table, decorating each row it
// draws (only the visible window is ever asked for).
type fileRows struct {
	*model.Browser
	decorate func(wandb.File) fileRow // nil: no mark, no job
}

// Row returns the file at i with its mark and job.
func (r fileRows) Row(i int) fileRow {
	f := r.Browser.Row(i)
	if r.decorate == nil {
		return fileRow{file: f}
	}
	return r.decorate(f)
}

// stateText is the state column's text of a row: "", or the job's state.
func (r fileRow) stateText() string {
	if !r.hasJob {
		return ""
	}
	return jobStateText(r.job)
}

// fileFrame is what the file columns need of the frame being drawn.
type fileFrame struct {
	needle model.Needle
	now    time.Time
}

// fileColumns are the columns of the files list. Narrow terminals drop
// the type below 100 cells and the updated time below 80; the name always
// stays with the size. The download state stays at every width (it is
// what a row is watched for while downloading), in short words below 70
// cells. The frame's needle highlights the narrowing match in names; its
// clock dates the updated times.
func fileColumns(s Styles, fr *fileFrame, withState bool) []Column[fileRow] {
	cols := []Column[fileRow]{
		{Width: markWidth, Draw: func(r fileRow, w int, atCursor bool) string {
			switch {
			case r.mark != "":
				return styledCell(s, s.Mark, termtext.Pad(r.mark, w), atCursor)
			case atCursor:
				return s.Selected.Render(strings.Repeat(" ", w))
			}
			return strings.Repeat(" ", w)
		}},
		{Title: "NAME", Draw: func(r fileRow, w int, atCursor bool) string {
			if r.dir {
				return renderFolder(s, atCursor, r, fr.needle, w)
			}
			return renderName(s, atCursor, termtext.Safe(r.name()), fr.needle, w)
		}},
		{Title: "SIZE", Width: sizeWidth, Lead: 1, Right: true, Text: fileRow.sizeText},
		{Title: "TYPE", Width: typeWidth, Lead: 1, MinTable: 100, Text: func(r fileRow) string {
			if r.dir {
				return "folder"
			}
			return shortType(r.file)
		}},
		{Title: "UPDATED", Width: updatedWidth, Lead: 1, MinTable: 80, Text: func(r fileRow) string {
			if r.dir {
				return termtext.Ago(r.tally.Newest, fr.now)
			}
			return termtext.Ago(r.file.UpdatedAt, fr.now)
		}},
	}
	if withState {
		cols = append(cols,
			Column[fileRow]{Title: "STATE", Width: stateWidth, Lead: 1, MinTable: 70, Text: fileRow.stateText},
			Column[fileRow]{Title: "STATE", Width: compactStateWidth, Lead: 1, MaxTable: 70, Text: compactState},
		)
	}
	return cols
}

// renderFolder draws a subfolder's name and how many files are loaded
// under it ("step_1/  ≥ 1,204 files") in exactly width cells; the count
// goes first when the room runs out.
func renderFolder(s Styles, atCursor bool, r fileRow, needle model.Needle, width int) string {
	if width <= 0 {
		return ""
	}
	name := termtext.Safe(r.label)
	count := "  " + termtext.AtLeast(termtext.Count(r.tally.Files, "file"), r.exact)
	nw, cw := termtext.Width(name), termtext.Width(count)
	if nw+cw > width {
		count, cw = "", 0
	}
	base := lipgloss.NewStyle()
	if atCursor {
		base = s.Selected
	}
	var b strings.Builder
	text := termtext.Fit(name, width-cw)
	st, hi := s.Folder.Inherit(base), s.Match.Inherit(base)
	if start, end, ok := needle.Match(text); ok && end > start {
		b.WriteString(st.Render(text[:start]) + hi.Render(text[start:end]) + st.Render(text[end:]))
	} else {
		b.WriteString(st.Render(text))
	}
	b.WriteString(s.Subtle.Inherit(base).Render(count))
	if pad := width - termtext.Width(text) - cw; pad > 0 {
		b.WriteString(base.Render(strings.Repeat(" ", pad)))
	}
	return b.String()
}

// renderName draws name in exactly width cells: the folder part dimmed,
// the narrowing match highlighted, and, when too long, shortened in the
// middle so the end of the file name stays visible.
func renderName(s Styles, selected bool, name string, needle model.Needle, width int) string {
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
var compactStates = [...]string{
	runner.Queued:    "wait",
	runner.Done:      "done",
	runner.UpToDate:  "same",
	runner.Failed:    "fail",
	runner.Cancelled: "stop",
}

// compactState is a row's state in compactStateWidth-1 cells: a running
// job's percentage, or its byte count (size unknown) as the number and the
// unit's first letter ("1.2M"); the other states in a short word.
func compactState(r fileRow) string {
	if !r.hasJob {
		return ""
	}
	if r.job.State != runner.Running {
		if int(r.job.State) < len(compactStates) && compactStates[r.job.State] != "" {
			return compactStates[r.job.State]
		}
		return r.job.State.String()
	}
	switch {
	case r.job.Progress.Retry > 0:
		return "retry"
	case r.job.Progress.Stalled:
		return "stall"
	}
	s, w := jobStateText(r.job), compactStateWidth-1
	if termtext.Width(s) <= w {
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
	if f.IsReference() {
		return "ref" // stored outside W&B: never downloaded
	}
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
