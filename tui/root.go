package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// Model is the root Bubble Tea model: a small state machine that routes
// messages to its children and switches views. Answers to commands go to
// whoever asked whatever the view; keys go to an open question first, then
// to the active view.
type Model struct {
	common
	// filesState is the files view shown or last shown (a run's).
	*filesState
	dest string

	state    viewState
	helpFrom viewState // the state the help overlay returns to
	isDark   bool
	filter   filterBar
	detail   detailView
	jobs     jobsView
	help     help.Model
	asks     questions
	dl       *downloads
	previews *previewCache
	status   string // a one-line message under the list
	features keymap.Features
	quitting bool
	// lists numbers the lists made, for the ids their page answers
	// carry.
	lists int
	// stack is the views the user moved through: levels (entities,
	// projects, runs) and files views; the top one is shown.
	nav    Navigator
	source Source // the client: lists the files of runs
	// artifactDest is where artifacts' files land; "" for Dest/NAME/vN.
	artifactDest string
	stack        []frame
	pageSize     int
	// info is a run's details (i), opened from infoFrom.
	info     infoView
	infoGen  int
	infoFrom viewState
	// drawn is the last frame drawn, "" when a message may have changed
	// it; quiet is set by a frame tick that found nothing new, whose
	// frame is then not drawn again.
	drawn string
	quiet bool
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
	c := common{styles: DefaultStyles(opts.Dark), keys: keymap.Default(), now: opts.Now}
	dl := &downloads{src: opts.Source, ref: opts.Run.Ref, dest: opts.Dest, sel: &model.Selection{}}
	m := &Model{
		common: c, dest: opts.Dest, isDark: opts.Dark, pageSize: opts.PageSize,
		filter: newFilterBar(c), help: help.New(), previews: newPreviewCache(), dl: dl,
	}
	if opts.Downloader != nil {
		dl.run = runner.New(opts.Downloader, runner.Options{
			Dest: opts.Dest, Parallel: opts.Parallel,
			Download: wandb.DownloadOptions{Existing: opts.Existing},
		})
		m.features = keymap.Features{Selection: true, Downloads: true}
	}
	m.source, m.artifactDest = opts.Source, opts.ArtifactDest
	m.nav, _ = opts.Source.(Navigator)
	// A run opens in its top folder, which shares the first page; a
	// pattern or names list paths, not folders.
	flat := opts.Flat || opts.Pattern != "" || len(opts.Names) > 0
	m.showFiles(m.newFiles(opts.Run, opts.Source, opts.Dest, opts.FirstPage, flat, opts.Pattern, opts.Names))
	m.initStack(opts)
	m.jobs = newJobsView(c, dl.run, opts.Dest)
	m.asks = questions{keys: c.keys, unfinished: m.unfinished}
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

// Browser returns the list state, for tests.
func (m *Model) Browser() *model.Browser { return m.browser }

// Update routes msg and then lets a question that opened on its own take
// keys only where the user is not typing for something else.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.quiet = false
	cmd := m.route(msg)
	m.asks.hold(m.state != stateList && m.state != stateDownloads)
	if !m.quiet {
		m.drawn = ""
	}
	return m, cmd
}

func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m.requestPage()
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
	case tea.ColorProfileMsg:
		// No text attributes, no reverse video: mark the cursor row.
		m.plain = msg.Profile == colorprofile.NoTTY
		m.resize()
	case pageFetchedMsg:
		return m.pageFetched(msg)
	case pageRetryMsg:
		// The request goes on; its next event is awaited.
		if msg.list == 0 {
			m.browser.NoteRetry(msg.gen, msg.event)
		} else {
			m.noteFolderRetry(msg)
		}
		return msg.next
	case levelPageMsg:
		return m.levelPage(msg)
	case runDetailMsg, folderDiskMsg:
		m.info, _ = m.info.Update(msg)
	case previewFetchedMsg:
		m.previews.put(msg)
		m.detail, _ = m.detail.Update(msg)
	case localStateCheckedMsg:
		m.detail, _ = m.detail.Update(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.list, cmd = m.list.update(msg)
		if m.picking() {
			return tea.Batch(cmd, m.top().update(msg))
		}
		return cmd
	case tea.PasteMsg:
		if m.state == stateFilter {
			return m.handleFilter(msg)
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	default:
		if cmd, ok := m.downloadsMsg(msg); ok {
			return cmd
		}
		if m.state == stateFilter {
			// The text input's own messages.
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			return cmd
		}
	}
	return nil
}

// handleKey gives a key to an open question, applies the global keys, then
// hands it to the active view.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.activeKeys()
	if key.Matches(msg, k.ForceQuit) {
		return m.forceQuit()
	}
	if key.Matches(msg, m.keys.Suspend) {
		return tea.Suspend
	}
	m.status, m.dl.status = "", ""
	if m.asks.Open() {
		// An open question takes every key until it is answered, but
		// only while it is on screen.
		if m.tooSmall() {
			return nil
		}
		var cmd tea.Cmd
		m.asks, cmd = m.asks.Update(msg)
		if a, ok := m.asks.Answered(); ok {
			return tea.Batch(cmd, m.answered(a))
		}
		return cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case m.tooSmall():
		return nil // nothing the user cannot see should happen
	case m.dl.listingRuns() && key.Matches(msg, m.keys.ClearFilter) && (m.state == stateList || m.state == stateDownloads):
		// esc first stops the listing of A, the last thing asked for.
		m.dl.cancelListing()
		return nil
	case key.Matches(msg, k.Help):
		m.toggleHelp()
		return nil
	case key.Matches(msg, k.Downloads):
		m.toggleDownloads()
		return m.requestPage()
	}
	switch m.state {
	case stateFilter:
		return m.handleFilter(msg)
	case stateDetail:
		return m.handleDetail(msg, k)
	case stateHelp:
		if key.Matches(msg, k.Back) {
			m.toggleHelp()
		}
		return nil
	case stateDownloads:
		var cmd tea.Cmd
		m.jobs, cmd = m.jobs.Update(msg)
		return cmd
	case stateInfo:
		return m.handleInfo(msg)
	}
	if m.picking() {
		return m.handleLevel(msg, k)
	}
	return m.handleList(msg, k)
}

// activeKeys returns the bindings of the active view, with those that do not
// apply disabled.
func (m *Model) activeKeys() keymap.KeyMap { return m.keysFor(m.state) }

// keysFor returns the bindings of view state s as they apply now.
func (m *Model) keysFor(s viewState) keymap.KeyMap {
	f := m.features
	if m.picking() {
		return m.keys.ForView(s.keymapView(), m.levelFeatures(f))
	}
	f.RunInfo = m.nav != nil && m.artifact == nil
	f.Artifacts = f.RunInfo
	_, f.Info = m.currentFile()
	f.Retry = m.list.paging().Err() != nil
	f.Filtered = m.browser.Filtered()
	f.Flat = true
	if lv := m.folder(); lv != nil {
		f.Filtered = lv.FilterText() != ""
		f.FixedOrder = true
		e, ok := lv.Current()
		f.Into = ok && e.Dir
		f.Info = ok
		f.Out = len(m.folders) > 1 || len(m.stack) > 1
	} else {
		f.Out = len(m.folders) > 0 // back to the folders
	}
	return m.keys.ForView(s.keymapView(), f)
}

// resize hands the new size to every child.
func (m *Model) resize() {
	rows := m.height - listHeaderLines - listStatusLines - 1 // footer
	if m.state == stateFilter {
		rows-- // the filter line
	}
	m.list.setCommon(m.common, max(rows, 1))
	for _, f := range m.stack {
		if f.level != nil {
			f.level.setCommon(m.common, max(rows, 1))
		} else if f.files != m.filesState {
			f.files.list.setCommon(m.common, max(rows, 1))
		}
	}
	m.info.setCommon(m.common)
	m.detail.setCommon(m.common)
	m.filter.setCommon(m.common, m.isDark)
	m.help.SetWidth(m.width)
	m.asks.width = m.width
	jc := m.common
	jc.height = max(m.height-1, 1) // the footer
	m.jobs.setCommon(jc)
}

// setStyles rebuilds the styles for a dark or light background.
func (m *Model) setStyles(isDark bool) {
	m.isDark = isDark
	m.styles = DefaultStyles(isDark)
	m.help.Styles = m.styles.Help
	m.resize()
}

// toggleHelp opens the full help over the current view or closes it.
func (m *Model) toggleHelp() {
	if m.state == stateHelp {
		m.state = m.helpFrom
	} else {
		m.helpFrom, m.state = m.state, stateHelp
	}
	m.help.ShowAll = m.state == stateHelp
}
