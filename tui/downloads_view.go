package tui

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb/runner"

	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/model"
)

// Lines of the downloads view around the job rows: title, overall bar,
// column titles above; the detail of the job under the cursor and the
// status or prompt line below.
const (
	downloadsHeadLines = 3
	downloadsFootLines = 2
)

// Widths of the downloads view's columns in cells, each with the space
// before it; the name takes the rest.
const (
	dlCursorWidth = 2
	dlStateWidth  = 11
	dlBytesWidth  = 21 // "1023.9 MiB / 1.2 GiB"
	dlSizeWidth   = 11 // the size alone
	dlSpeedWidth  = 11
	dlLeftWidth   = 9
)

// dlColumns says which columns fit the width.
type dlColumns struct {
	name, bar   int // bar 0: no bar
	bytes       int // dlBytesWidth, dlSizeWidth, or 0: no bytes column
	speed, left bool
}

// layoutDownloadColumns gives the name the room, at least half the width
// (up to 60 cells) from 50 columns on. The state column shows a running
// job's percentage, and the line above the rows the overall speed and time
// left, so each job's time left and bar go first as the width shrinks,
// then its speed; then the bytes narrow to the size alone, then go too
// (80 columns: name and bytes; 60: name and size; 40: the name alone).
func layoutDownloadColumns(width int) dlColumns {
	c := dlColumns{}
	switch {
	case width >= 140:
		c = dlColumns{bar: 20, bytes: dlBytesWidth, speed: true, left: true}
	case width >= 120:
		c = dlColumns{bar: 10, bytes: dlBytesWidth, speed: true}
	case width >= 90:
		c = dlColumns{bytes: dlBytesWidth, speed: true}
	case width >= 72:
		c = dlColumns{bytes: dlBytesWidth}
	case width >= 50:
		c = dlColumns{bytes: dlSizeWidth}
	}
	c.name = max(width-dlCursorWidth-dlStateWidth-c.rest(), 1)
	return c
}

// rest is the width of the columns after the name.
func (c dlColumns) rest() int {
	n := c.bytes + dlSpeedWidth*b2i(c.speed) + dlLeftWidth*b2i(c.left)
	if c.bar > 0 {
		n += c.bar + 1 // and the space after the bar
	}
	return n
}

// jobRows is the number of job rows that fit.
func (d jobsView) jobRows() int {
	return max(d.height-downloadsHeadLines-downloadsFootLines, 1)
}

// View renders the downloads view in the size it was given. Only the
// visible window of jobs is drawn, so its cost does not grow with the
// number of jobs.
func (d jobsView) View(status string) string {
	lines := make([]string, 0, d.height)
	t := d.run.Totals()
	lines = append(lines, d.titleLine(t), d.overallLine(t))
	cols := layoutDownloadColumns(d.width)
	lines = append(lines, d.styles.Header.Render(cols.header()))
	rows := d.jobRows()
	if t.Files == 0 {
		for _, l := range d.emptyHint(rows) {
			lines = append(lines, d.styles.Subtle.Render(l))
		}
	}
	for i, j := range d.run.Jobs(d.offset, rows) {
		lines = append(lines, d.jobRow(j, cols, d.offset+i == d.cursor))
	}
	for len(lines) < d.height-downloadsFootLines {
		lines = append(lines, "")
	}
	lines = append(lines, d.detailLine(), d.styles.Status.Render(termtext.Fit(status, d.width)))
	if len(lines) > d.height {
		lines = lines[:max(d.height, 1)]
	}
	return strings.Join(lines, "\n")
}

// emptyHint says how to start a download, in at most rows lines of the
// view's width, under the names: in full when it fits on a line, else
// shorter and wrapped. It must fit by itself: the root's cut of long lines
// is only a safety net.
func (d jobsView) emptyHint(rows int) []string {
	sel, dl, list := d.keys.Select.Help().Key, d.keys.Download.Help().Key, d.keys.Downloads.Help().Key
	indent := strings.Repeat(" ", dlCursorWidth)
	w := max(d.width-dlCursorWidth, 1)
	hint := "No downloads yet: select files in the list (" + list + ") with " + sel + ", then press " + dl + "."
	if ansi.StringWidth(hint) > w {
		hint = "No downloads yet: select files with " + sel + ", then press " + dl + "."
	}
	lines := strings.Split(ansi.Wrap(hint, w, ""), "\n")
	if len(lines) > rows {
		lines = lines[:rows]
	}
	for i, l := range lines {
		// Wrap cuts a word longer than w (a long key name) in pieces,
		// but a piece may still end in a space.
		lines[i] = indent + termtext.Fit(strings.TrimRight(l, " "), w)
	}
	return lines
}

func (d jobsView) titleLine(t runner.Totals) string {
	// On disk out of all, so cancelled and failed jobs never read as done.
	parts := []string{
		fmt.Sprintf("%s of %s done", termtext.Comma(int64(t.Done+t.UpToDate)), termtext.Comma(int64(t.Files))),
	}
	if t.Running > 0 {
		parts = append(parts, fmt.Sprintf("%d running", t.Running))
	}
	if t.Queued > 0 {
		parts = append(parts, termtext.Comma(int64(t.Queued))+" queued")
	}
	if t.Failed > 0 {
		parts = append(parts, d.styles.Error.Render(termtext.Comma(int64(t.Failed))+" failed"))
	}
	if t.Cancelled > 0 {
		parts = append(parts, termtext.Comma(int64(t.Cancelled))+" cancelled")
	}
	line := d.styles.Title.Render("Downloads") + "  " + strings.Join(parts, " · ") +
		d.styles.Subtle.Render("  → "+d.dest)
	return termtext.Fit(line, d.width)
}

// overallLine is the bar of all jobs with the bytes, speed and time left.
// As the width shrinks, the words go before the bar does: first the count
// of files of unknown size (a "+" tells there are some), then the time
// left, then the speed.
func (d jobsView) overallLine(t runner.Totals) string {
	done := " " + termtext.Bytes(t.BytesDone) + " / "
	sizes := []string{termtext.Size(t.BytesTotal, t.UnknownSize)}
	if t.UnknownSize > 0 {
		sizes = append(sizes, termtext.Bytes(t.BytesTotal)+"+")
	}
	var speeds []string
	if t.Running > 0 {
		sp := " · " + termtext.Speed(t.Speed)
		if t.ETA >= 0 {
			speeds = append(speeds, sp+" · "+termtext.Duration(t.ETA)+" left")
		}
		speeds = append(speeds, sp)
	}
	speeds = append(speeds, "")
	texts := []string{done + sizes[0] + speeds[0]}
	for _, sp := range speeds {
		texts = append(texts, done+sizes[len(sizes)-1]+sp)
	}
	for _, text := range texts {
		if barWidth := d.width - ansi.StringWidth(text); barWidth >= 10 {
			return d.bars.view(barWidth, t.Fraction()) + text
		}
	}
	return termtext.Fit(texts[len(texts)-1], d.width)
}

func (c dlColumns) header() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", dlCursorWidth))
	b.WriteString(termtext.Pad("STATE", dlStateWidth))
	b.WriteString(termtext.Pad("NAME", c.name))
	if c.bar > 0 {
		b.WriteString(strings.Repeat(" ", c.bar+1))
	}
	switch c.bytes {
	case dlBytesWidth:
		b.WriteString(termtext.PadLeft("BYTES", c.bytes))
	case dlSizeWidth:
		b.WriteString(termtext.PadLeft("SIZE", c.bytes))
	}
	if c.speed {
		b.WriteString(termtext.PadLeft("SPEED", dlSpeedWidth))
	}
	if c.left {
		b.WriteString(termtext.PadLeft("LEFT", dlLeftWidth))
	}
	return b.String()
}

// jobRow renders one job in the columns c.
func (d jobsView) jobRow(j runner.Job, c dlColumns, atCursor bool) string {
	var b strings.Builder
	if atCursor {
		b.WriteString("> ")
	} else {
		b.WriteString("  ")
	}
	state := termtext.Pad(jobStateText(j), dlStateWidth)
	switch j.State {
	case runner.Failed:
		state = d.bars.styled(d.styles.Error, dlStyleError, state)
	case runner.Done, runner.UpToDate:
		state = d.bars.styled(d.styles.Mark, dlStyleMark, state)
	case runner.Queued, runner.Cancelled:
		state = d.bars.styled(d.styles.Subtle, dlStyleSubtle, state)
	}
	b.WriteString(state)
	b.WriteString(d.jobName(d.shownName(j), c.name-1, atCursor))
	if atCursor {
		b.WriteString(d.styles.Selected.Render(" "))
	} else {
		b.WriteByte(' ')
	}

	rest := c.rest()
	if j.State == runner.Failed {
		b.WriteString(d.bars.styled(d.styles.Error, dlStyleError, termtext.Pad(runner.ShortReason(j.Err), rest)))
		return b.String()
	}
	if c.bar > 0 {
		f, ok := j.Fraction()
		if !ok {
			f = 0
		}
		b.WriteString(d.bars.view(c.bar, f) + " ")
	}
	switch c.bytes {
	case dlBytesWidth:
		b.WriteString(termtext.PadLeft(dlBytes(j), c.bytes))
	case dlSizeWidth:
		b.WriteString(termtext.PadLeft(dlSize(j), c.bytes))
	}
	if c.speed {
		sp := ""
		if j.State == runner.Running && j.Speed > 0 {
			sp = termtext.Speed(j.Speed)
		}
		b.WriteString(termtext.PadLeft(sp, dlSpeedWidth))
	}
	if c.left {
		left := ""
		if j.State == runner.Running {
			if j.ETA >= 0 {
				left = termtext.Duration(j.ETA)
			}
		}
		b.WriteString(termtext.PadLeft(left, dlLeftWidth))
	}
	return b.String()
}

// jobName draws name in exactly width cells like the list does: the
// folder part dimmed, a long name shortened in the middle so its end stays
// visible. Other rows than the cursor's style only the folder part, and
// through the kept texts, as many jobs share a folder and styling costs
// more than the rest of a row.
func (d jobsView) jobName(name string, width int, atCursor bool) string {
	name = termtext.Safe(name)
	if atCursor {
		return renderName(d.styles, true, name, model.Needle{}, width)
	}
	short := termtext.Middle(name, width)
	// The dimmed part runs to the last slash, or to the ellipsis when the
	// cut took the last slash away.
	cut := strings.LastIndexByte(short, '/') + 1
	if short != name {
		if i := strings.LastIndex(short, "…"); i >= 0 && i+len("…") > cut {
			cut = i + len("…")
		}
	}
	out := short[cut:] + strings.Repeat(" ", max(width-termtext.Width(short), 0))
	if cut == 0 {
		return out
	}
	return d.bars.styled(d.styles.Subtle, dlStyleSubtle, short[:cut]) + out
}

// detailLine tells more about the job under the cursor: why it failed, or
// where the file is.
// shownName is where a job's file lands, from the folder in the title:
// its name, behind the subfolder of its files view when that is another
// one (an artifact's NAME/vN).
func (d jobsView) shownName(j runner.Job) string {
	if j.Dest == d.run.Dest() {
		return j.File.Name
	}
	if rel, err := filepath.Rel(d.run.Dest(), j.Dest); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel) + "/" + j.File.Name
	}
	return filepath.Join(j.Dest, j.File.Name) // elsewhere: --artifact-dest
}

func (d jobsView) detailLine() string {
	j, ok := d.current()
	if !ok {
		return ""
	}
	// Names come from the server: no control character reaches the
	// terminal.
	var head, name, tail string
	switch j.State {
	case runner.Failed:
		return d.styles.Error.Render(ansi.Truncate(termtext.Safe("failed: "+j.Reason()), d.width, "…"))
	case runner.Done, runner.UpToDate:
		head, name = j.State.String()+": ", termtext.Safe(j.Path)
		if j.Resumed {
			tail = " (resumed)"
		}
	default:
		if r := retryText(j); r != "" {
			// Cause first: a narrow line keeps it.
			return d.styles.Error.Render(termtext.Fit(termtext.Line(r)+": "+termtext.Safe(d.shownName(j)), d.width))
		}
		name = termtext.Safe(d.shownName(j))
	}
	// A long path is shortened in the middle, so the file name at its end
	// stays visible.
	room := d.width - termtext.Width(head) - termtext.Width(tail)
	if room < termtext.Width(name) && room >= 8 {
		name = termtext.Middle(name, room)
	}
	return d.styles.Subtle.Render(termtext.Fit(head+name+tail, d.width))
}

// dlBars renders progress bars (bubbles/progress) and the few styled
// texts of job rows, and keeps each one it drew: a bar of a given width has
// only width+1 looks, a state column a handful, and styling costs far more
// than looking up, so a frame full of bars stays cheap.
type dlBars struct {
	bar     progress.Model
	byWidth map[int][]string // by width, then by filled cells
	texts   map[dlStyled]string
}

// dlStyled names a text rendered with one of the row styles.
type dlStyled struct {
	style int
	text  string
}

// Row styles kept by dlBars.styled.
const (
	dlStyleError = iota
	dlStyleMark
	dlStyleSubtle
)

// dlMaxStyled bounds the kept styled texts; past it they are rendered
// afresh (only an unusual mix of widths gets there).
const dlMaxStyled = 512

// styled returns text rendered with st, which is the style kind names.
func (b *dlBars) styled(st lipgloss.Style, kind int, text string) string {
	k := dlStyled{kind, text}
	if s, ok := b.texts[k]; ok {
		return s
	}
	s := st.Render(text)
	if len(b.texts) < dlMaxStyled {
		b.texts[k] = s
	}
	return s
}

func newDLBars(s Styles) *dlBars {
	bar := progress.New(
		progress.WithFillCharacters('█', '░'),
		progress.WithoutPercentage(),
		progress.WithColors(s.Title.GetForeground()),
	)
	bar.EmptyColor = s.Subtle.GetForeground()
	return &dlBars{bar: bar, byWidth: map[int][]string{}, texts: map[dlStyled]string{}}
}

// view returns a bar width cells wide, filled to fraction (0 to 1).
func (b *dlBars) view(width int, fraction float64) string {
	if width <= 0 {
		return ""
	}
	cells := max(min(int(math.Round(float64(width)*fraction)), width), 0)
	looks := b.byWidth[width]
	if looks == nil {
		looks = make([]string, width+1)
		b.byWidth[width] = looks
	}
	if looks[cells] == "" {
		b.bar.SetWidth(width)
		looks[cells] = b.bar.ViewAs(float64(cells) / float64(width))
	}
	return looks[cells]
}

// dlBytes is "1.2 MiB / 3.4 MiB", or the bytes so far when the size is
// unknown.
func dlBytes(j runner.Job) string {
	done := termtext.Bytes(j.Done)
	if j.Total < 0 {
		return done
	}
	return done + " / " + termtext.Bytes(j.Total)
}

// dlSize is the file's size, or the bytes so far when it is unknown.
func dlSize(j runner.Job) string {
	if j.Total < 0 {
		return termtext.Bytes(j.Done)
	}
	return termtext.Bytes(j.Total)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
