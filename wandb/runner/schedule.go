package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// attempt is one start of a job, as its goroutine runs it.
type attempt struct {
	j      *job
	n      int // the job's Attempt at the start
	f      wandb.File
	ctx    context.Context
	cancel context.CancelFunc
}

// startLocked starts queued jobs, oldest first, while fewer than parallel
// goroutines are inside a download. A cancelled download holds its place
// until the engine has returned, so the disk and the network never see
// more than parallel downloads at once.
func (r *Runner) startLocked() {
	for r.busy < r.parallel {
		a, ok := r.nextLocked()
		if !ok {
			return
		}
		r.busy++
		r.workers.Add(1)
		go r.work(a)
	}
}

// nextLocked moves the oldest queued job to Running.
func (r *Runner) nextLocked() (attempt, bool) {
	j := r.q.next()
	if j == nil {
		return attempt{}, false
	}
	ctx, cancel := context.WithCancel(context.Background())
	at := r.now()
	r.q.update(j, func() {
		j.State = Running
		j.Attempt++
		j.StartedAt = at
		j.cancel = cancel
	})
	return attempt{j: j, n: j.Attempt, f: j.File, ctx: ctx, cancel: cancel}, true
}

// work runs attempt a, then the next queued jobs one after another, until
// none is left.
func (r *Runner) work(a attempt) {
	defer r.workers.Done()
	for {
		res, err := r.download(a)
		a.cancel() // releases the context's resources
		at := r.now()
		r.mu.Lock()
		r.finishLocked(a, res, err, at)
		next, ok := r.nextLocked()
		if !ok {
			r.busy--
		}
		r.changedLocked()
		r.mu.Unlock()
		if !ok {
			return
		}
		a = next
	}
}

// download runs the engine for attempt a. A panic inside it fails the job
// instead of ending the program (a terminal would stay in raw mode).
func (r *Runner) download(a attempt) (res wandb.DownloadResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = wandb.DownloadResult{Name: a.f.Name}, fmt.Errorf("internal error: %v", p)
		}
	}()
	opts := r.opts
	user := opts.Progress
	opts.Progress = func(p wandb.Progress) {
		r.progressed(a, p)
		if user != nil {
			user(p)
		}
	}
	return r.dl.Download(a.ctx, a.f, r.dest, opts)
}

// progressed records report p of attempt a, unless a is stale (an earlier
// attempt, or a job cancelled meanwhile).
func (r *Runner) progressed(a attempt, p wandb.Progress) {
	at := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	j := a.j
	if j.Attempt != a.n || j.State != Running {
		return
	}
	old := j.Done
	r.q.update(j, func() {
		j.Done = max(p.Done, 0)
		if total := plausible(p.Total); total >= 0 {
			j.Total = total
		}
		j.Progress = p
	})
	if j.speed == nil {
		j.speed = &speedMeter{}
	}
	j.speed.add(at, j.Done)
	r.q.arrived(j.Done-old, at)
	r.changedLocked()
}

// finishLocked records the outcome of attempt a: Done or UpToDate on
// success, Cancelled when err is a cancellation, else Failed. A job
// cancelled while its download completed anyway becomes Done (the file is
// in place after all); any other outcome of a stale attempt is dropped.
func (r *Runner) finishLocked(a attempt, res wandb.DownloadResult, err error, at time.Time) {
	j := a.j
	if j.Attempt != a.n || !(j.State == Running || (j.State == Cancelled && err == nil)) {
		return
	}
	if err == nil && res.Status == wandb.Downloaded {
		r.q.arrived(res.Bytes-j.Done, at)
	}
	r.q.update(j, func() {
		j.cancel = nil
		j.FinishedAt = at
		j.Path, j.Resumed = res.Path, res.Resumed
		switch {
		case err == nil:
			j.State = Done
			if res.Status == wandb.UpToDate {
				j.State = UpToDate
			}
			j.Done, j.Total = res.Bytes, res.Bytes
			if j.State == Done {
				j.fetched, j.fetchedBytes = true, res.Bytes
			}
		case errors.Is(err, context.Canceled):
			j.State = Cancelled
		default:
			j.State, j.Err = Failed, err
		}
	})
}
