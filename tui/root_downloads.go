package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// downloadsMsg routes the downloads' messages, whatever view is active;
// ok is false for other messages.
func (m *Model) downloadsMsg(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case frameMsg:
		changed, cmd := m.dl.frame()
		if changed {
			m.refreshDetailJob()
		}
		m.quiet = !changed
		if !m.dl.active() {
			m.dropQuitQuestion()
		}
		m.quitting = m.dl.quitting
		return cmd, true
	case batchCheckedMsg:
		return m.dl.batchChecked(msg, &m.asks), true
	case filesRefreshedMsg:
		return m.dl.enqueue(msg.to, mergeListing(msg.files, msg.fresh), false), true
	case matchingFetchedMsg:
		return m.dl.matchingFetched(msg, &m.asks), true
	case retryMsg:
		return m.dl.retry(msg.jobs), true
	}
	return nil, false
}

// Summary is what the downloads came to, for the normal screen after the
// program ends; "" when nothing was queued.
func (m *Model) Summary() string { return m.dl.summary() }

// Outcome is what the downloads came to, as data (the exit status is
// worked out from it); zero when downloads are off.
func (m *Model) Outcome() runner.Summary {
	if !m.dl.on() {
		return runner.Summary{}
	}
	return m.dl.run.Summary()
}

// Runner is the download runner, nil when downloads are off.
func (m *Model) Runner() *runner.Runner { return m.dl.run }

// Selection returns the files the user selected.
func (m *Model) Selection() *model.Selection { return m.dl.sel }

// unfinished counts the active downloads, for the quit question.
func (m *Model) unfinished() int {
	if !m.dl.on() {
		return 0
	}
	t := m.dl.run.Totals()
	return t.Queued + t.Running
}

// answered acts on the answer to a question.
func (m *Model) answered(a answeredMsg) tea.Cmd {
	cmd := m.dl.answered(a)
	m.quitting = m.dl.quitting
	return cmd
}

// dropQuitQuestion drops an open quit question once no download is left
// to ask about: what it offered (cancel, wait, keep going) means nothing
// then, and q quits at once.
func (m *Model) dropQuitQuestion() {
	if q, ok := m.asks.front(); ok && q.kind == askQuit {
		m.asks.drop()
		m.dl.status = "the downloads finished: q quits"
	}
}

// quit is the quit key: at once when nothing downloads, otherwise a
// question first (cancel and quit, wait, or keep going).
func (m *Model) quit() tea.Cmd {
	if !m.dl.active() {
		m.quitting = true
		return tea.Quit
	}
	m.asks.ask(question{kind: askQuit})
	return nil
}

// forceQuit is ctrl+c: like quit, but a second ctrl+c while the quit
// question is open cancels the downloads and quits without asking again.
func (m *Model) forceQuit() tea.Cmd {
	if q, ok := m.asks.front(); ok && q.kind == askQuit {
		m.asks.drop()
		m.dl.cancelAll()
		m.quitting = true
		return tea.Quit
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

// refreshDetailJob updates the detail view's download line when the job of
// its file changed; the viewport content is rebuilt only then.
func (m *Model) refreshDetailJob() {
	if m.detail.key == "" || m.detail.Closed() {
		return
	}
	m.detail.setJob(m.jobText(m.detail.file.Name))
}

// jobText is the detail view's download line for the file called name:
// the state, and why it failed.
func (m *Model) jobText(name string) string {
	j, ok := m.dl.job(name)
	if !ok {
		return ""
	}
	text := jobStateText(j)
	if j.State == runner.Running {
		text = "downloading, " + text
		if r := retryText(j); r != "" {
			text = "downloading, " + r
		}
	}
	if r := j.Reason(); r != "" && (j.State == runner.Failed || j.State == runner.Cancelled) {
		text += ": " + r
	}
	return text
}

// downloadsHelpKeys returns the help of the downloads view: its own keys
// and the root's for this view.
func (m *Model) downloadsHelpKeys() help.KeyMap {
	return m.jobs.HelpKeys(m.keysFor(stateDownloads))
}
