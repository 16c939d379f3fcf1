package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/wandb"
)

// detailView shows every field of one file, whether it is already in the
// destination folder, and a preview, all in one scrolling viewport.
type detailView struct {
	common
	file    wandb.File
	key     string
	dest    string
	local   string // the local state line; "" while checking
	preview string // the rendered preview, or why there is none
	job     string // the download's state and failure reason; "" if none
	vp      pager
	// wrapped is the lines of preview hard-wrapped to wrapW cells; wrapW
	// is 0 when the preview changed since. Wrapping once per preview and
	// width keeps frames and download progress redraws from measuring
	// every line of a large preview (a soft-wrapping viewport does that
	// per frame, and any viewport on each new content).
	wrapped []string
	wrapW   int
	// cancel stops the preview's fetch when the view is left; gen numbers
	// the view (see newDetailView).
	cancel context.CancelFunc
	gen    int
	closed bool
	status string // a one-line message (the URL was copied)
}

func (d *detailView) setCommon(c common) {
	d.common = c
	d.vp.width = max(c.width, 1)
	d.vp.height = max(c.height-2, 1) // title line and footer
	d.refresh()
}

// openDetail shows the file under the cursor; its preview and local state
// are fetched in the background, the preview once per file while it stays
// in the cache.
func (m *Model) openDetail() tea.Cmd {
	f, ok := m.currentFile()
	if !ok {
		return nil
	}
	var cmd tea.Cmd
	m.detail, cmd = newDetailView(m.common, f, m.filesDest, m.jobText(f.Name), m.previews, m.src, m.detail.gen+1)
	m.state = stateDetail
	return cmd
}

// newDetailView returns the detail view of f and the commands that fetch
// its preview (unless cached) and check its local copy.
// gen numbers the views opened, so a preview fetched for an earlier one
// (cancelled when it was left) is not shown in this one.
func newDetailView(c common, f wandb.File, dest, job string, cache *previewCache, src Source, gen int) (detailView, tea.Cmd) {
	k := fileKey(f)
	d := detailView{file: f, key: k, dest: dest, job: job, gen: gen}
	var cmds []tea.Cmd
	switch p, cached := cache.get(k); {
	case cached:
		d.preview = renderPreview(f, p)
	case !previewable(f):
		d.preview = noPreviewReason(f)
	default:
		d.preview = "loading preview…"
		var ctx context.Context
		ctx, d.cancel = context.WithCancel(context.Background())
		cmds = append(cmds, fetchPreview(ctx, src, f, k, gen))
	}
	cmds = append(cmds, checkLocalState(dest, f, k))
	d.setCommon(c)
	return d, tea.Batch(cmds...)
}

// Update scrolls, copies the URL and takes the answers about its file;
// back closes the view (Closed), and stops a preview still being fetched.
func (d detailView) Update(msg tea.Msg) (detailView, tea.Cmd) {
	switch msg := msg.(type) {
	case previewFetchedMsg:
		d.previewFetched(msg)
	case localStateCheckedMsg:
		d.localStateChecked(msg)
	case tea.KeyPressMsg:
		return d.handleKey(msg)
	}
	return d, nil
}

func (d detailView) handleKey(msg tea.KeyPressMsg) (detailView, tea.Cmd) {
	k, vp := d.keys, &d.vp
	d.status = ""
	switch {
	case key.Matches(msg, k.Back):
		d.close()
	case key.Matches(msg, k.Copy):
		u := d.file.URL
		if u == "" {
			u = d.file.DirectURL
		}
		if u == "" {
			d.status = "this file has no URL to copy"
			return d, nil
		}
		d.status = "copied the URL to the clipboard"
		return d, tea.SetClipboard(u)
	default:
		vp.update(k, msg)
	}
	return d, nil
}

// close leaves the view: a preview still loading is cancelled (its
// answer, an error, is neither cached nor shown).
func (d *detailView) close() {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
	d.closed = true
}

// setJob shows text as the file's download line; the view is rebuilt
// only when it changed, not on every progress frame.
func (d *detailView) setJob(text string) {
	if text != d.job {
		d.job = text
		d.refresh()
	}
}

// Closed reports whether the user left the view.
func (d detailView) Closed() bool { return d.closed }

// Status is the view's one-line message (the URL was copied), or "".
func (d detailView) Status() string { return d.status }

func (d *detailView) previewFetched(msg previewFetchedMsg) {
	if msg.key != d.key || msg.gen != d.gen || d.closed {
		return
	}
	d.cancel = nil
	d.preview = renderPreview(d.file, msg)
	d.wrapW = 0
	d.refresh()
}

func (d *detailView) localStateChecked(msg localStateCheckedMsg) {
	if msg.key != d.key {
		return
	}
	switch {
	case msg.err != nil:
		d.local = "cannot tell: " + termtext.Line(msg.err.Error())
	case msg.state == wandb.LocalMissing:
		d.local = "not downloaded yet"
	case msg.state == wandb.LocalSame:
		d.local = "already there, identical (md5 matches)"
	case msg.state == wandb.LocalDifferent:
		d.local = "a different file is there"
	default:
		d.local = "a file is there (no md5 to compare)"
	}
	d.refresh()
}

// refresh rebuilds the viewport content; it runs when the file, the size
// or an answer changes, never per frame.
func (d *detailView) refresh() {
	if d.key == "" {
		return
	}
	w := max(d.width, 1)
	if d.wrapW != w {
		d.wrapped, d.wrapW = strings.Split(wrapText(d.preview, w), "\n"), w
	}
	// Long URLs and lines stay readable: everything is wrapped to the
	// width, the fields on each refresh (they are short), the preview
	// only when it or the width changes.
	head := strings.Split(wrapText(d.fields(w), w), "\n")
	head = append(head, d.styles.Header.Render(ansi.Truncate("── preview "+strings.Repeat("─", d.width), d.width, "")))
	d.vp.setLines(head, d.wrapped)
}

// detailLabelWidth is the width of the field names' column, its gap
// included.
const detailLabelWidth = 11

// fields lists every field of the file, each value wrapped within its
// column of a width-cell line (at spaces and URL separators where it can),
// its continuation lines indented under it.
func (d *detailView) fields(width int) string {
	f := d.file
	s := d.styles
	var b strings.Builder
	valueW := max(width-detailLabelWidth, 8)
	indent := strings.Repeat(" ", detailLabelWidth)
	row := func(label, value string) {
		lines := strings.Split(ansi.Wrap(termtext.Safe(value), valueW, " /?&"), "\n")
		fmt.Fprintf(&b, "%s %s\n", s.Label.Render(termtext.Pad(label, detailLabelWidth-1)), lines[0])
		for _, l := range lines[1:] {
			b.WriteString(indent + l + "\n")
		}
	}
	row("name", f.Name)
	if f.SizeKnown() {
		row("size", fmt.Sprintf("%s bytes (%s)", termtext.Comma(f.SizeBytes), sizeText(f)))
	} else {
		row("size", "unknown")
	}
	row("type", orUnknown(f.Mimetype))
	if f.UpdatedAt.IsZero() {
		row("updated", "unknown")
	} else {
		row("updated", f.UpdatedAt.UTC().Format("2006-01-02 15:04:05 UTC")+" ("+termtext.Ago(f.UpdatedAt, d.now())+")")
	}
	if f.MD5 == "" {
		row("md5", "unknown")
	} else {
		row("md5", f.MD5+" (base64)")
		if h, ok := md5Hex(f.MD5); ok {
			row("", h+" (hex)")
		}
	}
	if f.IsReference() {
		// An artifact entry whose bytes are stored outside W&B.
		row("reference", f.Ref+" (not downloaded through W&B)")
	} else {
		row("url", orUnknown(f.URL))
		row("direct", orUnknown(shortenSigned(f.DirectURL)))
	}
	if f.Digest != "" && f.Digest != f.MD5 {
		row("digest", f.Digest)
	}
	if f.ArtifactID != "" {
		row("artifact", f.ArtifactID)
	}
	if f.BirthArtifactID != "" && f.BirthArtifactID != f.ArtifactID {
		row("logged in", f.BirthArtifactID+" (the version that first stored it)")
	}
	if f.PathURI != "" {
		row("path uri", f.PathURI)
	}
	if p, err := wandb.LocalPath(d.dest, f.Name); err != nil {
		row("local", "cannot download: "+termtext.Line(err.Error()))
	} else {
		row("local", p)
		state := d.local
		if state == "" {
			state = "checking…"
		}
		row("", state)
	}
	if d.job != "" {
		row("download", d.job)
	}
	return b.String()
}

// view is the title line and the viewport.
func (d detailView) view() string {
	title := d.styles.Title.Render(termtext.Fit(termtext.Safe(d.file.Name), d.width-12))
	pct := fmt.Sprintf(" %3.0f%%", d.vp.scrollPercent()*100)
	gap := max(d.width-termtext.Width(title)-termtext.Width(pct), 0)
	return title + strings.Repeat(" ", gap) + d.styles.Subtle.Render(pct) + "\n" + d.vp.view()
}

// wrapText cuts every line of s longer than width cells into pieces of
// width cells, keeping spaces, as the viewport's soft wrap did.
func wrapText(s string, width int) string {
	return ansi.Hardwrap(s, width, true)
}

// pager scrolls the detail view's lines: the fields (head) and the
// wrapped preview (body), kept apart so that a new head does not copy or
// measure the body. Every line is at most width cells wide.
type pager struct {
	head, body    []string
	off           int // first line shown
	width, height int
}

func (p *pager) setLines(head, body []string) {
	p.head, p.body = head, body
	p.scrollTo(p.off)
}

func (p *pager) len() int { return len(p.head) + len(p.body) }

func (p *pager) line(i int) string {
	if i < len(p.head) {
		return p.head[i]
	}
	return p.body[i-len(p.head)]
}

// update scrolls on the movement keys of k; other keys change nothing.
func (p *pager) update(k keymap.KeyMap, msg tea.KeyPressMsg) {
	switch {
	case key.Matches(msg, k.Up):
		p.scrollTo(p.off - 1)
	case key.Matches(msg, k.Down):
		p.scrollTo(p.off + 1)
	case key.Matches(msg, k.PageUp):
		p.scrollTo(p.off - p.height)
	case key.Matches(msg, k.PageDown):
		p.scrollTo(p.off + p.height)
	case key.Matches(msg, k.Top):
		p.scrollTo(0)
	case key.Matches(msg, k.Bottom):
		p.scrollTo(p.len())
	}
}

// scrollTo shows line off first, kept between the top and the last page.
func (p *pager) scrollTo(off int) {
	p.off = max(min(off, p.len()-p.height), 0)
}

// scrollPercent is how far down the lines are shown, from 0 to 1.
func (p *pager) scrollPercent() float64 {
	if p.height >= p.len() {
		return 1
	}
	return float64(p.off) / float64(p.len()-p.height)
}

// view is the visible lines padded to exactly width by height cells.
func (p *pager) view() string {
	var b strings.Builder
	for i := p.off; i < min(p.off+p.height, p.len()); i++ {
		if i > p.off {
			b.WriteByte('\n')
		}
		b.WriteString(p.line(i))
	}
	return lipgloss.NewStyle().Width(p.width).Height(p.height).Render(b.String())
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
