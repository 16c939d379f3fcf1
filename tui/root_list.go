package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// requestPage returns the command for the next page when the browser
// wants one, or nil.
func (m *Model) requestPage() tea.Cmd {
	if m.picking() {
		return m.top().wantPage()
	}
	if !m.inFiles() {
		return nil // nothing shown to list
	}
	want := m.browser.WantPage
	if lv := m.folder(); lv != nil {
		want = lv.WantPage
	}
	req, ok := want()
	if !ok {
		return nil
	}
	return m.sendPage(req)
}

// sendPage sends request req of the list shown.
func (m *Model) sendPage(req model.PageRequest) tea.Cmd {
	q, list := m.browser.Query(req), 0
	if lv := m.folder(); lv != nil {
		q, list = lv.Query(req), lv.id
	}
	fetch := fetchPage(m.src, m.browser.Run.Ref, q, list, req.Gen)
	return tea.Batch(fetch, m.list.spinner.Tick)
}

// pageFetched records a page answer; a stale one changes nothing.
func (m *Model) pageFetched(msg pageFetchedMsg) tea.Cmd {
	if msg.list != 0 {
		return m.folderPageFetched(msg)
	}
	if !m.browser.Receive(msg.gen, msg.page, msg.err) {
		return nil
	}
	// The page may not fill the screen; ask for the next one at once then.
	return m.requestPage()
}

// handleList acts on the list's keys and opens the other views; movement
// goes to the list's table.
func (m *Model) handleList(msg tea.KeyPressMsg, k keymap.KeyMap) tea.Cmd {
	b := m.browser
	lv := m.folder()
	if lv != nil {
		if cmd, ok := m.handleFolder(msg, k, lv); ok {
			return tea.Batch(cmd, m.requestPage())
		}
	}
	switch {
	case key.Matches(msg, k.Flat):
		return m.toggleFlat()
	case key.Matches(msg, k.Out):
		// The flat list's way back is to the folders.
		return m.toggleFlat()
	case key.Matches(msg, k.Info):
		return m.openDetail() // a file's details, as enter
	case key.Matches(msg, k.RunInfo):
		return m.openInfo(m.browser.Run.Ref)
	case key.Matches(msg, k.Artifacts):
		return m.openArtifacts()
	case key.Matches(msg, k.Sort):
		b.SetSort(b.Sort().Next())
	case key.Matches(msg, k.Retry):
		if req, ok := m.list.paging().Retry(); ok {
			return m.sendPage(req)
		}
	case key.Matches(msg, k.Filter):
		return m.openFilter()
	case key.Matches(msg, k.ClearFilter):
		return m.clearServerFilter()
	case key.Matches(msg, k.Open):
		return m.openDetail()
	default:
		if cmd, ok := m.handleSelection(msg, k); ok {
			return tea.Batch(cmd, m.requestPage())
		}
		m.list, _ = m.list.update(msg)
	}
	return m.requestPage()
}

// handleSelection applies the selection and download keys of the list; ok
// is false when msg is none of them.
func (m *Model) handleSelection(msg tea.KeyPressMsg, k keymap.KeyMap) (cmd tea.Cmd, ok bool) {
	b, sel := m.browser, m.dl.sel
	switch {
	case key.Matches(msg, k.Select):
		if f, ok := m.currentFile(); ok {
			sel.Toggle(f)
			m.list.cursor().Move(1)
		}
	case key.Matches(msg, k.SelectAll):
		// The header shows the new total; the status says what a did.
		if n := sel.Add(b.RowFiles()...); n > 0 {
			m.status = "selected " + termtext.Comma(int64(n)) + " more (every loaded row shown)"
		} else {
			m.status = "every row shown is already selected"
		}
	case key.Matches(msg, k.SelectAllServer):
		return m.dl.selectAllOnServer(b.Query(model.PageRequest{}), m.serverFilterWords()), true
	case key.Matches(msg, k.ClearSelection):
		if sel.Len() > 0 {
			m.status = "cleared the selection of " + termtext.Count(sel.Len(), "file")
		}
		sel.Clear()
	case key.Matches(msg, k.Download):
		f, onRow := m.currentFile()
		return m.dl.requestSelected(f, onRow), true
	default:
		return nil, false
	}
	return nil, true
}

// currentFile is the file under the cursor of the list shown; false on a
// folder's row or none.
func (m *Model) currentFile() (wandb.File, bool) {
	if lv := m.folder(); lv != nil {
		e, ok := lv.Current()
		return e.File, ok && !e.Dir
	}
	return m.browser.Current()
}

// serverFilterWords says which files "select all on the server" covers.
func (m *Model) serverFilterWords() string {
	b := m.browser
	switch {
	case b.FilterText() != "":
		return fmt.Sprintf("matching %q", b.FilterText())
	case b.Pattern() != "":
		return fmt.Sprintf("matching pattern %q", b.Pattern())
	case len(b.Names()) > 0:
		return "of the " + termtext.Count(len(b.Names()), "name") + " asked for"
	}
	return "in the run"
}

// handleDetail gives a key to the detail view; d downloads its file.
func (m *Model) handleDetail(msg tea.KeyPressMsg, k keymap.KeyMap) tea.Cmd {
	if key.Matches(msg, k.Download) {
		return m.dl.request([]wandb.File{m.detail.file}, false)
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.Update(msg)
	if m.detail.Closed() {
		m.state = stateList
	}
	return cmd
}
