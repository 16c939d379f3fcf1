package tui

// viewState is the view the root model shows and routes keys to.
type viewState int

const (
	stateList      viewState = iota // browsing the list
	stateFilter                     // typing in the filter line over the list
	stateDetail                     // one file's details and preview
	stateHelp                       // full help over the list
	stateDownloads                  // the download queue (tab)
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
	}
	return "unknown"
}
