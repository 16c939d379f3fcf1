package tui

import (
	"context"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// DefaultParallel is the number of files downloaded at once when
// DownloadsOptions.Parallel is zero.
const DefaultParallel = 4

// downloadProgressInterval is the least time between two progress messages
// of one download: a few a second per file keeps bars lively while
// parallel downloads cannot flood the UI.
const downloadProgressInterval = 250 * time.Millisecond

// DownloadsOptions configure the downloads.
type DownloadsOptions struct {
	// Downloader runs the downloads; normally a *wandb.Client.
	Downloader Downloader
	// Dest is the download folder; "" means the current directory.
	Dest string
	// Parallel is how many files download at once (DefaultParallel when 0).
	Parallel int
	// Existing is the policy for a local file with other content.
	Existing wandb.ExistingPolicy
	// Source and Run, when set, let a retry fetch the file's listing again
	// first, so a retry after an md5 mismatch or an expired signed URL uses
	// what the server says now.
	Source Source
	Run    wandb.RunRef
	// Selection is the selection the list toggles and d downloads; nil
	// means a new empty one. It is shared, not copied.
	Selection *model.Selection
	// ProgressInterval is the least time between two progress messages of
	// one download; 0 means 250 ms.
	ProgressInterval time.Duration
}

// downloadPrompt is the question the downloads model waits an answer to.
type downloadPrompt int

const (
	promptNone   downloadPrompt = iota
	promptBatch                 // download a large batch?
	promptQuit                  // quit while downloads run?
	promptSelect                // select every file that matches on the server?
)

// Downloads is the background download queue and its view: it starts at
// most Parallel downloads at once as commands, follows their progress
// through messages, and lists every job with its progress bar. The root
// model routes every download message to it, whatever view is active, and
// key presses only while the downloads view or one of its prompts is up.
type Downloads struct {
	common
	dl       Downloader
	src      Source
	run      wandb.RunRef
	dest     string
	parallel int
	opts     wandb.DownloadOptions

	// jobs and cancels are shared by every copy of the model, as the
	// cancel funcs of running downloads must be.
	jobs    *model.Jobs
	cancels map[model.JobID]jobCancel
	sel     *model.Selection

	cursor, offset int
	bars           *dlBars

	prompt downloadPrompt
	// promptOwn is set when the open question opened on its own (an
	// answer arrived), not on a key: keys typed ahead must not answer it,
	// so enter does not confirm it, only the confirm letter does.
	promptOwn bool
	// held is such a question put aside while the user types elsewhere
	// (the filter line, the detail view); the root asks it again once the
	// list or the downloads view is back.
	held         downloadPrompt
	plan         model.BatchPlan
	planFromSel  bool          // the plan's files are the selection
	matches      []wandb.File  // what promptSelect would select
	matchesWhat  string        // the filter they match, in words
	listing      selectListing // the listing behind promptSelect, while it runs
	quitWhenDone bool
	status       string // one-line message: a refusal, what a key did
}

// jobCancel stops one attempt of a job.
type jobCancel struct {
	attempt int
	cancel  context.CancelFunc
}

// NewDownloads returns an empty download queue.
func NewDownloads(opts DownloadsOptions) Downloads {
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	if opts.Dest == "" {
		opts.Dest = "."
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = downloadProgressInterval
	}
	if opts.Selection == nil {
		opts.Selection = &model.Selection{}
	}
	d := Downloads{
		common: common{
			width: 80, height: 24,
			styles: DefaultStyles(true),
			keys:   keymap.Default(),
			now:    time.Now,
		},
		dl:       opts.Downloader,
		src:      opts.Source,
		run:      opts.Run,
		dest:     opts.Dest,
		parallel: opts.Parallel,
		opts:     wandb.DownloadOptions{Existing: opts.Existing, ProgressInterval: opts.ProgressInterval},
		jobs:     &model.Jobs{},
		cancels:  map[model.JobID]jobCancel{},
		sel:      opts.Selection,
	}
	d.setCommon(d.common)
	return d
}

// setCommon takes the shared size, styles and keys from the root; the
// view uses the whole width and height it is given.
func (d *Downloads) setCommon(c common) {
	d.common = c
	d.bars = newDLBars(c.styles)
	d.clampCursor()
}

// SetSize sets the size of the downloads view.
func (d *Downloads) SetSize(width, height int) {
	c := d.common
	c.width, c.height = width, height
	d.setCommon(c)
}

// Selection returns the selection d downloads with RequestSelected; the
// list toggles it (Toggle, Add, Clear) and shows its Header.
func (d Downloads) Selection() *model.Selection { return d.sel }

// Parallel returns how many files download at once.
func (d Downloads) Parallel() int { return d.parallel }

// Active reports whether any download is queued or running.
func (d Downloads) Active() bool { return d.jobs.Active() }

// Totals returns the figures of the overall bar.
func (d Downloads) Totals() model.Totals { return d.jobs.Totals() }

// Job returns the job of the file called name, for the detail view (a
// failed job's Reason).
func (d Downloads) Job(name string) (model.Job, bool) { return d.jobs.Lookup(name) }

// State returns the download state column of the file called name:
// "queued", "37%", "done", "up to date", "failed", "cancelled", or "" for a
// file that was never queued.
func (d Downloads) State(name string) string {
	j, ok := d.jobs.Lookup(name)
	if !ok {
		return ""
	}
	return jobStateText(j)
}

// jobStateText is the short state of a job: its percentage while running.
func jobStateText(j model.Job) string {
	if j.State != model.Running {
		return j.State.String()
	}
	if f, ok := j.Fraction(); ok {
		return humanize.FormatFloat("#.", f*100) + "%"
	}
	return termtext.Bytes(j.Done)
}

// Summary returns what the downloads came to, for the normal screen after
// the program exits; "" when nothing was queued.
func (d Downloads) Summary() string { return d.jobs.Summary().String() }

// Status returns the last one-line message (a refused batch, a retry that
// had nothing to do), for the root to show under the list.
func (d Downloads) Status() string {
	if d.status == "" && d.Listing() {
		return d.listingText()
	}
	if d.status != "" || d.held == promptNone {
		return d.status
	}
	// The held question, in the longest wording that fits.
	texts := d.textsOf(d.held)
	for _, t := range texts {
		if t = "back in the list: " + t; ansi.StringWidth(t) <= d.width {
			return t
		}
	}
	return "back in the list: " + texts[len(texts)-1]
}

// ClearStatus drops the last one-line message; the root calls it on a key
// press, as it does with its own status.
func (d *Downloads) ClearStatus() { d.status = "" }

// Prompting reports whether the model waits for an answer to a question
// (a large batch, quitting while downloading); the root then routes key
// presses to it and shows PromptText.
func (d Downloads) Prompting() bool { return d.prompt != promptNone }

// PromptText returns the question of the open prompt, or "": the longest
// wording that fits the view's width, so the answer keys stay on screen
// in a narrow terminal.
func (d Downloads) PromptText() string {
	texts := d.promptTexts()
	for _, t := range texts {
		if ansi.StringWidth(t) <= d.width {
			return t
		}
	}
	if len(texts) == 0 {
		return ""
	}
	return texts[len(texts)-1]
}

// promptTexts returns the wordings of the open question, longest first.
func (d Downloads) promptTexts() []string { return d.textsOf(d.prompt) }

// textsOf returns the wordings of question p, longest first.
func (d Downloads) textsOf(p downloadPrompt) []string {
	k := d.keys
	yes, no := k.Confirm.Help().Key, k.Decline.Help().Key
	yn := "? " + k.Confirm.Keys()[0] + "/" + k.Decline.Keys()[0]
	switch p {
	case promptBatch:
		n := termtext.Count(len(d.plan.Files), "file")
		return []string{
			"Download " + d.plan.Describe() + "? " + yes + " yes · " + no + " no",
			"Download " + d.plan.Describe() + yn,
			"Download " + n + ", " + model.SizeText(d.plan.Known, d.plan.Unknown) + yn,
			"Download " + n + yn,
		}
	case promptSelect:
		known, unknown := int64(0), 0
		for _, f := range d.matches {
			if f.SizeKnown() {
				known += f.SizeBytes
			} else {
				unknown++
			}
		}
		n := termtext.Count(len(d.matches), "file")
		size := " (" + model.SizeText(known, unknown) + ")"
		return []string{
			"Select all " + n + " " + d.matchesWhat + size + "? " + yes + " yes · " + no + " no",
			"Select all " + n + " " + d.matchesWhat + size + yn,
			"Select all " + n + size + yn,
			"Select " + n + yn,
		}
	case promptQuit:
		t := d.jobs.Totals()
		n := termtext.Count(t.Queued+t.Running, "download")
		return []string{
			n + " unfinished. " + yes + " cancel them and quit · " + k.Wait.Help().Key + " quit when done · " + no + " keep going",
			n + " unfinished. " + yes + " cancel, quit · " + k.Wait.Help().Key + " wait · " + no + " stay",
			"Quit? " + yes + " cancel all · " + k.Wait.Help().Key + " wait · " + no + " stay",
		}
	}
	return nil
}

// Request asks to download files into the destination. Files already
// queued or running are left alone. The free space is measured first (in
// the background); a batch that cannot fit is refused with a Status, and a
// large one (model.NeedsConfirm) opens a prompt before anything is queued.
func (d *Downloads) Request(files []wandb.File) tea.Cmd { return d.request(files, false) }

// RequestSelected is the download key: it requests the selection, or the
// file under the list's cursor (onRow) when nothing is selected. The
// selection is cleared once its files are queued.
func (d *Downloads) RequestSelected(cursor wandb.File, onRow bool) tea.Cmd {
	if d.sel.Len() > 0 {
		return d.request(d.sel.Files(), true)
	}
	if onRow {
		return d.request([]wandb.File{cursor}, false)
	}
	return nil
}

func (d *Downloads) request(files []wandb.File, fromSel bool) tea.Cmd {
	fresh := d.jobs.Fresh(files)
	if len(fresh) == 0 {
		if len(files) > 0 {
			d.status = "already downloading"
			if fromSel {
				d.sel.Clear()
			}
		}
		return nil
	}
	return checkBatch(d.dest, fresh, fromSel)
}

// Enqueue queues files at once, without the size checks of Request, and
// starts downloads up to the parallel limit.
func (d *Downloads) Enqueue(files []wandb.File) tea.Cmd {
	ids := d.jobs.Enqueue(files...)
	if len(ids) > 0 {
		d.status = "queued " + termtext.Count(len(ids), "file")
	}
	return d.pump()
}

// pump starts queued jobs while fewer than parallel run.
func (d *Downloads) pump() tea.Cmd {
	starts := d.jobs.Next(d.parallel)
	if len(starts) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, len(starts))
	for i, s := range starts {
		ctx, cancel := context.WithCancel(context.Background())
		d.cancels[s.ID] = jobCancel{attempt: s.Attempt, cancel: cancel}
		cmds[i] = startDownload(ctx, d.dl, s.File, d.dest, d.opts, s.ID, s.Attempt)
	}
	return tea.Batch(cmds...)
}

// stop cancels the context of job id's running attempt, if any.
func (d *Downloads) stop(id model.JobID) {
	if c, ok := d.cancels[id]; ok {
		c.cancel()
		delete(d.cancels, id)
	}
}

// CancelAll cancels every queued and running download.
func (d *Downloads) CancelAll() {
	n := d.jobs.Count(model.Queued) + d.jobs.Count(model.Running)
	for _, id := range d.jobs.CancelAll() {
		d.stop(id)
	}
	if n > 0 {
		d.status = "cancelled " + termtext.Count(n, "download")
	}
}

// AskQuit is what the root calls on quit: with no download active it
// returns tea.Quit; otherwise it opens the quit prompt and returns nil.
func (d *Downloads) AskQuit() tea.Cmd {
	if !d.jobs.Active() {
		return tea.Quit
	}
	if d.prompt != promptNone && d.promptOwn {
		// The quit question goes first; the other is asked again after.
		d.held = d.prompt
	}
	d.prompt, d.promptOwn = promptQuit, false
	return nil
}

// askOwn opens question p, which opened on its own (a listing or a free
// space check came back), not on a key press.
func (d *Downloads) askOwn(p downloadPrompt) { d.prompt, d.promptOwn = p, true }

// asking reports whether a question is open or held.
func (d Downloads) asking() bool { return d.prompt != promptNone || d.held != promptNone }

// holdPrompt puts aside a question that opened on its own, so it takes no
// key typed for another view; askHeld opens it again.
func (d *Downloads) holdPrompt() {
	if d.prompt != promptNone && d.promptOwn {
		d.held, d.prompt = d.prompt, promptNone
	}
}

// askHeld opens the held question, if any and no other is open.
func (d *Downloads) askHeld() {
	if d.held != promptNone && d.prompt == promptNone {
		d.askOwn(d.held)
		d.held = promptNone
	}
}

// SelectedMark is the selection mark of a selected row in the list.
const SelectedMark = "✓"

// DownloadsDecorator returns the list's RowDecorator: the selection mark
// from sel and the download state column from d. Every copy of a Downloads
// shares its queue, so the decorator stays current as d's copies move on.
func DownloadsDecorator(sel *model.Selection, d Downloads) RowDecorator {
	return RowDecoratorFunc(func(f wandb.File) (string, string) {
		mark := ""
		if sel != nil && sel.Has(f.Name) {
			mark = SelectedMark
		}
		return mark, d.State(f.Name)
	})
}
