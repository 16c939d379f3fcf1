package tui

import (
	"charm.land/bubbles/v2/help"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
)

// keyFeatures says what the downloads view's bindings would act on now,
// and which question is open.
func (d Downloads) keyFeatures() keymap.Features {
	j, ok := d.current()
	f := keymap.Features{
		Downloads: true,
		Jobs: keymap.Jobs{
			Several:         d.jobs.Len() > 1,
			CursorActive:    ok && j.State.Active(),
			CursorRetryable: ok && (j.State == model.Failed || j.State == model.Cancelled),
			AnyActive:       d.jobs.Active(),
			AnyFailed:       d.jobs.Count(model.Failed) > 0,
		},
	}
	switch d.prompt {
	case promptBatch, promptSelect:
		f.Prompt = keymap.YesNoPrompt
	case promptQuit:
		f.Prompt = keymap.QuitPrompt
	}
	return f
}

// Keys returns the bindings of the downloads view, or of its open
// question, with those that would do nothing now disabled, so the help
// never offers them and key.Matches skips them.
func (d Downloads) Keys() keymap.KeyMap {
	return d.keys.ForView(keymap.DownloadsView, d.keyFeatures())
}

// HelpKeys returns the help bindings of the downloads view (or of its open
// question) for bubbles/help; global holds the root's bindings for this
// view, and the root decides switching views, help and quit.
func (d Downloads) HelpKeys(global keymap.KeyMap) help.KeyMap {
	k := d.Keys()
	if d.prompt == promptNone {
		k.Downloads, k.Help, k.Quit, k.ForceQuit = global.Downloads, global.Help, global.Quit, global.ForceQuit
	}
	return k
}
