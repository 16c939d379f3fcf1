package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// plainItem is a file in a plain bubbles list: its name and size.
type plainItem struct{ f wandb.File }

func (i plainItem) FilterValue() string { return i.f.Name }

// plainDelegate draws one line per item, the name and the size, as a
// minimal file list built on bubbles/list would.
type plainDelegate struct{}

func (plainDelegate) Height() int                         { return 1 }
func (plainDelegate) Spacing() int                        { return 0 }
func (plainDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }
func (plainDelegate) Render(w io.Writer, m list.Model, index int, it list.Item) {
	f := it.(plainItem).f
	cursor := "  "
	if index == m.Index() {
		cursor = "> "
	}
	fmt.Fprint(w, cursor+termtext.Pad(f.Name, m.Width()-14)+" "+termtext.PadLeft(sizeText(f), 10))
}

// plainList is a program showing files in a plain bubbles list.
type plainList struct{ l list.Model }

func (p plainList) Init() tea.Cmd { return nil }
func (p plainList) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	p.l, cmd = p.l.Update(msg)
	return p, cmd
}
func (p plainList) View() tea.View {
	v := tea.NewView(p.l.View())
	v.AltScreen = true
	return v
}

// BenchmarkPageDownBytes measures the bytes a real program writes to the
// terminal at 120x40 (true colour) for one page down over the 20,484-file
// demo run: wbfiles' list, and a plain bubbles list of the same files
// (one line each: name and size) side by side. Page down changes every
// row shown; what either writes is the cells that changed (the end of
// each name, its size), so the cost per key follows the rows per page.
// Reports: B/key of each and the ratio, and B/row.
//
//	go test ./tui -run '^$' -bench PageDownBytes -benchmem
func BenchmarkPageDownBytes(b *testing.B) {
	_, c := newDemo(b)
	info := openRun(b, c, wandbtest.DemoSweepRun)
	page, err := c.Files(b.Context(), info.Ref, wandb.FilesQuery{First: wandb.MaxPageSize})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]list.Item, len(page.Files))
	for i, f := range page.Files {
		items[i] = plainItem{f}
	}
	pl := list.New(items, plainDelegate{}, 120, 40)
	pl.SetShowTitle(false)
	pl.SetShowStatusBar(false)
	pl.SetFilteringEnabled(false)
	pl.SetShowHelp(false)
	ours := New(Options{Flat: true, Source: c, Run: info, FirstPage: &page, PageSize: 1000, Dest: b.TempDir(), Now: func() time.Time { return testNow }})
	var outs [2]*syncBuffer
	var progs [2]*tea.Program
	for i, m := range []tea.Model{ours, plainList{pl}} {
		outs[i] = &syncBuffer{}
		progs[i] = tea.NewProgram(m, tea.WithOutput(outs[i]), tea.WithInput(strings.NewReader("")),
			tea.WithWindowSize(120, 40), tea.WithoutSignals(), tea.WithColorProfile(colorprofile.TrueColor))
		done := make(chan struct{})
		go func() { progs[i].Run(); close(done) }()
		defer func() { progs[i].Quit(); <-done }()
		outs[i].settle(b)
	}
	var bytes [2]float64
	keys := 0
	for b.Loop() {
		for i, p := range progs {
			p.Send(keyMsg("pgdown"))
			bytes[i] += float64(len(outs[i].settle(b)))
		}
		keys++
	}
	bytes[0], bytes[1] = bytes[0]/float64(keys), bytes[1]/float64(keys)
	rows := [2]int{ours.browser.Height(), pl.Paginator.PerPage}
	b.ReportMetric(bytes[0], "wbfiles-B/key")
	b.ReportMetric(bytes[1], "plain-B/key")
	b.ReportMetric(bytes[0]/bytes[1], "ratio")
	b.ReportMetric(bytes[0]/float64(rows[0]), "wbfiles-B/row")
	b.ReportMetric(bytes[1]/float64(rows[1]), "plain-B/row")
}
