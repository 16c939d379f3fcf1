package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// level is one list of the stack above a run: the entities, an entity's
// projects, a project's runs. The root routes keys, page answers and the
// filter line to the level on top; a level left is dropped, so answers
// meant for it (they carry its id) are too.
type level interface {
	id() int
	// current is the row under the cursor (a wandb.Entity, wandb.Project
	// or wandb.RunInfo).
	current() (any, bool)
	wantPage() tea.Cmd
	receive(msg levelPageMsg) bool
	paging() *model.Paging
	update(msg tea.Msg) tea.Cmd
	view(status string) string
	setCommon(c common, rows int)
	narrow(text string)
	// search is the server-side search of the level, "" for none; it is
	// an error when the level has none or the text is not valid.
	search() string
	setSearch(text string) error
	// hasSearch reports whether the level searches on the server.
	hasSearch() bool
	// hasOrder reports whether nextOrder changes anything.
	hasOrder() bool
	// focusOn puts the cursor on the row with key k, now or when it
	// arrives.
	focusOn(k string)
	// origin is the key of the row of the level below that opens this
	// one (a projects level's entity, a runs level's project), where the
	// cursor goes when the user comes back; "" for none.
	origin() string
	// retry asks again for the page that failed.
	retry() tea.Cmd
	// nextOrder cycles the server order; false when the level has one.
	nextOrder() bool
}

// levelPageMsg is a page of rows for the level with id level.
type levelPageMsg struct {
	level int
	gen   int
	info  wandb.PageInfo
	rows  any // []T of the level's row type
	total int // the number of rows the query matches, -1 unknown
	err   error
}

// picker is a level over rows of type T: a lazily paged list drawn by the
// one table every list uses, with a header, a status line and, for
// runs, a server search and order.
type picker[T any] struct {
	common
	ident   int
	noun    string   // the rows' name, plural ("runs")
	trail   []string // the breadcrumb: where the rows come from
	p       *model.Pager[T]
	table   Table[T]
	spinner spinner.Model
	total   int
	fetch   func(req model.PageRequest, search string) tea.Cmd
	// parse turns a search text into what fetch sends; nil: no server
	// search (the level is small, the narrowing is enough).
	parse  func(text string) error
	query  string // the active search
	orders func(next bool) string
	dest   string
	// focus is the key of the row the cursor goes to when it arrives
	// (the run the user came back from), until the user moves.
	focus string
	// from is origin's key.
	from string
}

func (p *picker[T]) origin() string { return p.from }

func (p *picker[T]) id() int               { return p.ident }
func (p *picker[T]) paging() *model.Paging { return &p.p.Paging }
func (p *picker[T]) narrow(text string)    { p.p.SetNarrowing(text) }
func (p *picker[T]) search() string        { return p.query }

func (p *picker[T]) current() (any, bool) {
	r, ok := p.p.Current()
	return r, ok
}

func (p *picker[T]) wantPage() tea.Cmd {
	req, ok := p.p.WantPage()
	if !ok {
		return nil
	}
	return tea.Batch(p.fetch(req, p.query), p.spinner.Tick)
}

func (p *picker[T]) focusOn(k string) {
	if !p.p.SelectKey(k) {
		p.focus = k
	}
}

func (p *picker[T]) hasOrder() bool  { return p.orders != nil }
func (p *picker[T]) hasSearch() bool { return p.parse != nil }

func (p *picker[T]) retry() tea.Cmd {
	req, ok := p.p.Retry()
	if !ok {
		return nil
	}
	return tea.Batch(p.fetch(req, p.query), p.spinner.Tick)
}

func (p *picker[T]) receive(msg levelPageMsg) bool {
	rows, _ := msg.rows.([]T)
	if !p.p.Receive(msg.gen, msg.info, rows, msg.err) {
		return false
	}
	if msg.err == nil {
		p.total = msg.total
	}
	if p.focus != "" && p.p.SelectKey(p.focus) {
		p.focus = ""
	}
	return true
}

func (p *picker[T]) setSearch(text string) error {
	if p.parse == nil {
		return fmt.Errorf("the %s are filtered as you type; there is no search on the server", p.noun)
	}
	if err := p.parse(text); err != nil {
		return err
	}
	p.query = text
	p.total = -1
	p.p.SetNarrowing("")
	p.p.Restart()
	return nil
}

func (p *picker[T]) nextOrder() bool {
	if p.orders == nil {
		return false
	}
	p.orders(true)
	p.total = -1
	p.p.Restart()
	return true
}

func (p *picker[T]) setCommon(c common, rows int) {
	p.common = c
	p.spinner.Style = c.styles.Spinner
	p.table.SetCommon(c, rows)
}

// update moves the cursor on keys and spins while a page loads.
func (p *picker[T]) update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case spinner.TickMsg:
		if p.p.InFlight() {
			var cmd tea.Cmd
			p.spinner, cmd = p.spinner.Update(msg)
			return cmd
		}
	case tea.KeyPressMsg:
		p.focus = "" // the user moves on their own
		var cmd tea.Cmd
		p.table, cmd = p.table.Update(msg)
		return cmd
	}
	return nil
}

// view draws the level as the files list is drawn: three header lines,
// the column titles, the rows and the status line.
func (p *picker[T]) view(status string) string {
	var b strings.Builder
	b.WriteString(termtext.Fit(p.titleView(), p.width))
	b.WriteByte('\n')
	b.WriteString(termtext.Fit(strings.Join(p.parts(), " · "), p.width))
	b.WriteByte('\n')
	b.WriteString(p.styles.Subtle.Render(termtext.Fit("download to "+p.dest, p.width)))
	b.WriteByte('\n')
	b.WriteString(p.table.HeaderView())
	b.WriteByte('\n')
	start, end := p.p.Window()
	drawn := end - start
	if drawn > 0 {
		b.WriteString(p.table.View())
	} else {
		b.WriteString(p.styles.Subtle.Render(termtext.Fit("  "+p.emptyText(), p.width)))
		drawn = 1
	}
	b.WriteByte('\n')
	endShown := end == p.p.Len() && p.p.Len() > 0
	line := pagingStatus(p.common, &p.p.Paging, p.spinner, p.noun, status, endShown)
	for ; drawn < p.p.Height(); drawn++ {
		b.WriteByte('\n')
	}
	b.WriteString(line)
	return b.String()
}

// titleView is the breadcrumb, the level's own part last.
func (p *picker[T]) titleView() string {
	line, _ := crumbLine(p.styles, append(append([]string{}, p.trail...), p.noun), p.width)
	return line
}

// parts are the header's second line: the counts, the search, the order,
// the narrowing.
func (p *picker[T]) parts() []string {
	n := termtext.Comma(int64(p.p.Loaded()))
	count := n + " " + p.noun + " loaded"
	switch {
	case p.p.AllLoaded():
		count = termtext.Count(p.p.Loaded(), strings.TrimSuffix(p.noun, "s"))
	case p.total >= 0:
		count = fmt.Sprintf("%s of %s %s loaded", n, termtext.Comma(int64(p.total)), p.noun)
	}
	parts := []string{count}
	if p.query != "" {
		parts = append(parts, fmt.Sprintf("search %q", p.query))
	}
	if p.orders != nil {
		parts = append(parts, "by "+p.orders(false)+" (s)")
	}
	if t := p.p.Narrowing(); t != "" {
		parts = append(parts, fmt.Sprintf("%s of %s loaded contain %q",
			termtext.Comma(int64(p.p.Len())), n, t))
	}
	return parts
}

func (p *picker[T]) emptyText() string {
	switch {
	case p.p.Loaded() > 0:
		if p.parse != nil {
			return fmt.Sprintf("no loaded row contains %q (enter searches the server)", p.p.Narrowing())
		}
		return fmt.Sprintf("no row contains %q", p.p.Narrowing())
	case p.p.Err() != nil:
		return "nothing loaded"
	case p.p.InFlight() || p.p.Pages() == 0:
		return "loading…"
	case p.query != "":
		return "nothing matches the search (esc clears it)"
	}
	return "no " + p.noun
}

// newPicker returns a level of rows T with the given columns.
func newPicker[T any](c common, ident int, noun string, trail []string, dest string, items *model.Items[T], cols []Column[T]) *picker[T] {
	p := &picker[T]{
		common: c, ident: ident, noun: noun, trail: trail, dest: dest, total: -1,
		p:       model.NewPager(items),
		spinner: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(c.styles.Spinner)),
	}
	p.table = NewTable[T](p.p, cols, c)
	return p
}
