package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// frameInterval is how often the screen is redrawn while downloads run:
// the runner publishes its state, the UI looks at it on this tick and
// never per download event, so a thousand small files cost a thousand
// file downloads, not a thousand redraws.
const frameInterval = time.Second / 15

// downloads is the root's side of the download runner: it plans batches
// (free space, the large-batch question), queues them on the runner,
// lists every matching file for select-all, keeps the selection, and
// ticks the frames while downloads run. The runner does the work; the
// jobs view shows it.
type downloads struct {
	run  *runner.Runner // nil: no downloader, downloads are off
	src  Source
	ref  wandb.RunRef
	dest string
	sel  *model.Selection

	listing selectListing // select-all's listing, while it runs
	// origins is the files view each job was queued from (by where it
	// lands), so a retry lists it anew from its own run or artifact.
	origins      map[jobPlace]target
	skipped      string // the reference entries the batch on its way left out
	status       string // a one-line message: a refusal, what a key did
	quitWhenDone bool   // quit once nothing is active (the quit question's w)
	quitting     bool   // a command to quit went out
	// seen is the runner's version the screen last showed; ticking says a
	// frame tick is on its way.
	seen    uint64
	ticking bool
}

// frameMsg is the redraw tick while downloads run.
type frameMsg struct{}

// on reports whether downloads are wired.
func (d *downloads) on() bool { return d != nil && d.run != nil }

// active reports whether a download is queued or running.
func (d *downloads) active() bool { return d.run != nil && d.run.Totals().Active() }

// job returns the job of the file called name.
func (d *downloads) job(name string) (runner.Job, bool) {
	if d.run == nil {
		return runner.Job{}, false
	}
	if o, ok := d.origins[jobPlace{d.dest, name}]; ok && o.ref != d.ref {
		// The same place, filled from another run's file of that name:
		// not this row's download.
		return runner.Job{}, false
	}
	return d.run.LookupIn(d.dest, name)
}

// request asks to download files: those not queued or running already
// are checked against the free space at the destination in the background
// (batchCheckedMsg) before anything is queued.
func (d *downloads) request(files []wandb.File, fromSel bool) tea.Cmd {
	return d.requestTo(d.target(), files, fromSel)
}

// requestTo is request for the files view to.
func (d *downloads) requestTo(to target, files []wandb.File, fromSel bool) tea.Cmd {
	if d.run == nil || len(files) == 0 {
		return nil
	}
	files, refs := dropReferences(files)
	d.skipped = ""
	if refs > 0 {
		// Their bytes are outside W&B (s3://, gs://, a path): never
		// downloaded through it, never a failure.
		d.skipped = "skipped " + termtext.Comma(int64(refs)) + " reference entries (stored outside W&B)"
		d.status = d.skipped
		if len(files) == 0 {
			return nil
		}
	}
	if d.run.PlanIn(to.dest, files, -1).Files == nil {
		d.status = "already downloading"
		if fromSel {
			to.sel.Clear()
		}
		return nil
	}
	return checkBatch(to, files, fromSel)
}

// requestSelected is the download key: the selection, or the file under
// the cursor (onRow) when nothing is selected.
func (d *downloads) requestSelected(cursor wandb.File, onRow bool) tea.Cmd {
	if d.sel.Len() > 0 {
		return d.request(d.sel.Files(), true)
	}
	if onRow {
		return d.request([]wandb.File{cursor}, false)
	}
	return nil
}

// batchChecked plans a batch with the free space measured: a batch that
// cannot fit is refused, a large one asked about (unless a batch question
// waits already: d pressed twice asks once), others queued at once.
func (d *downloads) batchChecked(msg batchCheckedMsg, qs *questions) tea.Cmd {
	msg.to = d.orShown(msg.to)
	plan := d.run.PlanIn(msg.to.dest, msg.files, msg.free)
	switch {
	case len(plan.Files) == 0:
		return nil
	case !plan.Fits():
		d.status = "refused: " + plan.Refusal() + " in " + msg.to.dest
		return nil
	case plan.NeedsConfirm() && qs.has(askBatch):
		d.status = "download not started: answer the open question first"
		return nil
	case plan.NeedsConfirm():
		qs.ask(question{kind: askBatch, own: true, plan: plan, fromSel: msg.fromSel, to: msg.to})
		return nil
	}
	return d.enqueue(msg.to, plan.Files, msg.fromSel)
}

// target is the files view shown: where its batches go, its selection,
// its listing.
func (d *downloads) target() target {
	return target{dest: d.dest, sel: d.sel, src: d.src, ref: d.ref}
}

// jobPlace identifies a job as the runner does: its folder and name.
type jobPlace struct{ dest, name string }

// orShown is to, or the files view shown when to names none.
func (d *downloads) orShown(to target) target {
	if to.sel == nil {
		return d.target()
	}
	return to
}

// enqueue queues files on the runner at once, into to's folder, and
// starts the frames.
func (d *downloads) enqueue(to target, files []wandb.File, fromSel bool) tea.Cmd {
	to = d.orShown(to)
	if d.origins == nil {
		d.origins = map[jobPlace]target{}
	}
	for _, f := range files {
		d.origins[jobPlace{to.dest, f.Name}] = to
	}
	if n := d.run.AddTo(to.dest, files...); n > 0 {
		d.status = "queued " + termtext.Count(n, "file")
	} else if len(files) > 0 {
		d.status = "already downloading"
	}
	if d.skipped != "" {
		d.status += " · " + d.skipped
		d.skipped = ""
	}
	if fromSel {
		to.sel.Clear()
	}
	return d.tick()
}

// retry queues jobs again, each listed anew first from the run or
// artifact it was queued from, so the retry uses the server's current md5
// and URLs and lands where it did; a job whose listing is not known (or
// has no source) goes again as it was.
func (d *downloads) retry(jobs []runner.Job) tea.Cmd {
	if len(jobs) == 0 {
		return nil
	}
	d.status = "retrying " + termtext.Count(len(jobs), "file")
	type group struct {
		to    target
		files []wandb.File
	}
	var groups []*group
	byView := map[jobPlace]*group{} // by folder and listing
	for _, j := range jobs {
		to, ok := d.origins[jobPlace{j.Dest, j.Name}]
		if !ok || to.src == nil || to.ref.RunID == "" {
			d.run.RetryIn(j.Dest, j.Name)
			continue
		}
		k := jobPlace{to.dest, to.ref.String()}
		g := byView[k]
		if g == nil {
			g = &group{to: to}
			byView[k] = g
			groups = append(groups, g)
		}
		g.files = append(g.files, j.File)
	}
	cmds := []tea.Cmd{d.tick()}
	for _, g := range groups {
		cmds = append(cmds, refreshFiles(g.to, g.files))
	}
	return tea.Batch(cmds...)
}

// dropReferences returns files without the reference entries of
// artifacts, and how many there were.
func dropReferences(files []wandb.File) ([]wandb.File, int) {
	n := 0
	for _, f := range files {
		if f.IsReference() {
			n++
		}
	}
	if n == 0 {
		return files, 0
	}
	kept := make([]wandb.File, 0, len(files)-n)
	for _, f := range files {
		if !f.IsReference() {
			kept = append(kept, f)
		}
	}
	return kept, n
}

// cancelAll cancels every queued and running download.
func (d *downloads) cancelAll() {
	if d.run == nil {
		return
	}
	t := d.run.Totals()
	d.run.CancelAll()
	if n := t.Queued + t.Running; n > 0 {
		d.status = "cancelled " + termtext.Count(n, "download")
	}
}

// tick starts the frame ticks unless they run already.
func (d *downloads) tick() tea.Cmd {
	if d.ticking {
		return nil
	}
	d.ticking = true
	return tea.Tick(frameInterval, func(time.Time) tea.Msg { return frameMsg{} })
}

// frame handles a tick: changed reports whether the runner moved on since
// the last frame. The ticks go on while a download is active or still
// inside the engine (a cancelled one may yet finish and end Done), so the
// last change is always drawn; the program quits when it was told to wait
// for the downloads.
func (d *downloads) frame() (changed bool, cmd tea.Cmd) {
	d.ticking = false
	// Totals before Version: a change between the two reads is then seen
	// by the next frame, not lost.
	t := d.run.Totals()
	v := d.run.Version()
	changed, d.seen = v != d.seen, v
	switch {
	case t.Active() || t.Busy > 0:
		return changed, d.tick()
	case d.quitWhenDone:
		d.quitting = true
		return changed, tea.Quit
	}
	return changed, nil
}

// answered acts on the answer to a question about downloads.
func (d *downloads) answered(msg answeredMsg) tea.Cmd {
	q := msg.q
	switch {
	case q.kind == askBatch && msg.a == answerYes:
		return d.enqueue(q.to, q.plan.Files, q.fromSel)
	case q.kind == askBatch:
		d.status = "download not started"
	case q.kind == askSelect && msg.a == answerYes:
		n := q.to.sel.Add(q.files...)
		d.status = "selected " + termtext.Comma(int64(n)) + " more (every file " + q.what + ") · " + selectionText(q.to.sel)
	case q.kind == askQuit && msg.a == answerYes:
		d.cancelAll()
		d.quitting = true
		return tea.Quit
	case q.kind == askQuit && msg.a == answerWait:
		if !d.active() {
			d.quitting = true
			return tea.Quit
		}
		d.quitWhenDone = true
		return d.tick()
	case q.kind == askQuit:
		// Keep going: also after an earlier w.
		d.quitWhenDone = false
	}
	return nil
}

// selectListing is the "select all on the server" listing in progress.
type selectListing struct {
	gen    int
	what   string
	cancel context.CancelFunc // nil when no listing runs
	// download downloads what was listed instead of asking to select it
	// (d on a folder); to is the files view it was asked in.
	download bool
	to       target
}

// selectAllOnServer lists every file that matches q's Pattern or Names
// (what words that filter, e.g. `matching "*.png"`) in the background,
// then asks whether to select them all, showing how many there are and
// their size. While it runs its status stays up, a second call does
// nothing, and cancelListing stops it.
func (d *downloads) selectAllOnServer(q wandb.FilesQuery, what string) tea.Cmd {
	return d.listAll(q, what, false)
}

// downloadAllOnServer is selectAllOnServer for d on a folder: what is
// listed is downloaded (with the usual free-space check and batch
// question), not selected.
func (d *downloads) downloadAllOnServer(q wandb.FilesQuery, what string) tea.Cmd {
	return d.listAll(q, what, true)
}

func (d *downloads) listAll(q wandb.FilesQuery, what string, download bool) tea.Cmd {
	if d.src == nil {
		return nil
	}
	if d.listing.cancel != nil {
		d.status = "already listing every file " + d.listing.what + "… (esc cancels)"
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.listing = selectListing{gen: d.listing.gen + 1, what: what, cancel: cancel, download: download, to: d.target()}
	return fetchAllMatching(ctx, d.src, d.ref, q, what, d.listing.gen)
}

// listingRuns reports whether select-all's listing runs.
func (d *downloads) listingRuns() bool { return d.listing.cancel != nil }

// cancelListing stops select-all's listing; its answer is dropped.
func (d *downloads) cancelListing() {
	if d.listing.cancel == nil {
		return
	}
	d.listing.cancel()
	d.listing = selectListing{gen: d.listing.gen + 1}
	d.status = "listing cancelled"
}

// matchingFetched asks whether to select the listed files, or downloads
// them when the listing was for a download.
func (d *downloads) matchingFetched(msg matchingFetchedMsg, qs *questions) tea.Cmd {
	if msg.gen != d.listing.gen {
		return nil // a cancelled listing's
	}
	if d.listing.cancel != nil {
		d.listing.cancel() // releases the context's resources
		d.listing.cancel = nil
	}
	to := d.orShown(d.listing.to)
	switch {
	case msg.err != nil:
		d.status = "could not list the files " + msg.what + ": " + termtext.Line(msg.err.Error())
	case len(msg.files) == 0:
		d.status = "no file " + msg.what
	case d.listing.download:
		d.status = ""
		return d.requestTo(to, msg.files, false)
	default:
		d.status = ""
		qs.ask(question{kind: askSelect, own: true, files: msg.files, what: msg.what, to: to})
	}
	return nil
}

// statusText is the one-line message: the last one, else the listing's,
// else that the program quits when the downloads finish.
func (d *downloads) statusText() string {
	switch {
	case d.status != "":
		return d.status
	case d.listing.cancel != nil:
		return "listing every file " + d.listing.what + "… (esc cancels)"
	case d.quitWhenDone:
		return "quitting when the downloads finish (q asks again)"
	}
	return ""
}

// summary is what the downloads came to, for the normal screen after the
// program exits; "" when nothing was queued.
func (d *downloads) summary() string {
	if d.run == nil {
		return ""
	}
	return d.run.Summary().String()
}

// SelectedMark is the selection mark of a selected row in the list.
const SelectedMark = "✓"

// decorate returns a file's row decoration: the selection mark and its
// download job.
func (d *downloads) decorate(f wandb.File) fileRow {
	r := fileRow{file: f}
	if d.sel != nil && d.sel.Has(f.Name) {
		r.mark = SelectedMark
	}
	r.job, r.hasJob = d.job(f.Name)
	return r
}
