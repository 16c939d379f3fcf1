package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/wbfiles/wbfiles/model"
)

// Lines of the downloads view around the job rows: title, overall bar,
// column titles above; the detail of the job under the cursor and the
// status or prompt line below.
const (
	downloadsHeadLines = 3
	downloadsFootLines = 2
)

// Widths of the downloads view's columns in cells; the name takes the
// rest.
const (
	dlCursorWidth = 2
	dlStateWidth  = 11
	dlBytesWidth  = 21
	dlSpeedWidth  = 11
	dlLeftWidth   = 9
	dlMinName     = 12
)

// dlColumns says which columns fit the width.
type dlColumns struct {
	name, bar   int // bar 0: no bar
	bytes       bool
	speed, left bool
}

func layoutDownloadColumns(width int) dlColumns {
	c := dlColumns{}
	// The name matters most: the bar narrows first, then speed and time
	// left go, then the bar.
	switch {
	case width >= 120:
		c = dlColumns{bar: 20, bytes: true, speed: true, left: true}
	case width >= 100:
		c = dlColumns{bar: 12, bytes: true, speed: true, left: true}
	case width >= 80:
		c = dlColumns{bar: 10, bytes: true, speed: true}
	case width >= 60:
		c = dlColumns{bytes: true}
	}
	used := dlCursorWidth + dlStateWidth + c.bar
	if c.bar > 0 {
		used++ // space after the bar
	}
	if c.bytes {
		used += dlBytesWidth
	}
	if c.speed {
		used += dlSpeedWidth
	}
	if c.left {
		used += dlLeftWidth
	}
	c.name = max(width-used, dlMinName)
	return c
}

// jobRows is the number of job rows that fit.
func (d Downloads) jobRows() int {
	return max(d.height-downloadsHeadLines-downloadsFootLines, 1)
}

// View renders the downloads view in the size it was given. Only the
// visible window of jobs is drawn, so its cost does not grow with the
// number of jobs.
func (d Downloads) View() string {
	lines := make([]string, 0, d.height)
	t := d.jobs.Totals()
	lines = append(lines, d.titleLine(t), d.overallLine(t))
	cols := layoutDownloadColumns(d.width)
	lines = append(lines, d.styles.Header.Render(cols.header()))
	rows := d.jobRows()
	if d.jobs.Len() == 0 {
		lines = append(lines, d.styles.Subtle.Render("No downloads yet: select files in the list with space, then press d."))
	}
	for i := d.offset; i < min(d.offset+rows, d.jobs.Len()); i++ {
		lines = append(lines, d.jobRow(d.jobs.At(model.JobID(i)), cols, i == d.cursor))
	}
	for len(lines) < d.height-downloadsFootLines {
		lines = append(lines, "")
	}
	lines = append(lines, d.detailLine(), d.statusLine())
	if len(lines) > d.height {
		lines = lines[:max(d.height, 1)]
	}
	return strings.Join(lines, "\n")
}

func (d Downloads) titleLine(t model.Totals) string {
	parts := []string{
		fmt.Sprintf("%s of %s finished", humanize.Comma(int64(t.Finished())), humanize.Comma(int64(t.Files))),
	}
	if t.Running > 0 {
		parts = append(parts, fmt.Sprintf("%d running", t.Running))
	}
	if t.Queued > 0 {
		parts = append(parts, humanize.Comma(int64(t.Queued))+" queued")
	}
	if t.Failed > 0 {
		parts = append(parts, d.styles.Error.Render(humanize.Comma(int64(t.Failed))+" failed"))
	}
	if t.Cancelled > 0 {
		parts = append(parts, humanize.Comma(int64(t.Cancelled))+" cancelled")
	}
	line := d.styles.Title.Render("Downloads") + "  " + strings.Join(parts, " · ") +
		d.styles.Subtle.Render("  → "+d.dest)
	return ansi.Truncate(line, d.width, "…")
}

func (d Downloads) overallLine(t model.Totals) string {
	text := " " + model.HumanBytes(t.BytesDone) + " / " + model.SizeText(t.BytesTotal, t.UnknownSize)
	if t.Running > 0 {
		text += " · " + dlSpeed(t.Speed)
		if left, ok := t.ETA(); ok {
			text += " · " + dlDuration(left) + " left"
		}
	}
	barWidth := d.width - ansi.StringWidth(text)
	if barWidth < 10 {
		return ansi.Truncate(text, d.width, "…")
	}
	return d.bars.view(barWidth, t.Fraction()) + text
}

func (c dlColumns) header() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", dlCursorWidth))
	b.WriteString(dlPad("STATE", dlStateWidth))
	b.WriteString(dlPad("NAME", c.name))
	if c.bar > 0 {
		b.WriteString(strings.Repeat(" ", c.bar+1))
	}
	if c.bytes {
		b.WriteString(dlPadLeft("BYTES", dlBytesWidth))
	}
	if c.speed {
		b.WriteString(dlPadLeft("SPEED", dlSpeedWidth))
	}
	if c.left {
		b.WriteString(dlPadLeft("LEFT", dlLeftWidth))
	}
	return b.String()
}

// jobRow renders one job in the columns c.
func (d Downloads) jobRow(j model.Job, c dlColumns, atCursor bool) string {
	var b strings.Builder
	if atCursor {
		b.WriteString("> ")
	} else {
		b.WriteString("  ")
	}
	state := dlPad(jobStateText(j), dlStateWidth)
	switch j.State {
	case model.Failed:
		state = d.bars.styled(d.styles.Error, dlStyleError, state)
	case model.Done, model.UpToDate:
		state = d.bars.styled(d.styles.Mark, dlStyleMark, state)
	case model.Queued, model.Cancelled:
		state = d.bars.styled(d.styles.Subtle, dlStyleSubtle, state)
	}
	b.WriteString(state)
	name := dlPad(dlShortenMiddle(j.File.Name, c.name-1), c.name)
	if atCursor {
		name = d.styles.Selected.Render(name)
	}
	b.WriteString(name)

	rest := c.bar + dlBytesWidth*b2i(c.bytes) + dlSpeedWidth*b2i(c.speed) + dlLeftWidth*b2i(c.left)
	if c.bar > 0 {
		rest++
	}
	if j.State == model.Failed {
		b.WriteString(d.bars.styled(d.styles.Error, dlStyleError, dlPad(model.ShortReason(j.Err), rest)))
		return b.String()
	}
	if c.bar > 0 {
		f, ok := j.Fraction()
		if !ok {
			f = 0
		}
		b.WriteString(d.bars.view(c.bar, f) + " ")
	}
	if c.bytes {
		b.WriteString(dlPadLeft(dlBytes(j), dlBytesWidth))
	}
	if c.speed {
		sp := ""
		if j.State == model.Running && j.Speed() > 0 {
			sp = dlSpeed(j.Speed())
		}
		b.WriteString(dlPadLeft(sp, dlSpeedWidth))
	}
	if c.left {
		left := ""
		if j.State == model.Running {
			if eta, ok := j.ETA(); ok {
				left = dlDuration(eta)
			}
		}
		b.WriteString(dlPadLeft(left, dlLeftWidth))
	}
	return b.String()
}

// detailLine tells more about the job under the cursor: why it failed, or
// where the file is.
func (d Downloads) detailLine() string {
	j, ok := d.current()
	if !ok {
		return ""
	}
	var text string
	switch j.State {
	case model.Failed:
		return d.styles.Error.Render(ansi.Truncate("failed: "+j.Reason, d.width, "…"))
	case model.Done, model.UpToDate:
		text = j.State.String() + ": " + j.Path
		if j.Resumed {
			text += " (resumed)"
		}
	default:
		text = j.File.Name
	}
	return d.styles.Subtle.Render(ansi.Truncate(text, d.width, "…"))
}

func (d Downloads) statusLine() string {
	if d.prompt != promptNone {
		return d.styles.Status.Render(ansi.Truncate(d.PromptText(), d.width, "…"))
	}
	return d.styles.Status.Render(ansi.Truncate(d.status, d.width, "…"))
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
func dlBytes(j model.Job) string {
	done := model.HumanBytes(j.Done)
	if j.Total < 0 {
		return done
	}
	return done + " / " + model.HumanBytes(j.Total)
}

// dlSpeed is "2.1 MiB/s".
func dlSpeed(bps float64) string { return model.HumanBytes(int64(bps)) + "/s" }

// dlDuration is a short time left: "12s", "3m05s", "2h03m".
func dlDuration(t time.Duration) string {
	t = t.Round(time.Second)
	switch {
	case t < time.Minute:
		return fmt.Sprintf("%ds", int(t.Seconds()))
	case t < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(t.Minutes()), int(t.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(t.Hours()), int(t.Minutes())%60)
}

// dlShortenMiddle cuts s to width cells by replacing its middle with "…",
// so the end of a file name stays visible.
func dlShortenMiddle(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := dlWidth(s)
	if w <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	tail := (width - 1) / 2
	head := width - 1 - tail
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, w-tail, "")
}

// dlWidth is ansi.StringWidth with a fast path for plain ASCII, which most
// file names and every figure are.
func dlWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || c == 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// dlPad pads s with spaces to width cells (cutting it when longer).
func dlPad(s string, width int) string {
	w := dlWidth(s)
	if w > width {
		return ansi.Truncate(s, width, "")
	}
	return s + strings.Repeat(" ", width-w)
}

// dlPadLeft right-aligns s in width cells.
func dlPadLeft(s string, width int) string {
	w := dlWidth(s)
	if w >= width {
		return ansi.Truncate(s, width, "")
	}
	return strings.Repeat(" ", width-w) + s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
