package cli

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// How often `wbfiles get` prints a totals line (stderr not a terminal)
// and redraws its live block (a terminal).
const (
	getTotalsEvery = 5 * time.Second
	getBlockEvery  = 200 * time.Millisecond
)

// finished is one download's outcome, as the reporting Downloader saw it.
type finished struct {
	f   wandb.File
	res wandb.DownloadResult
	err error
}

// reporter is the runner's Downloader for `wbfiles get`: the client's
// Download, each outcome also sent to done for a line of its own.
type reporter struct {
	dl   runner.Downloader
	done chan finished
}

func (r reporter) Download(ctx context.Context, f wandb.File, dest string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	res, err := r.dl.Download(ctx, f, dest, opts)
	r.done <- finished{f, res, err}
	return res, err
}

// runGet downloads the matching files with the runner the UI uses.
func runGet(c verbConfig, env Env, client *wandb.Client, pages func(context.Context) iter.Seq2[wandb.FilesPage, error]) int {
	dest, err := prepareDest(c.Dest, env.Home)
	if err != nil {
		return fail(env, verbStartup, err)
	}
	var files []wandb.File
	for page, err := range pages(context.Background()) {
		if err != nil {
			return fail(env, verbFailed, err)
		}
		files = append(files, page.Files...)
	}
	if len(files) == 0 {
		// A script that asked for files and got none should hear of it.
		return fail(env, verbFailed, errors.New("no file of the run matches: nothing to download"))
	}
	existing := wandb.KeepExisting
	if c.Override {
		existing = wandb.Overwrite
	}
	if c.DryRun {
		return dryRun(env, dest, files, existing)
	}
	free, err := wandb.FreeSpace(dest)
	if err != nil {
		free = -1
	}
	if plan := runner.PlanBatch(files, free, 0); !plan.Fits() {
		return fail(env, verbFailed, fmt.Errorf("refused: %s in %s", plan.Refusal(), dest))
	}
	rep := reporter{dl: client, done: make(chan finished, c.Parallel)}
	run := runner.New(rep, runner.Options{Dest: dest, Parallel: c.Parallel, Download: wandb.DownloadOptions{Existing: existing}})
	defer run.Close()
	run.Add(files...)
	interrupted := follow(env, run, rep.done)
	s := run.Summary()
	if text := s.String(); text != "" {
		fmt.Fprintln(env.Stderr, text)
	}
	switch {
	case interrupted:
		return verbInterrupted
	case len(s.Failed) > 0 || s.Cancelled > 0 || s.Unfinished > 0:
		return verbFailed
	}
	return exitOK
}

// follow shows the downloads until nothing is active: on a terminal a live
// block (totals, a bar, the files in flight) with failures printed above
// it, elsewhere a line per finished or failed file and a totals line every
// few seconds. The first SIGINT or SIGTERM stops starting new files (the
// running ones finish), the second cancels those; it reports whether a
// signal came.
func follow(env Env, run *runner.Runner, done <-chan finished) (interrupted bool) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	idle := make(chan struct{})
	go func() {
		run.Wait(context.Background())
		close(idle)
	}()
	live, width := stderrTerminal(env)
	block := &liveBlock{w: env.Stderr, width: width}
	say := func(line string) { fmt.Fprintln(env.Stderr, line) }
	every := getTotalsEvery
	if live {
		say, every = block.above, getBlockEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	report := func(f finished) {
		if line := reportLine(f); line != "" && (!live || f.err != nil && !errors.Is(f.err, context.Canceled)) {
			say(line)
		}
	}
	for {
		select {
		case f := <-done:
			report(f)
		case <-tick.C:
			if live {
				block.draw(run)
			} else {
				say(totalsText(run.Totals(), ", "))
			}
		case <-sigs:
			if interrupted {
				run.CancelAll()
				say("wbfiles: cancelling the running downloads (partial files are kept)")
				continue
			}
			interrupted = true
			n := dropQueued(run)
			say(fmt.Sprintf("wbfiles: interrupted: %s not started; the running ones finish (again to cancel them)", termtext.Count(n, "file")))
		case <-idle:
			// Cancelled downloads still inside the engine report when
			// they return.
			for run.Totals().Busy > 0 || len(done) > 0 {
				select {
				case f := <-done:
					report(f)
				case <-time.After(10 * time.Millisecond):
				}
			}
			block.clear()
			return interrupted
		}
	}
}

// dropQueued cancels the jobs that have not started and returns how many.
func dropQueued(run *runner.Runner) int {
	n := 0
	for _, j := range run.Jobs(0, run.Len()) {
		if j.State == runner.Queued && run.CancelIn(j.Dest, j.Name) {
			n++
		}
	}
	return n
}

// reportLine is the line of one finished download.
func reportLine(f finished) string {
	name := termtext.Safe(f.f.Name)
	switch {
	case errors.Is(f.err, context.Canceled):
		return "cancelled  " + name
	case f.err != nil:
		return "failed     " + name + ": " + termtext.Line(f.err.Error())
	case f.res.Status == wandb.UpToDate:
		return "up to date " + name
	}
	return "done       " + name + " (" + termtext.Bytes(f.res.Bytes) + ")"
}

// totalsText words the totals, its parts joined by sep: the periodic line
// when stderr is no terminal, the head of the live block on one.
func totalsText(t runner.Totals, sep string) string {
	parts := []string{fmt.Sprintf("%s of %s done", termtext.Comma(int64(t.Done+t.UpToDate)), termtext.Count(t.Files, "file"))}
	if t.Failed > 0 {
		parts = append(parts, termtext.Comma(int64(t.Failed))+" failed")
	}
	parts = append(parts, termtext.Bytes(t.BytesDone)+" / "+termtext.Size(t.BytesTotal, t.UnknownSize))
	if t.Speed > 0 {
		parts = append(parts, termtext.Speed(t.Speed))
	}
	if t.ETA > 0 {
		parts = append(parts, termtext.Duration(t.ETA)+" left")
	}
	return strings.Join(parts, sep)
}

// dryRun says, for each file, what get would do, and the totals; it writes
// nothing.
func dryRun(env Env, dest string, files []wandb.File, existing wandb.ExistingPolicy) int {
	var get, same, kept int
	var bytes int64
	for _, f := range files {
		st, err := wandb.LocalState(dest, f)
		name := termtext.Safe(f.Name)
		switch {
		case err != nil:
			fmt.Fprintf(env.Stdout, "refuse     %s: %s\n", name, termtext.Line(err.Error()))
		case st == wandb.LocalSame:
			same++
			fmt.Fprintf(env.Stdout, "up to date %s\n", name)
		case st == wandb.LocalDifferent && existing == wandb.KeepExisting:
			kept++
			fmt.Fprintf(env.Stdout, "keep       %s (a different file is there; --overwrite replaces it)\n", name)
		default:
			get++
			bytes += max(f.SizeBytes, 0)
			fmt.Fprintf(env.Stdout, "download   %s (%s)\n", name, sizeOf(f))
		}
	}
	fmt.Fprintf(env.Stdout, "would download %s (%s), skip %d up to date, keep %d\n", termtext.Count(get, "file"), termtext.Bytes(bytes), same, kept)
	return exitOK
}
