package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/colorprofile"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb"
)

// Update routes a message: window sizes and answers to commands go where
// they belong whatever the view; keys go to the active view only.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.route(msg)
	nm := next.(*Model)
	nm.placePrompt()
	return nm, cmd
}

// placePrompt keeps a question that opened on its own (a listing or a
// free space check came back) from taking keys typed for the filter line,
// the detail view or the help: it waits, shown in the status line, until
// the list or the downloads view is back.
func (m *Model) placePrompt() {
	if m.state == stateList || m.state == stateDownloads {
		m.downloads.askHeld()
	} else {
		m.downloads.holdPrompt()
	}
}

func (m *Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	if isDownloadMsg(msg) {
		// Downloads go on whatever the user is looking at.
		return m.downloadsUpdate(msg)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, m.requestPage()
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
		return m, nil
	case tea.ColorProfileMsg:
		// No text attributes, no reverse video: mark the cursor row.
		m.plain = msg.Profile == colorprofile.NoTTY
		m.resize()
		return m, nil
	case pageFetchedMsg:
		return m.pageFetched(msg)
	case previewFetchedMsg:
		m.previews.put(msg)
		m.detail, _ = m.detail.Update(msg)
		return m, nil
	case localStateCheckedMsg:
		m.detail, _ = m.detail.Update(msg)
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.list, cmd = m.list.update(msg)
		return m, cmd
	case tea.PasteMsg:
		if m.state == stateFilter {
			return m.handleFilter(msg)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	if m.state == stateFilter {
		// The text input's own messages (cursor blink).
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return m, cmd
	}
	return m, nil
}

// handleKey applies global keys, then hands the key to the active view.
func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.activeKeys()
	if key.Matches(msg, k.ForceQuit) {
		return m.forceQuit()
	}
	if m.downloads.Prompting() {
		// An open question takes every key until it is answered, but
		// only while it is on screen.
		if m.tooSmall() {
			return m, nil
		}
		m.status = ""
		return m.downloadsUpdate(msg)
	}
	if key.Matches(msg, k.Quit) {
		return m.quit()
	}
	m.status = ""
	m.downloads.ClearStatus()
	if m.tooSmall() {
		return m, nil // nothing the user cannot see should happen
	}
	if m.downloads.Listing() && key.Matches(msg, m.keys.ClearFilter) && (m.state == stateList || m.state == stateDownloads) {
		// esc first stops the listing of A, the last thing asked for.
		m.downloads.CancelListing()
		return m, nil
	}
	if key.Matches(msg, k.Help) {
		m.toggleHelp()
		return m, nil
	}
	if key.Matches(msg, k.Downloads) {
		m.toggleDownloads()
		return m, m.requestPage()
	}
	switch m.state {
	case stateFilter:
		return m.handleFilter(msg)
	case stateDetail:
		if key.Matches(msg, k.Download) {
			return m, m.downloads.Request([]wandb.File{m.detail.file})
		}
		var cmd tea.Cmd
		m.detail, cmd = m.detail.Update(msg)
		if m.detail.Closed() {
			m.state = stateList
		}
		return m, cmd
	case stateHelp:
		return m.handleHelp(msg, k)
	case stateDownloads:
		return m.downloadsUpdate(msg)
	}
	return m.handleList(msg, k)
}

// pageFetched records a page answer; a stale one changes nothing.
func (m *Model) pageFetched(msg pageFetchedMsg) (tea.Model, tea.Cmd) {
	if !m.browser.Receive(msg.gen, msg.page, msg.err) {
		return m, nil
	}
	// The page may not fill the screen; ask for the next one at once then.
	return m, m.requestPage()
}

// handleList moves through the list and opens the other views.
func (m *Model) handleList(msg tea.KeyPressMsg, k keymap.KeyMap) (tea.Model, tea.Cmd) {
	b := m.browser
	switch {
	case key.Matches(msg, k.Sort):
		b.SetSort(b.Sort().Next())
	case key.Matches(msg, k.Retry):
		if req, ok := b.Retry(); ok {
			return m, m.sendPage(req)
		}
	case key.Matches(msg, k.Filter):
		return m.openFilter()
	case key.Matches(msg, k.ClearFilter):
		return m.clearServerFilter()
	case key.Matches(msg, k.Open):
		return m.openDetail()
	default:
		if cmd, ok := m.handleSelection(msg, k); ok {
			return m, tea.Batch(cmd, m.requestPage())
		}
		m.list, _ = m.list.update(msg)
	}
	return m, m.requestPage()
}

// handleHelp scrolls nothing: the overlay closes on esc or ?.
func (m *Model) handleHelp(msg tea.KeyPressMsg, k keymap.KeyMap) (tea.Model, tea.Cmd) {
	if key.Matches(msg, k.Back) {
		m.toggleHelp()
	}
	return m, nil
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
