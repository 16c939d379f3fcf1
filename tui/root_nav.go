package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// initLevels builds the levels above the place the program opens at:
// the entities, then the entity's projects, then the project's runs, as
// far as opts name them. Each asks for its rows only when shown, so a run
// opened directly costs no request for them until the user goes back.
func (m *Model) initLevels(opts Options) {
	if m.nav == nil {
		m.inRun = true
		return
	}
	entity, project := opts.Entity, opts.Project
	if m.inRun {
		entity, project = opts.Run.Ref.Entity, opts.Run.Ref.Project
	}
	m.levels = append(m.levels, newEntitiesLevel(m.common, m.nextList(), m.nav, m.dest))
	if entity != "" {
		m.levels = append(m.levels, newProjectsLevel(m.common, m.nextList(), m.nav, entity, m.dest, m.pageSize))
	}
	if entity != "" && project != "" {
		m.levels = append(m.levels, newRunsLevel(m.common, m.nextList(), m.nav, entity, project, m.dest, m.pageSize))
	}
}

// nextList numbers a new list, for the ids its page answers carry.
func (m *Model) nextList() int {
	m.lists++
	return m.lists
}

// top is the level shown when no run is; nil when there is none.
func (m *Model) top() level {
	if len(m.levels) == 0 {
		return nil
	}
	return m.levels[len(m.levels)-1]
}

// picking reports whether a level above the run is shown.
func (m *Model) picking() bool { return !m.inRun && m.top() != nil }

// pushLevel shows l on top of the stack and asks for its first page.
func (m *Model) pushLevel(l level) tea.Cmd {
	m.levels = append(m.levels, l)
	m.resize()
	return l.wantPage()
}

// levelPage records a level's page; answers for a level no longer on the
// stack are dropped.
func (m *Model) levelPage(msg levelPageMsg) tea.Cmd {
	for _, l := range m.levels {
		if l.id() == msg.level {
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
		if len(m.levels) > 1 {
			m.levels = m.levels[:len(m.levels)-1]
			m.resize()
		}
		return m.top().wantPage()
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
	}
	return nil
}

// openRun shows run's top folder. The run's own state (its lists, its
// selection) is new; downloads already queued go on.
func (m *Model) openRun(run wandb.RunInfo) tea.Cmd {
	if n := m.dl.sel.Len(); n > 0 && run.Ref != m.browser.Run.Ref {
		m.status = "the selection of " + termtext.Count(n, "file") + " in " + termtext.Safe(m.browser.Run.Ref.RunID) + " was dropped"
	}
	if run.Ref != m.browser.Run.Ref || len(m.folders) == 0 {
		m.setRun(run, nil)
	}
	m.inRun = true
	m.resize()
	return m.requestPage()
}

// setRun makes run the one browsed, with first as its first page when
// the caller fetched it.
func (m *Model) setRun(run wandb.RunInfo, first *wandb.FilesPage) {
	m.browser = model.NewBrowser(run, m.pageSize, "", nil)
	m.dl.ref, m.dl.sel = run.Ref, &model.Selection{}
	m.list = newListView(m.common, m.browser, m.dest, m.dl)
	m.list.crumbs = []string{run.Ref.Entity, run.Ref.Project}
	m.folders, m.flat = []folderLevel{m.topFolder(first)}, false
	m.list.show(m.folders[0].Folder)
}

// leaveRun goes back from a run's top folder to the runs above it.
func (m *Model) leaveRun() tea.Cmd {
	if m.top() == nil {
		m.status = "this is the top of the run (v shows every path)"
		return nil
	}
	m.inRun = false
	m.top().focusOn(m.browser.Run.Ref.RunID)
	m.resize()
	return m.top().wantPage()
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
	f.Out = len(m.levels) > 1
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
