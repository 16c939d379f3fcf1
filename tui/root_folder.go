package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// folderLevel is one folder of the run's stack, with the id its page
// answers carry: a folder left and opened again is a new level, so an
// answer meant for the old one is dropped.
type folderLevel struct {
	*model.Folder
	id int
}

// folder returns the folder shown, or nil in the flat list.
func (m *Model) folder() *folderLevel {
	if m.flat || len(m.folders) == 0 {
		return nil
	}
	return &m.folders[len(m.folders)-1]
}

// topFolder returns the top level of run's files, with first as its
// first page when the caller fetched it already.
func (m *Model) topFolder(run wandb.RunInfo, first *wandb.FilesPage) folderLevel {
	m.lists++
	f := model.NewFolder("", m.pageSize, run.FileCount)
	if first != nil {
		if req, ok := f.Next(); ok {
			f.ReceiveFiles(req.Gen, *first, nil)
		}
	}
	return folderLevel{Folder: f, id: m.lists}
}

// openFolder shows folder path of the run, on top of the stack; its
// first page is asked for at once.
func (m *Model) openFolder(path string) tea.Cmd {
	m.lists++
	f := model.NewFolder(path, m.browser.PageSize, m.browser.Run.FileCount)
	m.folders = append(m.folders, folderLevel{Folder: f, id: m.lists})
	m.list.show(f)
	m.resize()
	return m.requestPage()
}

// folderUp goes back to the folder above, as it was left (rows, cursor,
// paging: no request); false at the run's top.
func (m *Model) folderUp() bool {
	if len(m.folders) < 2 {
		return false
	}
	m.folders = m.folders[:len(m.folders)-1]
	m.list.show(m.folders[len(m.folders)-1].Folder)
	m.resize()
	return true
}

// toggleFlat switches between the folders and the flat list of every
// path, each as it was left.
func (m *Model) toggleFlat() tea.Cmd {
	m.flat = !m.flat
	if !m.flat && len(m.folders) == 0 {
		m.folders = []folderLevel{m.topFolder(m.browser.Run, nil)}
	}
	if lv := m.folder(); lv != nil {
		m.list.show(lv.Folder)
	} else {
		m.list.show(nil)
	}
	m.resize()
	return m.requestPage()
}

// folderPageFetched records a folder's page; answers for a folder no
// longer on the stack are dropped.
func (m *Model) folderPageFetched(msg pageFetchedMsg) tea.Cmd {
	for i := range m.folders {
		if m.folders[i].id == msg.list {
			if !m.folders[i].ReceiveFiles(msg.gen, msg.page, msg.err) {
				return nil
			}
			return m.requestPage()
		}
	}
	return nil
}

// noteFolderRetry records a retry of a folder's page request.
func (m *Model) noteFolderRetry(msg pageRetryMsg) {
	for i := range m.folders {
		if m.folders[i].id == msg.list {
			m.folders[i].NoteRetry(msg.gen, msg.event)
		}
	}
}

// handleFolder acts on the keys that mean something else on a folder's
// rows than in the flat list; ok is false for the others, which the list
// handles alike in both.
func (m *Model) handleFolder(msg tea.KeyPressMsg, k keymap.KeyMap, lv *folderLevel) (cmd tea.Cmd, ok bool) {
	e, onRow := lv.Current()
	under := func() (wandb.FilesQuery, string) {
		path := lv.Child(e)
		return wandb.FilesQuery{Pattern: wandb.EscapeLike(path) + "%"}, "under " + termtext.Safe(path)
	}
	switch {
	case key.Matches(msg, k.Open, k.Into) && onRow && e.Dir:
		return m.openFolder(lv.Child(e)), true
	case key.Matches(msg, k.Into):
		return nil, true // a file has nothing to go into
	case key.Matches(msg, k.Bottom):
		lv.LoadMore() // and the cursor goes to the last row, as anywhere
		return nil, false
	case key.Matches(msg, k.Info) && onRow && e.Dir:
		return m.openFolderInfo(lv, e), true
	case key.Matches(msg, k.Out):
		if !m.folderUp() {
			return m.leaveFiles(), true
		}
		return m.requestPage(), true
	case key.Matches(msg, k.Select) && onRow && e.Dir:
		// Every file under the folder on the server, asked for first.
		q, what := under()
		lv.Move(1)
		return m.dl.selectAllOnServer(q, what), true
	case key.Matches(msg, k.Download) && onRow && e.Dir && m.dl.sel.Len() == 0:
		q, what := under()
		return m.dl.downloadAllOnServer(q, what), true
	case key.Matches(msg, k.SelectAll):
		var files []wandb.File
		for i := range lv.Len() {
			if r := lv.Row(i); !r.Dir {
				files = append(files, r.File)
			}
		}
		if n := m.dl.sel.Add(files...); n > 0 {
			m.status = "selected " + termtext.Comma(int64(n)) + " more (the loaded files shown; space on a folder selects it)"
		} else {
			m.status = "every file shown is already selected"
		}
		return nil, true
	case key.Matches(msg, k.SelectAllServer):
		what := "under " + termtext.Safe(lv.Path)
		if lv.Path == "" {
			what = "in the run"
		}
		if t := lv.FilterText(); t != "" {
			what += " matching " + termtext.Safe(t)
		}
		return m.dl.selectAllOnServer(lv.Query(model.PageRequest{}), what), true
	}
	return nil, false
}
