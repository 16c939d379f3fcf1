package tui

import (
	"fmt"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Lines the list view draws around its rows: three header lines and the
// column titles above, the status line below.
const (
	listHeaderLines = 4
	listStatusLines = 1
)

// listView draws the run header, the files list and a status line
// (loading, failure, end of list) from the browser state.
type listView struct {
	common
	b *model.Browser
	// folder, when set, is the folder shown instead of the flat list;
	// crumbs are the breadcrumb's parts above the run's folders.
	folder *model.Folder
	crumbs []string
	// note is said after the counts (an artifact's aliases and digest).
	note    string
	table   Table[fileRow]
	frame   *fileFrame // the columns' per-frame inputs
	spinner spinner.Model
	dest    string
	// dl, when downloads are wired, decorates the rows and adds the
	// selection and the downloads' progress to the header.
	dl *downloads
}

func newListView(c common, b *model.Browser, dest string, dl *downloads) listView {
	l := listView{
		common:  c,
		b:       b,
		dest:    dest,
		dl:      dl,
		frame:   &fileFrame{},
		spinner: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(c.styles.Spinner)),
	}
	l.table = NewTable(l.rows(), fileColumns(c.styles, l.frame, dl.on()), c)
	return l
}

// rows is the table's row source: the folder shown, else the flat list.
func (l *listView) rows() Rows[fileRow] {
	var decorate func(wandb.File) fileRow
	if l.dl.on() {
		decorate = l.dl.decorate
	}
	if l.folder != nil {
		return folderRows{Folder: l.folder, decorate: decorate}
	}
	return fileRows{Browser: l.b, decorate: decorate}
}

// show switches to folder f, or to the flat list when f is nil.
func (l *listView) show(f *model.Folder) {
	l.folder = f
	l.table.SetRows(l.rows())
}

// paging is the paging state of the list shown.
func (l listView) paging() *model.Paging {
	if l.folder != nil {
		return &l.folder.Paging
	}
	return &l.b.Paging
}

// cursor is the cursor and window of the list shown.
func (l listView) cursor() Cursor {
	if l.folder != nil {
		return l.folder
	}
	return l.b
}

// setCommon updates the shared values and how many rows fit in rows lines.
func (l *listView) setCommon(c common, rows int) {
	l.common = c
	l.spinner.Style = c.styles.Spinner
	l.table.SetColumns(fileColumns(c.styles, l.frame, l.dl.on()))
	l.table.SetCommon(c, rows)
}

// update advances the spinner, and only while a page is loading: with no
// request in flight its ticks stop; keys move the cursor.
func (l listView) update(msg tea.Msg) (listView, tea.Cmd) {
	switch msg.(type) {
	case spinner.TickMsg:
		if l.paging().InFlight() {
			var cmd tea.Cmd
			l.spinner, cmd = l.spinner.Update(msg)
			return l, cmd
		}
	case tea.KeyPressMsg:
		var cmd tea.Cmd
		l.table, cmd = l.table.Update(msg)
		return l, cmd
	}
	return l, nil
}

// view renders the header, the visible rows and the status line; its
// cost depends on the window height, not on the number of loaded rows.
func (l listView) view(status string) string {
	var b strings.Builder
	b.WriteString(l.headerView())
	b.WriteString(l.table.HeaderView())
	b.WriteByte('\n')

	l.frame.now = l.now()
	l.frame.needle = l.needle()
	cur := l.cursor()
	start, end := cur.Window()
	drawn := end - start
	if drawn > 0 {
		b.WriteString(l.table.View())
		b.WriteByte('\n')
	} else {
		b.WriteString(l.styles.Subtle.Render(termtext.Fit("  "+l.emptyText(), l.width)))
		b.WriteByte('\n')
		drawn = 1
	}
	line := l.statusView(status, end == cur.Len())
	if status == "" && end == cur.Len() && drawn < cur.Height() {
		// The end of the list is on screen: the spinner, error or end
		// row goes right under the last row.
		b.WriteString(line)
		b.WriteByte('\n')
		line = ""
		drawn++
	}
	for ; drawn < cur.Height(); drawn++ {
		b.WriteByte('\n')
	}
	b.WriteString(line)
	return b.String()
}

// needle is what the names shown highlight: the narrowing, else a plain
// server filter's text (it matches names containing it: show where).
func (l listView) needle() model.Needle {
	narrow, filter := l.b.Needle(), l.b.FilterText()
	if l.folder != nil {
		narrow, filter = l.folder.Needle(), l.folder.FilterText()
	}
	if narrow.Empty() && !strings.ContainsAny(filter, "*?") {
		return model.NewNeedle(filter)
	}
	return narrow
}

// headerView is the run, the counts and filter, and the destination.
func (l listView) headerView() string {
	if l.folder != nil {
		return l.folderHeaderView()
	}
	s := l.styles
	run := l.b.Run
	title := s.Title.Render(run.Ref.String())
	// The name and state come from the server: no control character or
	// escape sequence of theirs may reach the terminal.
	if run.DisplayName != "" {
		title += "  " + termtext.Safe(run.DisplayName)
	}
	if run.State != "" {
		title += s.Subtle.Render("  (" + termtext.Safe(run.State) + ")")
	}

	parts := []string{l.countText()}
	if t := l.b.FilterText(); t != "" {
		parts = append(parts, fmt.Sprintf("filter %q", t))
	} else if p := l.b.Pattern(); p != "" {
		parts = append(parts, fmt.Sprintf("pattern %q", p))
	} else if names := l.b.Names(); len(names) > 0 {
		parts = append(parts, "names: "+termtext.Safe(strings.Join(names, ", ")))
	}
	if n := l.b.Narrowing(); n != "" {
		verb := "contain"
		if strings.ContainsAny(n, "*?") {
			verb = "match" // a glob covers the whole name
		}
		parts = append(parts, fmt.Sprintf("%s of %s loaded %s %q",
			termtext.Comma(int64(l.b.Len())), termtext.Comma(int64(l.b.Loaded())), verb, n))
	}
	if l.dl.on() && l.dl.sel.Len() > 0 {
		parts = append(parts, selectionText(l.dl.sel))
	}
	if k := l.b.Sort(); k != model.SortServer {
		sorted := "sorted by " + k.String()
		if !l.b.AllLoaded() {
			sorted += " (loaded rows only)"
		}
		parts = append(parts, sorted)
	}
	return l.headerLines(title, parts)
}

// headerLines are the header's three lines: the title, the parts about
// the list, and the downloads with their destination.
func (l listView) headerLines(title string, parts []string) string {
	return termtext.Fit(title, l.width) + "\n" +
		termtext.Fit(strings.Join(parts, " · "), l.width) + "\n" +
		l.styles.Subtle.Render(termtext.Fit(l.downloadsText()+"download to "+l.dest, l.width)) + "\n"
}

// downloadsText is how far the downloads are, for the header ("" before
// the first): a person browsing on sees them move without switching views.
func (l listView) downloadsText() string {
	if !l.dl.on() {
		return ""
	}
	t := l.dl.run.Totals()
	if t.Files == 0 {
		return ""
	}
	// On disk out of all, so cancelled and failed jobs never read as done.
	parts := []string{fmt.Sprintf("downloads %s/%s", termtext.Comma(int64(t.Done+t.UpToDate)), termtext.Comma(int64(t.Files)))}
	if t.Running > 0 {
		parts[0] += fmt.Sprintf(" %.0f%%", t.Fraction()*100)
	}
	if t.Failed > 0 {
		parts = append(parts, termtext.Comma(int64(t.Failed))+" failed")
	}
	if t.Cancelled > 0 {
		parts = append(parts, termtext.Comma(int64(t.Cancelled))+" cancelled")
	}
	return strings.Join(parts, ", ") + " (tab) · "
}

// countText is "N of M files loaded", or "N loaded (total unknown)".
func (l listView) countText() string {
	n := termtext.Comma(int64(l.b.Loaded()))
	if total := l.b.Total(); total >= 0 {
		return fmt.Sprintf("%s of %s loaded", n, termtext.Count(total, "file"))
	}
	return n + " files loaded (total unknown)"
}

// emptyText explains an empty list.
func (l listView) emptyText() string {
	if l.folder != nil {
		return l.folderEmptyText()
	}
	switch {
	case l.b.Loaded() > 0:
		return fmt.Sprintf("no loaded file contains %q (enter searches the whole run)", l.b.Narrowing())
	case l.b.Err() != nil:
		return "no files loaded"
	case l.b.InFlight() || l.b.Pages() == 0:
		return "loading…"
	case l.b.Filtered():
		return "no file matches the filter (esc clears it)"
	}
	return "this run has no files"
}

// statusView is the line under the rows (see pagingStatus).
func (l listView) statusView(status string, endShown bool) string {
	if f := l.folder; status == "" && f != nil && f.Idle() {
		return l.styles.Subtle.Render(termtext.Fit("more files under these folders on the server: G loads up to 1,000 more, space on a folder counts it all", l.width))
	}
	return pagingStatus(l.common, l.paging(), l.spinner, "files", status, endShown && l.cursor().Len() > 0)
}

// pagingStatus is the line under a paged list's rows: the page request's
// progress or failure, a message from the root, or the end of the list
// when its last row is on screen (elsewhere "end of list" would read as a
// claim about the rows shown). what names the rows ("files", "runs").
func pagingStatus(c common, p *model.Paging, sp spinner.Model, what, status string, endShown bool) string {
	s := c.styles
	switch {
	case p.Err() != nil:
		msg := "! could not load " + what + " (r retries): " + termtext.Line(p.Err().Error())
		return s.Error.Render(termtext.Fit(msg, c.width))
	case status != "":
		return s.Status.Render(termtext.Fit(status, c.width))
	case p.InFlight():
		text := " loading more " + what + "…"
		if r, ok := p.Retrying(); ok {
			// Cause first: it is what a narrow line must keep.
			text = fmt.Sprintf(" %s: retrying (%d/%d)…", r.Cause, r.Attempt, r.Max)
		}
		return sp.View() + s.Subtle.Render(termtext.Fit(text, c.width-1))
	case p.Warning() != "":
		return s.Error.Render(termtext.Fit("! the server warned: "+termtext.Line(p.Warning()), c.width))
	case p.Pages() > 0 && !p.HasNext() && endShown:
		return s.Subtle.Render(termtext.Fit("end of list", c.width))
	}
	return ""
}

// selectionText is the selection part of the list header: "3 selected ·
// 191 MiB + 1 of unknown size", or "" when nothing is selected.
func selectionText(s *model.Selection) string {
	if s.Len() == 0 {
		return ""
	}
	known, unknown := s.Size()
	return termtext.Comma(int64(s.Len())) + " selected · " + termtext.Size(known, unknown)
}
