package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Options configure the program.
type Options struct {
	// Source lists and previews files; normally a *wandb.Client.
	Source Source
	// Run is the run to browse, as the client returned it.
	Run wandb.RunInfo
	// Dest is the download folder shown in the header and the detail view.
	Dest string
	// PageSize is the number of files per page request (default 50).
	PageSize int
	// Pattern (a LIKE pattern) or Names is the initial server filter.
	Pattern string
	Names   []string
	// Decorator fills the selection mark and download state columns; nil
	// hides the state column. With a Downloader the downloads' own
	// decorator replaces it.
	Decorator RowDecorator
	// Downloader, when set, turns on selection and downloads (space, a, A,
	// c/x, d, tab); normally the same *wandb.Client as Source.
	Downloader Downloader
	// Parallel is how many files download at once (DefaultParallel when 0).
	Parallel int
	// Existing is the policy for a local file with other content
	// (--overwrite chooses wandb.Overwrite).
	Existing wandb.ExistingPolicy
	// Now is the clock for relative times; nil means time.Now.
	Now func() time.Time
	// Dark is the initial background assumption until the terminal
	// answers tea.RequestBackgroundColor.
	Dark bool
}

// Model is the root Bubble Tea model.
type Model struct {
	common
	src  Source
	dest string

	state    viewState
	helpFrom viewState // the state the help overlay returns to
	isDark   bool
	browser  *model.Browser
	list     listView
	filter   filterBar
	detail   detailView
	help     help.Model
	previews *previewCache
	status   string // a one-line message under the list
	features keymap.Features
	quitting bool

	// downloads is the download queue and its view; its queue and
	// selection are shared by every copy of the model.
	downloads Downloads
}

// New returns the root model for opts.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PageSize <= 0 {
		opts.PageSize = wandb.DefaultPageSize
	}
	if opts.Dest == "" {
		opts.Dest = "."
	}
	c := common{
		styles: DefaultStyles(opts.Dark),
		keys:   keymap.Default(),
		now:    opts.Now,
	}
	b := model.NewBrowser(opts.Run, opts.PageSize, opts.Pattern, opts.Names)
	m := &Model{
		common:   c,
		src:      opts.Source,
		dest:     opts.Dest,
		isDark:   opts.Dark,
		browser:  b,
		filter:   newFilterBar(c),
		help:     help.New(),
		previews: newPreviewCache(),
	}
	m.downloads = NewDownloads(DownloadsOptions{
		Downloader: opts.Downloader,
		Dest:       opts.Dest,
		Parallel:   opts.Parallel,
		Existing:   opts.Existing,
		Source:     opts.Source,
		Run:        opts.Run.Ref,
	})
	decorator := opts.Decorator
	if opts.Downloader != nil {
		m.features = keymap.Features{Selection: true, Downloads: true}
		decorator = DownloadsDecorator(m.downloads.Selection(), m.downloads)
	}
	m.list = newListView(c, b, opts.Dest, decorator)
	if opts.Downloader != nil {
		m.list.totals = m.downloads.Totals
		m.list.sel = m.downloads.Selection()
	}
	m.help.Styles = c.styles.Help
	return m
}

// Init asks for the background colour and the first page.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.requestPage(), m.list.spinner.Tick)
}

// State returns the name of the active view ("list", "filter", "detail",
// "help", "downloads").
func (m *Model) State() string { return m.state.String() }

// Browser returns the list state, for tests and for wiring selection.
func (m *Model) Browser() *model.Browser { return m.browser }

// requestPage returns the command for the next page when the browser
// wants one, or nil.
func (m *Model) requestPage() tea.Cmd {
	req, ok := m.browser.WantPage()
	if !ok {
		return nil
	}
	return m.sendPage(req)
}

func (m *Model) sendPage(req model.PageRequest) tea.Cmd {
	fetch := fetchPage(m.src, m.browser.Run.Ref, m.browser.Query(req), req.Gen)
	return tea.Batch(fetch, m.list.spinner.Tick)
}

// activeKeys returns the bindings of the active view, with those that do not
// apply disabled.
func (m *Model) activeKeys() keymap.KeyMap {
	f := m.features
	f.Retry = m.browser.Err() != nil
	f.Filtered = m.browser.Filtered()
	v := keymap.ListView
	switch m.state {
	case stateFilter:
		v = keymap.FilterView
	case stateDetail:
		v = keymap.DetailView
	case stateHelp:
		v = keymap.HelpView
	case stateDownloads:
		v = keymap.DownloadsView
	}
	return m.keys.ForView(v, f)
}

// resize hands the new size to every child.
func (m *Model) resize() {
	rows := m.height - listHeaderLines - listStatusLines - 1 // footer
	if m.state == stateFilter {
		rows-- // the filter line
	}
	m.list.setCommon(m.common, max(rows, 1))
	m.detail.setCommon(m.common)
	m.filter.setCommon(m.common, m.isDark)
	m.help.SetWidth(m.width)
	dc := m.common
	dc.height = max(m.height-1, 1) // the footer
	m.downloads.setCommon(dc)
}

// setStyles rebuilds the styles for a dark or light background.
func (m *Model) setStyles(isDark bool) {
	m.isDark = isDark
	m.styles = DefaultStyles(isDark)
	m.help.Styles = m.styles.Help
	m.resize()
}
