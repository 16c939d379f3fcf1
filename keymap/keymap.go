// Package keymap holds every key binding of wbfiles with its help text.
//
// The TUI enables only the bindings that apply to the active view and its
// state (see ForView: the features wired, the jobs of the downloads view,
// an open question), so the help bubble built from ShortHelp and FullHelp
// never shows a key that would do nothing, and key.Matches never acts on
// one that belongs to another view.
package keymap

import "charm.land/bubbles/v2/key"

// KeyMap is the full set of bindings, grouped by purpose.
type KeyMap struct {
	// Moving through the list, the detail view and the downloads view.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	// Acting on the list.
	Filter key.Binding // open the filter line
	Open   key.Binding // open the file's details
	Sort   key.Binding // cycle the sort order
	Retry  key.Binding // retry a failed page request

	// Moving through the stack of views: into a folder, project or run,
	// back out, and the run's flat list of every path.
	Into    key.Binding // open the folder, entity, project or run under the cursor
	Out     key.Binding // back to the folder or list above
	Flat    key.Binding // switch between the folders and the flat list of paths
	Info    key.Binding // the details of the row: a run's, a folder's, a file's
	RunInfo key.Binding // the details of the run being browsed
	// Artifacts opens the artifacts the run logged and used.
	Artifacts key.Binding

	// Filter line.
	Apply       key.Binding // apply the typed filter on the server
	ClearFilter key.Binding // drop the filter and restore the list

	// Detail view.
	Copy key.Binding // copy the file URL (OSC 52)
	Back key.Binding // return to the list

	// Selection and downloads (issue 4). Disabled until the root model
	// wires them, so help never advertises them early.
	Select          key.Binding
	SelectAll       key.Binding // every loaded row matching the filter
	SelectAllServer key.Binding // every file matching on the server
	ClearSelection  key.Binding
	Download        key.Binding
	Downloads       key.Binding // switch to the downloads view and back

	// The downloads view. Each is enabled only while it would act on
	// something (see Jobs).
	CancelJob   key.Binding // cancel the queued or running job under the cursor
	CancelAll   key.Binding // cancel every queued and running job
	RetryJob    key.Binding // retry the failed or cancelled job under the cursor
	RetryFailed key.Binding // retry every failed or cancelled job

	// The downloads' questions (a large batch, select all on the server,
	// quit while downloading). An open question takes every key, so these
	// are the only bindings enabled then (see Features.Prompt).
	Confirm key.Binding // yes: download, select, or cancel and quit
	Wait    key.Binding // quit once the downloads are done (quit question only)
	Decline key.Binding // no: keep going without it

	// Global.
	Help key.Binding
	Quit key.Binding
	// ForceQuit works everywhere, also while typing a filter.
	ForceQuit key.Binding
	// Suspend stops the program to the shell (fg resumes it).
	Suspend key.Binding

	// view and prompt are what ForView was called for; they choose the
	// layout of ShortHelp and FullHelp.
	view   View
	prompt Prompt
}

// Default returns the standard bindings, all enabled. Some share a key in
// different views (r, x, enter, esc), so call ForView before matching keys
// or rendering help.
func Default() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup/ctrl+u", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn/ctrl+d", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first row")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last loaded row")),

		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Sort:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),

		Into:      key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "open")),
		Out:       key.NewBinding(key.WithKeys("backspace", "left", "h"), key.WithHelp("←/h", "back")),
		Flat:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "folders/flat")),
		Info:      key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "info")),
		RunInfo:   key.NewBinding(key.WithKeys("I"), key.WithHelp("I", "run info")),
		Artifacts: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "artifacts")),

		Apply:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "filter on server")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),

		Copy: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy url")),
		Back: key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),

		Select:          key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "select")),
		SelectAll:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "select loaded")),
		SelectAllServer: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "select all on server")),
		ClearSelection:  key.NewBinding(key.WithKeys("c", "x"), key.WithHelp("c/x", "clear selection")),
		Download:        key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "download")),
		Downloads:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "downloads")),

		CancelJob:   key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "cancel job")),
		CancelAll:   key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "cancel all")),
		RetryJob:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry job")),
		RetryFailed: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "retry failed/cancelled")),

		Confirm: key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "yes")),
		Wait:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wait, then quit")),
		Decline: key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),

		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Suspend:   key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),
	}
}
