package tui

import (
	"fmt"

	"github.com/wbfiles/wbfiles/internal/termtext"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
)

// Summary returns what the downloads came to, for the normal screen after
// the program exits; "" when nothing was queued.
func (m *Model) Summary() string { return m.downloads.Summary() }

// Downloads returns the download queue, for tests and for the summary.
func (m *Model) Downloads() Downloads { return m.downloads }

// Selection returns the files the user selected.
func (m *Model) Selection() *model.Selection { return m.downloads.Selection() }

// downloadsUpdate hands msg to the downloads model and brings the detail
// view's download line up to date.
func (m *Model) downloadsUpdate(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.downloads, cmd = m.downloads.Update(msg)
	m.refreshDetailJob()
	return m, cmd
}

// quit is the quit key: at once when nothing downloads, otherwise the
// downloads ask first (cancel and quit, wait, or keep going).
func (m *Model) quit() (tea.Model, tea.Cmd) {
	if !m.downloads.Active() {
		m.quitting = true
		return m, tea.Quit
	}
	m.status = ""
	return m, m.downloads.AskQuit()
}

// forceQuit is ctrl+c: like quit, but a second ctrl+c while the quit
// question is open cancels the downloads and quits without asking again.
func (m *Model) forceQuit() (tea.Model, tea.Cmd) {
	if m.downloads.prompt == promptQuit {
		m.downloads.prompt = promptNone
		m.downloads.CancelAll()
		m.quitting = true
		return m, tea.Quit
	}
	return m.quit()
}

// toggleDownloads switches between the list and the downloads view.
func (m *Model) toggleDownloads() {
	if m.state == stateDownloads {
		m.state = stateList
	} else {
		m.state = stateDownloads
	}
	m.resize()
}

// handleSelection applies the selection and download keys of the list; ok
// is false when msg is none of them.
func (m *Model) handleSelection(msg tea.KeyPressMsg, k keymap.KeyMap) (cmd tea.Cmd, ok bool) {
	b, sel := m.browser, m.downloads.Selection()
	switch {
	case key.Matches(msg, k.Select):
		if f, ok := b.Current(); ok {
			sel.Toggle(f)
			b.Move(1)
		}
	case key.Matches(msg, k.SelectAll):
		// The header shows the new total; the status says what a did.
		if n := sel.Add(b.RowFiles()...); n > 0 {
			m.status = "selected " + humanize.Comma(int64(n)) + " more (every loaded row shown)"
		} else {
			m.status = "every row shown is already selected"
		}
	case key.Matches(msg, k.SelectAllServer):
		return m.downloads.SelectAllOnServer(b.Query(model.PageRequest{}), m.serverFilterWords()), true
	case key.Matches(msg, k.ClearSelection):
		if sel.Len() > 0 {
			m.status = "cleared the selection of " + termtext.Count(sel.Len(), "file")
		}
		sel.Clear()
	case key.Matches(msg, k.Download):
		f, onRow := b.Current()
		return m.downloads.RequestSelected(f, onRow), true
	default:
		return nil, false
	}
	return nil, true
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

// refreshDetailJob updates the detail view's download line when the job of
// its file changed state; the viewport content is rebuilt only then, not
// on every progress message.
func (m *Model) refreshDetailJob() {
	if m.detail.key == "" {
		return
	}
	text := m.jobText(m.detail.file.Name)
	if text != m.detail.job {
		m.detail.job = text
		m.detail.refresh()
	}
}

// jobText is the detail view's download line for the file called name:
// the state, and why it failed.
func (m *Model) jobText(name string) string {
	j, ok := m.downloads.Job(name)
	if !ok {
		return ""
	}
	text := jobStateText(j)
	if j.State == model.Running {
		text = "downloading, " + text
	}
	if j.Reason != "" && (j.State == model.Failed || j.State == model.Cancelled) {
		text += ": " + j.Reason
	}
	return text
}

// downloadsHelpKeys returns the help of the downloads view: its own keys
// and the root's for this view.
func (m *Model) downloadsHelpKeys() help.KeyMap {
	from := *m
	from.state = stateDownloads
	return m.downloads.HelpKeys(from.activeKeys())
}
