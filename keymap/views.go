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
	InfoView // a run's details: scroll and back
)

// Prompt names the kind of question the downloads wait an answer to.
type Prompt int

// The kinds of question; the zero value is none.
const (
	NoPrompt    Prompt = iota
	YesNoPrompt        // a large batch, select all on the server: yes or no
	QuitPrompt         // quit while downloading: yes, wait, or no
)

// Jobs says what the downloads view's keys would act on now, so each is
// offered only when it would do something.
type Jobs struct {
	Several         bool // more than one job, so the cursor can move
	CursorActive    bool // the job under the cursor is queued or running
	CursorRetryable bool // the job under the cursor failed or was cancelled
	AnyActive       bool // some job is queued or running
	AnyFailed       bool // some job failed
}

// Features says which optional bindings the program has wired. A binding
// whose feature is off stays disabled in every view.
type Features struct {
	Selection bool // space, a, A, c/x
	Downloads bool // d, tab, and the downloads view's keys
	// Retry is on while the list shows a failed page request.
	Retry bool
	// Filtered is on while a server-side filter is active, so esc in the
	// list clears it.
	Filtered bool
	// Into and Out are on where the list has something to open and
	// something to go back to (folders, the pickers above a run); Flat
	// where the run's folders and flat list can be switched.
	Into, Out, Flat bool
	// Info is on where the row under the cursor has details to show (a
	// run, a folder, a file); RunInfo where a run is being browsed.
	Info, RunInfo bool
	// Artifacts is on in a run's files (not an artifact's).
	Artifacts bool
	// Picker is on in the lists above a run (entities, projects, runs):
	// nothing there is a file to select or download.
	Picker bool
	// FixedOrder is on where the list's order cannot be changed (a
	// folder: subfolders first, then files), so s is not offered.
	FixedOrder bool
	// Jobs is the state of the downloads view's jobs.
	Jobs Jobs
	// Prompt is the open question, if any. It takes every key whatever
	// the view, so only its answers (and ctrl+c) stay enabled.
	Prompt Prompt
}

// ForView returns a copy of k with exactly the bindings of view v enabled;
// its ShortHelp and FullHelp are then those of v.
func (k KeyMap) ForView(v View, f Features) KeyMap {
	k.view, k.prompt = v, f.Prompt
	list := v == ListView
	detail := v == DetailView
	info := v == InfoView
	filter := v == FilterView
	help := v == HelpView
	downloads := v == DownloadsView && f.Downloads

	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(list || detail || info || (downloads && f.Jobs.Several))
	}
	k.Filter.SetEnabled(list)
	k.Open.SetEnabled(list)
	k.Sort.SetEnabled(list && !f.FixedOrder)
	k.Retry.SetEnabled(list && f.Retry)
	k.Into.SetEnabled(list && f.Into)
	if f.Into {
		k.Open.SetHelp("enter", "open") // a folder, entity, project or run
	}
	k.Out.SetEnabled(list && f.Out)
	k.Flat.SetEnabled(list && f.Flat && !f.Picker)
	k.Info.SetEnabled(list && f.Info)
	k.RunInfo.SetEnabled(list && f.RunInfo)
	k.Artifacts.SetEnabled(list && f.Artifacts)

	k.Apply.SetEnabled(filter)
	k.ClearFilter.SetEnabled(filter || (list && f.Filtered))

	k.Copy.SetEnabled(detail)
	k.Back.SetEnabled(detail || help || info)

	for _, b := range []*key.Binding{&k.Select, &k.SelectAll, &k.SelectAllServer, &k.ClearSelection} {
		b.SetEnabled(list && f.Selection && !f.Picker)
	}
	k.Download.SetEnabled((list || detail) && f.Downloads && !f.Picker)
	k.Downloads.SetEnabled((list || downloads) && f.Downloads)

	k.CancelJob.SetEnabled(downloads && f.Jobs.CursorActive)
	k.CancelAll.SetEnabled(downloads && f.Jobs.AnyActive)
	k.RetryJob.SetEnabled(downloads && f.Jobs.CursorRetryable)
	k.RetryFailed.SetEnabled(downloads && f.Jobs.AnyFailed)

	k.Help.SetEnabled(!filter)
	k.Quit.SetEnabled(!filter)
	k.ForceQuit.SetEnabled(true)

	k.Confirm.SetEnabled(false)
	k.Wait.SetEnabled(false)
	k.Decline.SetEnabled(false)
	if f.Prompt != NoPrompt {
		// Only the answers: every other binding is the zero Binding,
		// which is disabled. (Building the map afresh rather than
		// disabling through pointers keeps it off the heap: a key press
		// allocates no KeyMap.)
		p := KeyMap{view: v, prompt: f.Prompt, Confirm: k.Confirm, Wait: k.Wait, Decline: k.Decline, ForceQuit: k.ForceQuit}
		p.Confirm.SetEnabled(true)
		p.Wait.SetEnabled(f.Prompt == QuitPrompt)
		p.Decline.SetEnabled(true)
		p.ForceQuit.SetEnabled(true)
		return p
	}
	return k
}

// all returns every binding of k, for switching them all off at once.
func (k *KeyMap) all() []*key.Binding {
	return []*key.Binding{
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom,
		&k.Filter, &k.Open, &k.Sort, &k.Retry, &k.Into, &k.Out, &k.Flat, &k.Info, &k.RunInfo, &k.Artifacts,
		&k.Apply, &k.ClearFilter,
		&k.Copy, &k.Back,
		&k.Select, &k.SelectAll, &k.SelectAllServer, &k.ClearSelection, &k.Download, &k.Downloads,
		&k.CancelJob, &k.CancelAll, &k.RetryJob, &k.RetryFailed,
		&k.Confirm, &k.Wait, &k.Decline,
		&k.Help, &k.Quit, &k.ForceQuit,
	}
}

// ShortHelp returns the footer bindings of the view k was made for;
// disabled ones are skipped by the help bubble. The help bubble drops
// items from the end when the width runs out, so help and quit come first
// (they must show from 40 columns up) and the rest by falling value: the
// arrows are left to the full help, and enter is the key users try anyway,
// so it goes last in the list.
func (k KeyMap) ShortHelp() []key.Binding {
	switch {
	case k.prompt != NoPrompt:
		return []key.Binding{k.Confirm, k.Wait, k.Decline}
	case k.view == DownloadsView:
		return []key.Binding{
			k.Help, k.Quit, k.CancelJob, k.CancelAll, k.RetryJob, k.RetryFailed, k.Downloads,
		}
	}
	return []key.Binding{
		k.Help, k.Quit, k.Retry, k.Filter, k.Apply, k.ClearFilter, k.Select, k.Download, k.Downloads,
		k.Out, k.Open, k.Artifacts, k.Flat, k.Info, k.RunInfo, k.Copy, k.Back,
	}
}

// FullHelp returns the bindings of the view k was made for in columns:
// moving, acting, then selecting, downloading and general.
func (k KeyMap) FullHelp() [][]key.Binding {
	switch {
	case k.prompt != NoPrompt:
		return [][]key.Binding{{k.Confirm, k.Wait, k.Decline, k.ForceQuit}}
	case k.view == DownloadsView:
		return [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.CancelJob, k.CancelAll, k.RetryJob, k.RetryFailed},
			{k.Downloads, k.Help, k.Quit, k.ForceQuit, k.Suspend},
		}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Into, k.Out, k.Flat, k.Info, k.RunInfo, k.Artifacts, k.Filter, k.Apply, k.ClearFilter, k.Sort, k.Retry, k.Copy, k.Back},
		// General keys share the third column so all of it fits in 80
		// columns.
		{k.Select, k.SelectAll, k.SelectAllServer, k.ClearSelection, k.Download, k.Downloads, k.Help, k.Quit, k.ForceQuit, k.Suspend},
	}
}
