package runner

import (
	"context"
	"fmt"

	"github.com/wbfiles/wbfiles/wandb"
)

// attempt is one start of a job, as its goroutine runs it.
type attempt struct {
	j      *job
	n      int // the job's Attempt at the start
	f      wandb.File
	dest   string // the job's folder at the start
	ctx    context.Context
	cancel context.CancelFunc
	conns  *conns // lends it idle connections for slices
}

// startLocked starts queued jobs, oldest first, while fewer than parallel
// goroutines are inside a download, counting the connections lent to
// sliced downloads (conns.go). A cancelled download holds its place
// until the engine has returned, so the disk and the network never see
// more than parallel downloads (or connections) at once.
func (r *Runner) startLocked() {
	for r.busy+r.lent < r.parallel {
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
	j := r.q.start(r.now())
	if j == nil {
		return attempt{}, false
	}
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel = cancel
	return attempt{j: j, n: j.Attempt, f: j.File, dest: j.Dest, ctx: ctx, cancel: cancel, conns: &conns{r: r}}, true
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
		a.conns.close()
		r.q.finished(a.j, a.n, res, err, at)
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
	opts.Conns = a.conns
	if opts.MaxSlices == 0 {
		opts.MaxSlices = wandb.DefaultMaxSlices
	}
	opts.MaxSlices = min(opts.MaxSlices, r.parallel) // 1: no slices
	user := opts.Progress
	opts.Progress = func(p wandb.Progress) {
		r.progressed(a, p)
		if user != nil {
			user(p)
		}
	}
	return r.dl.Download(a.ctx, a.f, a.dest, opts)
}

// progressed records report p of attempt a.
func (r *Runner) progressed(a attempt, p wandb.Progress) {
	at := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.q.progressed(a.j, a.n, p, at) {
		r.changedLocked()
	}
}
