package tui

import (
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// jobsView is the downloads view: it renders the runner's snapshots (only
// the visible window of jobs, so its cost does not grow with their
// number) and sends the runner the user's commands (cancel, cancel all,
// retry, retry failed).
type jobsView struct {
	common
	run            *runner.Runner
	dest           string
	cursor, offset int
	bars           *dlBars
}

// retryMsg asks the root to retry jobs (listing their files anew first
// where it can).
type retryMsg struct{ jobs []runner.Job }

func newJobsView(c common, run *runner.Runner, dest string) jobsView {
	d := jobsView{run: run, dest: dest}
	d.setCommon(c)
	return d
}

// setCommon takes the size, styles and keys; height is the view's own.
func (d *jobsView) setCommon(c common) {
	d.common = c
	d.bars = newDLBars(c.styles)
	d.clampCursor()
}

// current returns the job under the cursor.
func (d jobsView) current() (runner.Job, bool) {
	if d.run == nil {
		return runner.Job{}, false
	}
	jobs := d.run.Jobs(d.cursor, 1)
	if len(jobs) == 0 {
		return runner.Job{}, false
	}
	return jobs[0], true
}

// Cursor returns the index of the job under the cursor.
func (d jobsView) Cursor() int { return d.cursor }

// keyFeatures says what the view's bindings would act on now.
func (d jobsView) keyFeatures() keymap.Features {
	j, ok := d.current()
	t := d.run.Totals()
	return keymap.Features{
		Downloads: true,
		Jobs: keymap.Jobs{
			Several:         t.Files > 1,
			CursorActive:    ok && j.State.Active(),
			CursorRetryable: ok && (j.State == runner.Failed || j.State == runner.Cancelled),
			AnyActive:       t.Active(),
			AnyFailed:       t.Failed+t.Cancelled > 0,
		},
	}
}

// Keys returns the view's bindings with those that would do nothing now
// disabled, so the help never offers them and key.Matches skips them.
func (d jobsView) Keys() keymap.KeyMap {
	return d.keys.ForView(keymap.DownloadsView, d.keyFeatures())
}

// HelpKeys returns the view's help: its keys, with global's (the root's
// bindings for this view) for switching views, help and quit.
func (d jobsView) HelpKeys(global keymap.KeyMap) help.KeyMap {
	k := d.Keys()
	k.Downloads, k.Help, k.Quit, k.ForceQuit = global.Downloads, global.Help, global.Quit, global.ForceQuit
	return k
}

// Update moves the cursor and sends the runner the job keys' commands.
func (d jobsView) Update(msg tea.Msg) (jobsView, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok || d.run == nil {
		return d, nil
	}
	k := d.Keys()
	n := d.run.Len()
	switch {
	case key.Matches(kp, k.Up):
		d.moveCursor(-1)
	case key.Matches(kp, k.Down):
		d.moveCursor(1)
	case key.Matches(kp, k.PageUp):
		d.moveCursor(-d.jobRows())
	case key.Matches(kp, k.PageDown):
		d.moveCursor(d.jobRows())
	case key.Matches(kp, k.Top):
		d.moveCursor(-n)
	case key.Matches(kp, k.Bottom):
		d.moveCursor(n)
	case key.Matches(kp, k.CancelJob):
		if j, ok := d.current(); ok {
			d.run.CancelIn(j.Dest, j.Name)
		}
	case key.Matches(kp, k.CancelAll):
		d.run.CancelAll()
	case key.Matches(kp, k.RetryJob):
		if j, ok := d.current(); ok {
			return d, retryCmd([]runner.Job{j})
		}
	case key.Matches(kp, k.RetryFailed):
		var jobs []runner.Job
		for _, j := range d.run.Jobs(0, n) {
			if j.State == runner.Failed || j.State == runner.Cancelled {
				jobs = append(jobs, j)
			}
		}
		return d, retryCmd(jobs)
	}
	return d, nil
}

func retryCmd(jobs []runner.Job) tea.Cmd {
	return func() tea.Msg { return retryMsg{jobs: jobs} }
}

func (d *jobsView) moveCursor(delta int) {
	d.cursor += delta
	d.clampCursor()
}

// clampCursor keeps the cursor on a job and inside the visible window.
func (d *jobsView) clampCursor() {
	if d.run == nil {
		return
	}
	n, rows := d.run.Len(), d.jobRows()
	d.cursor = max(min(d.cursor, n-1), 0)
	if d.cursor < d.offset {
		d.offset = d.cursor
	}
	if d.cursor >= d.offset+rows {
		d.offset = d.cursor - rows + 1
	}
	d.offset = max(min(d.offset, n-rows), 0)
}

// jobStateText is the short state of a job: while it runs, its
// percentage, or that it waits to retry or stalled; else what its state
// says.
func jobStateText(j runner.Job) string {
	if j.State != runner.Running {
		return j.State.String()
	}
	switch p := j.Progress; {
	case p.Retry > 0:
		return fmt.Sprintf("retry %d/%d", p.Retry, p.RetryOf)
	case p.Stalled:
		return "stalled"
	}
	if f, ok := j.Fraction(); ok {
		return humanize.FormatFloat("#.", f*100) + "%"
	}
	return termtext.Bytes(j.Done)
}

// retryText says why a running job waits to retry or stalled, for the
// line under the downloads view and the detail view; "" when it does not.
func retryText(j runner.Job) string {
	p := j.Progress
	switch {
	case j.State != runner.Running:
		return ""
	case p.Retry > 0:
		return fmt.Sprintf("retrying (%d/%d): %s", p.Retry, p.RetryOf, p.Reason)
	case p.Stalled:
		return "stalled: " + p.Reason
	}
	return ""
}
