package tui

import "charm.land/bubbles/v2/key"

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
