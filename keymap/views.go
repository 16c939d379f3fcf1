package keymap

import "charm.land/bubbles/v2/key"

// View names the screen whose bindings are active.
type View int

// The views whose bindings differ.
const (
	ListView View = iota
	FilterView
	DetailView
	HelpView
	DownloadsView
)

// Features says which optional bindings the program has wired. A binding
// whose feature is off stays disabled in every view.
type Features struct {
	Selection bool // space, a, A, c/x
	Downloads bool // d, tab
	// Retry is on while the list shows a failed page request.
	Retry bool
	// Filtered is on while a server-side filter is active, so esc in the
	// list clears it.
	Filtered bool
}

// ForView returns a copy of k with exactly the bindings of view v enabled.
func (k KeyMap) ForView(v View, f Features) KeyMap {
	list := v == ListView
	detail := v == DetailView
	filter := v == FilterView
	help := v == HelpView

	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown} {
		b.SetEnabled(list || detail)
	}
	k.Top.SetEnabled(list || detail)
	k.Bottom.SetEnabled(list || detail)
	k.Filter.SetEnabled(list)
	k.Open.SetEnabled(list)
	k.Sort.SetEnabled(list)
	k.Retry.SetEnabled(list && f.Retry)

	k.Apply.SetEnabled(filter)
	k.ClearFilter.SetEnabled(filter || (list && f.Filtered))

	k.Copy.SetEnabled(detail)
	k.Back.SetEnabled(detail || help)

	for _, b := range []*key.Binding{&k.Select, &k.SelectAll, &k.SelectAllServer, &k.ClearSelection} {
		b.SetEnabled(list && f.Selection)
	}
	k.Download.SetEnabled((list || detail) && f.Downloads)
	k.Downloads.SetEnabled((list || v == DownloadsView) && f.Downloads)

	k.Help.SetEnabled(!filter)
	k.Quit.SetEnabled(!filter)
	k.ForceQuit.SetEnabled(true)
	return k
}

// ShortHelp returns the footer bindings; disabled ones are skipped by the
// help bubble. The arrows are left to the full help so that help and quit
// still fit at 80 columns; the downloads view's key comes last, as the
// list header names it too once there are downloads.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		k.Open, k.Filter, k.Apply, k.ClearFilter, k.Select, k.Download,
		k.Copy, k.Back, k.Retry, k.Help, k.Quit, k.Downloads,
	}
}

// FullHelp returns the bindings in columns: moving, acting, then selecting,
// downloading and general.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Filter, k.Apply, k.ClearFilter, k.Sort, k.Retry, k.Copy, k.Back},
		// General keys share the third column so all of it fits in 80
		// columns.
		{k.Select, k.SelectAll, k.SelectAllServer, k.ClearSelection, k.Download, k.Downloads, k.Help, k.Quit, k.ForceQuit},
	}
}
