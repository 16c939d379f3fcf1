package tui

import (
	"context"

	"github.com/wbfiles/wbfiles/internal/termtext"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// downloadFilesRefreshedMsg carries the server's current listing of files
// about to be retried; fresh is empty when the listing failed.
type downloadFilesRefreshedMsg struct {
	files []wandb.File
	fresh []wandb.File
}

// refreshFiles lists files again by name before a retry, so the retry uses
// the server's current md5 and URLs.
func refreshFiles(src Source, run wandb.RunRef, files []wandb.File) tea.Cmd {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		var fresh []wandb.File
		for start := 0; start < len(names); start += wandb.MaxPageSize {
			chunk := names[start:min(start+wandb.MaxPageSize, len(names))]
			page, err := src.Files(ctx, run, wandb.FilesQuery{First: wandb.MaxPageSize, Names: chunk})
			if err != nil {
				return downloadFilesRefreshedMsg{files: files}
			}
			fresh = append(fresh, page.Files...)
		}
		return downloadFilesRefreshedMsg{files: files, fresh: fresh}
	}
}

// Update handles the download messages (route them here whatever view is
// active) and, while the downloads view or a prompt is up, key presses.
func (d Downloads) Update(msg tea.Msg) (Downloads, tea.Cmd) {
	switch msg := msg.(type) {
	case downloadStartedMsg:
		d.jobs.Started(msg.id, msg.attempt, msg.at)
		return d, waitDownload(msg.events, msg.id, msg.attempt)
	case downloadProgressedMsg:
		d.jobs.Progressed(msg.id, msg.attempt, msg.done, msg.total, msg.at)
		return d, waitDownload(msg.events, msg.id, msg.attempt)
	case downloadFinishedMsg:
		return d.finished(msg)
	case downloadBatchCheckedMsg:
		return d.batchChecked(msg)
	case downloadFilesRefreshedMsg:
		return d, d.Enqueue(mergeListing(msg.files, msg.fresh))
	case matchingFetchedMsg:
		return d.matchingFetched(msg), nil
	case tea.KeyPressMsg:
		if d.prompt != promptNone {
			return d.handlePrompt(msg)
		}
		return d.handleKey(msg)
	}
	return d, nil
}

// isDownloadMsg reports whether msg belongs to the downloads model, so the
// root can route it there whatever view is active.
func isDownloadMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case downloadStartedMsg, downloadProgressedMsg, downloadFinishedMsg,
		downloadBatchCheckedMsg, downloadFilesRefreshedMsg, matchingFetchedMsg:
		return true
	}
	return false
}

func (d Downloads) finished(msg downloadFinishedMsg) (Downloads, tea.Cmd) {
	if c, ok := d.cancels[msg.id]; ok && c.attempt == msg.attempt {
		c.cancel() // releases the context's resources
		delete(d.cancels, msg.id)
	}
	d.jobs.Finished(msg.id, msg.attempt, msg.result, msg.err, msg.at)
	cmd := d.pump()
	if d.quitWhenDone && !d.jobs.Active() {
		return d, tea.Quit
	}
	return d, cmd
}

func (d Downloads) batchChecked(msg downloadBatchCheckedMsg) (Downloads, tea.Cmd) {
	plan := model.PlanBatch(d.jobs.Fresh(msg.files), msg.free, d.jobs.Remaining())
	switch {
	case len(plan.Files) == 0:
		return d, nil
	case !plan.Fits():
		d.status = "refused: " + plan.Refusal() + " in " + d.dest
		return d, nil
	case plan.NeedsConfirm() && d.asking():
		d.status = "download not started: answer the open question first"
		return d, nil
	case plan.NeedsConfirm():
		d.plan, d.planFromSel = plan, msg.fromSel
		d.askOwn(promptBatch)
		return d, nil
	}
	if msg.fromSel {
		d.sel.Clear()
	}
	return d, d.Enqueue(plan.Files)
}

// mergeListing returns files with each replaced by its fresh listing when
// the server still has it.
func mergeListing(files, fresh []wandb.File) []wandb.File {
	if len(fresh) == 0 {
		return files
	}
	byName := make(map[string]wandb.File, len(fresh))
	for _, f := range fresh {
		byName[f.Name] = f
	}
	out := make([]wandb.File, len(files))
	for i, f := range files {
		if nf, ok := byName[f.Name]; ok {
			f = nf
		}
		out[i] = f
	}
	return out
}

func (d Downloads) handlePrompt(msg tea.KeyPressMsg) (Downloads, tea.Cmd) {
	k := d.Keys()
	if d.promptOwn {
		// Only the confirm letter answers yes to a question the user did
		// not just ask for: an enter typed ahead (ending a filter) must
		// not select or download thousands of files.
		k.Confirm.SetKeys(withoutKey(k.Confirm.Keys(), "enter")...)
	}
	switch d.prompt {
	case promptBatch:
		switch {
		case key.Matches(msg, k.Confirm):
			d.prompt = promptNone
			files := d.plan.Files
			d.plan = model.BatchPlan{}
			if d.planFromSel {
				d.sel.Clear()
			}
			return d, d.Enqueue(files)
		case key.Matches(msg, k.Decline):
			d.prompt, d.plan = promptNone, model.BatchPlan{}
			d.status = "download not started"
		}
	case promptSelect:
		switch {
		case key.Matches(msg, k.Confirm):
			n := d.sel.Add(d.matches...)
			d.status = humanize.Comma(int64(n)) + " more selected · " + d.sel.Header()
			d.prompt, d.matches = promptNone, nil
		case key.Matches(msg, k.Decline):
			d.prompt, d.matches = promptNone, nil
		}
	case promptQuit:
		switch {
		case key.Matches(msg, k.Confirm):
			d.prompt = promptNone
			d.CancelAll()
			return d, tea.Quit
		case key.Matches(msg, k.Wait):
			d.prompt = promptNone
			if !d.jobs.Active() {
				return d, tea.Quit
			}
			d.quitWhenDone = true
			d.status = "quitting when the downloads finish"
		case key.Matches(msg, k.Decline):
			d.prompt = promptNone
		}
	}
	return d, nil
}

func (d Downloads) handleKey(msg tea.KeyPressMsg) (Downloads, tea.Cmd) {
	k := d.Keys()
	switch {
	case key.Matches(msg, k.Up):
		d.moveCursor(-1)
	case key.Matches(msg, k.Down):
		d.moveCursor(1)
	case key.Matches(msg, k.PageUp):
		d.moveCursor(-d.jobRows())
	case key.Matches(msg, k.PageDown):
		d.moveCursor(d.jobRows())
	case key.Matches(msg, k.Top):
		d.moveCursor(-d.jobs.Len())
	case key.Matches(msg, k.Bottom):
		d.moveCursor(d.jobs.Len())
	case key.Matches(msg, k.CancelJob):
		if j, ok := d.current(); ok {
			if d.jobs.Cancel(j.ID) {
				d.stop(j.ID)
			}
			if j.State.Active() {
				d.status = "cancelled " + termtext.Safe(j.File.Name)
			}
			return d, d.pump()
		}
	case key.Matches(msg, k.CancelAll):
		d.CancelAll()
	case key.Matches(msg, k.RetryJob):
		j, _ := d.current()
		return d, d.retry([]wandb.File{j.File})
	case key.Matches(msg, k.RetryFailed):
		var files []wandb.File
		for id := range d.jobs.Len() {
			if j := d.jobs.At(model.JobID(id)); j.State == model.Failed {
				files = append(files, j.File)
			}
		}
		return d, d.retry(files)
	}
	return d, nil
}

// withoutKey returns keys less k.
func withoutKey(keys []string, k string) []string {
	out := make([]string, 0, len(keys))
	for _, s := range keys {
		if s != k {
			out = append(out, s)
		}
	}
	return out
}

// retry queues files again, listing them anew first when it can.
func (d *Downloads) retry(files []wandb.File) tea.Cmd {
	d.status = "retrying " + termtext.Count(len(files), "file")
	if d.src == nil || d.run.RunID == "" {
		return d.Enqueue(files)
	}
	return refreshFiles(d.src, d.run, files)
}

// current returns the job under the cursor.
func (d Downloads) current() (model.Job, bool) {
	if d.cursor < 0 || d.cursor >= d.jobs.Len() {
		return model.Job{}, false
	}
	return d.jobs.At(model.JobID(d.cursor)), true
}

// Cursor returns the index of the job under the cursor.
func (d Downloads) Cursor() int { return d.cursor }

func (d *Downloads) moveCursor(delta int) {
	d.cursor += delta
	d.clampCursor()
}

// clampCursor keeps the cursor on a job and inside the visible window.
func (d *Downloads) clampCursor() {
	n, rows := d.jobs.Len(), d.jobRows()
	d.cursor = max(min(d.cursor, n-1), 0)
	if d.cursor < d.offset {
		d.offset = d.cursor
	}
	if d.cursor >= d.offset+rows {
		d.offset = d.cursor - rows + 1
	}
	d.offset = max(min(d.offset, n-rows), 0)
}
