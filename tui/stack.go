package tui

import (
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// filesState is one files view of the stack: the files of a run (or,
// later on the stack, of an artifact version), in its folders or flat,
// with the source that lists them, where they land and its own
// selection. The root embeds the one shown; the others wait in their
// frames as they were left.
type filesState struct {
	browser *model.Browser
	list    listView
	// folders is the stack of folders opened, the top one shown unless
	// flat.
	folders []folderLevel
	flat    bool
	// src lists and previews the files; filesDest is where they land.
	src       Source
	filesDest string
	sel       *model.Selection
	// key is the row key of what the view shows in the list it was
	// opened from (a run's id), where the cursor goes back to.
	key string
	// artifact is set for an artifact version's files.
	artifact *wandb.ArtifactInfo
}

// frame is one view of the stack: a level (entities, projects, runs) or
// a files view.
type frame struct {
	level level
	files *filesState
}

// newFiles returns the files view of run, listed by src and landing in
// dest, opened in its top folder (sharing first, when the caller fetched
// it) unless flat.
func (m *Model) newFiles(run wandb.RunInfo, src Source, dest string, first *wandb.FilesPage, flat bool, pattern string, names []string) *filesState {
	fs := &filesState{src: src, filesDest: dest, sel: &model.Selection{}, flat: flat, key: run.Ref.RunID}
	fs.browser = model.NewBrowser(run, m.pageSize, pattern, names)
	if first != nil {
		fs.browser.ReceiveFirst(*first, nil)
	}
	fs.list = newListView(m.common, fs.browser, dest, m.dl)
	fs.list.crumbs = []string{run.Ref.Entity, run.Ref.Project}
	if !flat {
		fs.folders = []folderLevel{m.topFolder(run, first)}
		fs.list.show(fs.folders[0].Folder)
	}
	return fs
}

// showFiles makes fs the files view shown: the downloads act on its
// source, destination and selection from now on.
func (m *Model) showFiles(fs *filesState) {
	m.filesState = fs
	m.dl.src, m.dl.ref, m.dl.dest, m.dl.sel = fs.src, fs.browser.Run.Ref, fs.filesDest, fs.sel
	m.list.dl = m.dl
	m.resize()
}

// topFrame is the frame shown; the zero frame when the stack is empty.
func (m *Model) topFrame() frame {
	if len(m.stack) == 0 {
		return frame{}
	}
	return m.stack[len(m.stack)-1]
}

// top is the level shown, or nil when a files view is.
func (m *Model) top() level { return m.topFrame().level }

// picking reports whether a level is shown (not a files view).
func (m *Model) picking() bool { return m.top() != nil }

// inFiles reports whether a files view is shown.
func (m *Model) inFiles() bool { return m.topFrame().files != nil }

// push shows f on top of the stack.
func (m *Model) push(f frame) {
	m.stack = append(m.stack, f)
	if f.files != nil {
		m.showFiles(f.files) // which resizes
		return
	}
	m.resize()
}

// pop goes back to the frame below the top; false when there is none.
func (m *Model) pop() bool {
	if len(m.stack) < 2 {
		return false
	}
	m.stack = m.stack[:len(m.stack)-1]
	if fs := m.topFrame().files; fs != nil {
		m.showFiles(fs) // which resizes
		return true
	}
	m.resize()
	return true
}
