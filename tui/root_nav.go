package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb"
)

// initStack builds the stack up to the place the program opens at: the
// entities, then the entity's projects, then the project's runs, as far
// as opts name them, then the run's files. Each level asks for its rows
// only when shown, so a run opened directly costs no request for them
// until the user goes back. Without a Navigator there is only the run.
func (m *Model) initStack(opts Options) {
	run := opts.Run.Ref.RunID != ""
	entity, project := opts.Entity, opts.Project
	if run {
		entity, project = opts.Run.Ref.Entity, opts.Run.Ref.Project
	}
	if a := opts.Artifact; a != nil {
		entity, project = a.Entity, a.Project
	}
	if m.nav != nil {
		m.stack = append(m.stack, frame{level: newEntitiesLevel(m.common, m.nextList(), m.nav, m.dest)})
		if entity != "" {
			m.stackLevel(newProjectsLevel(m.common, m.nextList(), m.nav, entity, m.dest, m.pageSize))
		}
		if entity != "" && project != "" {
			m.stackLevel(newRunsLevel(m.common, m.nextList(), m.nav, entity, project, m.dest, m.pageSize))
		}
	}
	if a := opts.Artifact; a != nil && m.nav != nil {
		m.stack = append(m.stack, frame{level: newVersionsLevel(m.common, m.nextList(), m.nav, a.Entity, a.Project, a.Collection, m.dest, m.pageSize)})
		m.openArtifact(*a, a.ID)
		return
	}
	if run || m.nav == nil {
		m.stack = append(m.stack, frame{files: m.filesState})
	}
}

// stackLevel puts l on the stack under construction, the level below it
// ready to show, when the user comes back, the row that leads to l.
func (m *Model) stackLevel(l level) {
	if below := m.top(); below != nil && l.origin() != "" {
		below.focusOn(l.origin())
	}
	m.stack = append(m.stack, frame{level: l})
}

// nextList numbers a new list, for the ids its page answers carry.
func (m *Model) nextList() int {
	m.lists++
	return m.lists
}

// pushLevel shows l on top of the stack and asks for its first page.
func (m *Model) pushLevel(l level) tea.Cmd {
	m.push(frame{level: l})
	return l.wantPage()
}

// levelPage records a level's page; answers for a level no longer on the
// stack are dropped.
func (m *Model) levelPage(msg levelPageMsg) tea.Cmd {
	for _, f := range m.stack {
		if l := f.level; l != nil && l.id() == msg.level {
			if l.receive(msg) && l == m.top() && m.picking() {
				return l.wantPage() // the page may not fill the screen
			}
			return nil
		}
	}
	return nil
}

// handleLevel acts on the keys of a level: in, out, order, details,
// retry, the filter line; movement goes to its table.
func (m *Model) handleLevel(msg tea.KeyPressMsg, k keymap.KeyMap) tea.Cmd {
	l := m.top()
	switch {
	case key.Matches(msg, k.Open, k.Into):
		return m.enterRow()
	case key.Matches(msg, k.Out):
		if m.pop() && l.origin() != "" && m.top() != nil {
			m.top().focusOn(l.origin()) // the row that was opened
		}
		return m.requestPage()
	case key.Matches(msg, k.Sort):
		l.nextOrder()
	case key.Matches(msg, k.Retry):
		return l.retry()
	case key.Matches(msg, k.Filter):
		return m.openFilter()
	case key.Matches(msg, k.ClearFilter):
		return m.clearServerFilter()
	case key.Matches(msg, k.Info):
		if r, ok := l.current(); ok {
			if run, ok := r.(wandb.RunInfo); ok {
				return m.openInfo(run.Ref)
			}
		}
	default:
		cmd := l.update(msg)
		return tea.Batch(cmd, l.wantPage())
	}
	return l.wantPage()
}

// enterRow opens the row under the cursor: an entity's projects, a
// project's runs, a run's folders.
func (m *Model) enterRow() tea.Cmd {
	r, ok := m.top().current()
	if !ok {
		return nil
	}
	switch r := r.(type) {
	case wandb.Entity:
		return m.pushLevel(newProjectsLevel(m.common, m.nextList(), m.nav, r.Name, m.dest, m.pageSize))
	case wandb.Project:
		return m.pushLevel(newRunsLevel(m.common, m.nextList(), m.nav, r.Entity, r.Name, m.dest, m.pageSize))
	case wandb.RunInfo:
		return m.openRun(r)
	case artifactRow:
		return m.openArtifact(r.ArtifactInfo, artifactKey(r))
	}
	return nil
}

// openArtifacts shows the artifacts the run shown logged and used.
func (m *Model) openArtifacts() tea.Cmd {
	if m.nav == nil || m.artifact != nil {
		return nil
	}
	return m.pushLevel(newRunArtifactsLevel(m.common, m.nextList(), m.nav, m.browser.Run, m.dest, m.pageSize))
}

// artifactNote is what the header says of an artifact version: its
// aliases and digest.
func artifactNote(a wandb.ArtifactInfo) string {
	var parts []string
	if len(a.Aliases) > 0 {
		parts = append(parts, strings.Join(a.Aliases, ","))
	}
	if a.Digest != "" {
		parts = append(parts, "digest "+a.Digest)
	}
	return strings.Join(parts, " · ")
}

// openArtifact shows the files of artifact version a, which land under
// --dest/NAME/vN; key is its row's key in the list it is opened from.
func (m *Model) openArtifact(a wandb.ArtifactInfo, key string) tea.Cmd {
	dest, err := a.LocalDir(m.dest)
	if m.artifactDest != "" {
		dest, err = m.artifactDest, nil
	}
	if err != nil {
		m.status = termtext.Line(err.Error())
		return nil
	}
	run := wandb.RunInfo{
		Ref:       wandb.RunRef{Entity: a.Entity, Project: a.Project, RunID: a.Name()},
		State:     a.Type,
		FileCount: a.FileCount,
	}
	fs := m.newFiles(run, m.nav.ArtifactListing(a), dest, nil, false, "", nil)
	fs.artifact, fs.key = &a, key
	fs.list.note = artifactNote(a)
	m.push(frame{files: fs})
	return m.requestPage()
}

// openRun shows run's top folder: a new files view, with its own
// selection; downloads already queued go on.
func (m *Model) openRun(run wandb.RunInfo) tea.Cmd {
	m.push(frame{files: m.newFiles(run, m.source, m.dest, nil, false, "", nil)})
	return m.requestPage()
}

// leaveFiles goes back from a files view's top folder to the list it was
// opened from, with the cursor on what was open.
func (m *Model) leaveFiles() tea.Cmd {
	left := m.filesState.key
	if !m.pop() {
		m.status = "this is the top of the run (v shows every path)"
		return nil
	}
	if l := m.top(); l != nil {
		l.focusOn(left)
	}
	return m.requestPage()
}

// openInfo shows the details of the run ref, loaded in the background.
func (m *Model) openInfo(ref wandb.RunRef) tea.Cmd {
	if m.nav == nil {
		return nil
	}
	m.infoGen++
	m.info = newInfoView(m.common, ref.String()+" · run details", "loading the run's details…", m.infoGen)
	m.infoFrom, m.state = m.state, stateInfo
	return fetchRunDetail(m.nav, ref, m.infoGen)
}

// levelFeatures are the keys' features on the level shown.
func (m *Model) levelFeatures(f keymap.Features) keymap.Features {
	l := m.top()
	f.Picker = true
	f.Retry = l.paging().Err() != nil
	f.Filtered = l.search() != ""
	r, ok := l.current()
	f.Into = ok
	f.Out = len(m.stack) > 1
	_, f.Info = r.(wandb.RunInfo)
	f.FixedOrder = !l.hasOrder()
	return f
}

// handleInfo gives a key to the run details view.
func (m *Model) handleInfo(msg tea.KeyPressMsg) tea.Cmd {
	var cmd tea.Cmd
	m.info, cmd = m.info.Update(msg)
	if m.info.closed {
		m.state = m.infoFrom
	}
	return cmd
}
