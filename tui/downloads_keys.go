package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
)

// DownloadKeys are the bindings of the downloads view and of its prompts
// (large batch, quit while downloading). They sit beside keymap.KeyMap
// until they are merged into it; moving the cursor uses keymap's Up, Down,
// PageUp, PageDown, Top and Bottom.
type DownloadKeys struct {
	// The downloads view.
	Cancel    key.Binding // cancel the job under the cursor
	CancelAll key.Binding
	Retry     key.Binding // retry the failed or cancelled job under the cursor
	RetryAll  key.Binding // retry every failed job

	// Prompts.
	Confirm key.Binding // download the large batch / cancel the downloads and quit
	Wait    key.Binding // quit once the downloads are done
	Decline key.Binding // keep going without the batch / without quitting
}

// DefaultDownloadKeys returns the standard download bindings.
func DefaultDownloadKeys() DownloadKeys {
	return DownloadKeys{
		Cancel:    key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "cancel job")),
		CancelAll: key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "cancel all")),
		Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry job")),
		RetryAll:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "retry all failed")),

		Confirm: key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "yes")),
		Wait:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wait, then quit")),
		Decline: key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
	}
}

// ShortHelp returns the downloads view's own bindings for the footer.
func (k DownloadKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Cancel, k.CancelAll, k.Retry, k.RetryAll}
}

// activeDownloadKeys returns d's bindings with those that would do nothing
// now disabled, so the help never offers them and key.Matches skips them.
func (d Downloads) activeDownloadKeys() DownloadKeys {
	k := d.dkeys
	j, ok := d.current()
	k.Cancel.SetEnabled(ok && j.State.Active())
	k.CancelAll.SetEnabled(d.jobs.Active())
	k.Retry.SetEnabled(ok && (j.State == model.Failed || j.State == model.Cancelled))
	k.RetryAll.SetEnabled(d.jobs.Count(model.Failed) > 0)
	prompt := d.prompt != promptNone
	k.Confirm.SetEnabled(prompt)
	k.Wait.SetEnabled(d.prompt == promptQuit)
	k.Decline.SetEnabled(prompt)
	return k
}

// downloadsHelp is the help of the downloads view: moving, the view's own
// keys, then the root's global ones.
type downloadsHelp struct {
	nav    keymap.KeyMap
	dl     DownloadKeys
	global keymap.KeyMap
}

// HelpKeys returns the help bindings of the downloads view (or of its open
// prompt) for bubbles/help; global holds the root's bindings for this view
// (switching views, help, quit).
func (d Downloads) HelpKeys(global keymap.KeyMap) help.KeyMap {
	return downloadsHelp{nav: d.keys, dl: d.activeDownloadKeys(), global: global}
}

// ShortHelp implements help.KeyMap.
func (h downloadsHelp) ShortHelp() []key.Binding {
	if h.dl.Confirm.Enabled() {
		return []key.Binding{h.dl.Confirm, h.dl.Wait, h.dl.Decline}
	}
	return []key.Binding{
		h.nav.Up, h.nav.Down, h.dl.Cancel, h.dl.CancelAll, h.dl.Retry, h.dl.RetryAll,
		h.global.Downloads, h.global.Help, h.global.Quit,
	}
}

// FullHelp implements help.KeyMap.
func (h downloadsHelp) FullHelp() [][]key.Binding {
	if h.dl.Confirm.Enabled() {
		return [][]key.Binding{{h.dl.Confirm, h.dl.Wait, h.dl.Decline}}
	}
	return [][]key.Binding{
		{h.nav.Up, h.nav.Down, h.nav.PageUp, h.nav.PageDown, h.nav.Top, h.nav.Bottom},
		{h.dl.Cancel, h.dl.CancelAll, h.dl.Retry, h.dl.RetryAll},
		{h.global.Downloads, h.global.Help, h.global.Quit, h.global.ForceQuit},
	}
}
