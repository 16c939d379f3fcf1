package tui

import "github.com/wbfiles/wbfiles/keymap"

// viewState is the view the root model shows and routes keys to.
type viewState int

const (
	stateList      viewState = iota // browsing the list
	stateFilter                     // typing in the filter line over the list
	stateDetail                     // one file's details and preview
	stateHelp                       // full help over the list
	stateDownloads                  // the download queue (tab)
	stateInfo                       // a run's details
)

// String names the state, for tests and debugging.
func (s viewState) String() string {
	switch s {
	case stateList:
		return "list"
	case stateFilter:
		return "filter"
	case stateDetail:
		return "detail"
	case stateHelp:
		return "help"
	case stateDownloads:
		return "downloads"
	case stateInfo:
		return "info"
	}
	return "unknown"
}

// keymapView is the key map's view of the state.
func (s viewState) keymapView() keymap.View {
	switch s {
	case stateFilter:
		return keymap.FilterView
	case stateDetail:
		return keymap.DetailView
	case stateHelp:
		return keymap.HelpView
	case stateDownloads:
		return keymap.DownloadsView
	case stateInfo:
		return keymap.InfoView
	}
	return keymap.ListView
}
