package runner

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// Downloader runs one file's download; *wandb.Client implements it with
// the engine's guarantees (temporary file and rename, md5, resume, retries,
// the key only for the API host, nothing outside dest). It reports
// progress through opts.Progress and must stop promptly when ctx ends.
type Downloader interface {
	Download(ctx context.Context, f wandb.File, dest string, opts wandb.DownloadOptions) (wandb.DownloadResult, error)
}

var _ Downloader = (*wandb.Client)(nil)

// DefaultParallel is the number of files downloaded at once when
// Options.Parallel is zero or less.
const DefaultParallel = 4

// Options configure a Runner.
type Options struct {
	// Dest is the download folder of Add (AddTo takes its own); "" means
	// the current directory.
	Dest string
	// Parallel is how many downloads run at once (DefaultParallel when
	// zero or less).
	Parallel int
	// Download is passed to every download (the policy for an existing
	// file, the progress interval). Its Progress, when set, is called
	// after the runner recorded each report, from the download's
	// goroutine, and must return quickly.
	Download wandb.DownloadOptions
	// Now tells the time (time.Now when nil); tests set it.
	Now func() time.Time
}

// Runner is a download queue that runs itself: see the package comment.
// Its methods are safe for concurrent use.
type Runner struct {
	dl       Downloader
	dest     string
	parallel int
	opts     wandb.DownloadOptions
	now      func() time.Time

	version atomic.Uint64
	changed chan struct{}
	workers sync.WaitGroup

	mu     sync.Mutex
	q      queue
	busy   int  // goroutines inside a download (at most parallel)
	closed bool // Close was called: AddTo queues nothing
	idle   chan struct{}

	// lent counts the connections lent to sliced downloads (conns.go):
	// busy+lent ≤ parallel. slicing counts the running downloads that
	// asked to borrow.
	lent, slicing int
}

// New returns an empty Runner that downloads through dl.
func New(dl Downloader, opts Options) *Runner {
	if opts.Dest == "" {
		opts.Dest = "."
	}
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Runner{
		dl:       dl,
		dest:     opts.Dest,
		parallel: opts.Parallel,
		opts:     opts.Download,
		now:      opts.Now,
		changed:  make(chan struct{}, 1),
		q:        newQueue(),
	}
}

// Dest returns the download folder of Add, Lookup, Cancel, Retry and
// Plan.
func (r *Runner) Dest() string { return r.dest }

// Parallel returns how many downloads run at once at most.
func (r *Runner) Parallel() int { return r.parallel }

// Add queues files for download to the runner's folder (Dest): it is
// AddTo(r.Dest(), files...).
func (r *Runner) Add(files ...wandb.File) int { return r.AddTo(r.dest, files...) }

// AddTo queues files for download to folder dest ("" is the current
// directory) and starts as many as the parallel limit allows. A job is
// the place its file lands, dest and name together (a relative dest is
// taken from the working directory when the Runner was made), so files of
// the same name in two folders are two jobs. A file whose place is seen
// for the first time gets a new job at the end of the list; one whose job
// finished (done, up to date, failed, cancelled) is queued again with the
// listing given; one queued or running is left alone. It returns the
// number of files it queued (0 after Close).
func (r *Runner) AddTo(dest string, files ...wandb.File) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0
	}
	at, n := r.now(), 0
	for _, f := range files {
		if r.q.add(dest, f, at) {
			n++
		}
	}
	r.queuedLocked(n)
	return n
}

// queuedLocked starts and announces n newly queued jobs.
func (r *Runner) queuedLocked(n int) {
	if n > 0 {
		r.startLocked()
		r.changedLocked()
	}
}

// Cancel cancels the job of the file called name in the runner's folder:
// it is CancelIn(r.Dest(), name).
func (r *Runner) Cancel(name string) bool { return r.CancelIn(r.dest, name) }

// CancelIn cancels the job of the file called name in folder dest when it
// is queued (it leaves the line) or running (it is Cancelled at once and
// its download's context ends; the engine keeps the partial file for a
// retry to resume, and the next queued job starts once the engine has
// returned). It reports whether the job was active.
func (r *Runner) CancelIn(dest, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.q.lookup(dest, name)
	if j == nil || !r.q.cancel(j, r.now()) {
		return false
	}
	r.changedLocked()
	return true
}

// CancelAll cancels every queued and running job. It walks only the
// active jobs.
func (r *Runner) CancelAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cancelAllLocked()
}

func (r *Runner) cancelAllLocked() {
	if r.q.active() > 0 && r.q.cancelAll(r.now()) > 0 {
		r.changedLocked()
	}
}

// Retry queues the job of the file called name in the runner's folder
// again: it is RetryIn(r.Dest(), name).
func (r *Runner) Retry(name string) bool { return r.RetryIn(r.dest, name) }

// RetryIn queues the job of the file called name in folder dest again when
// it failed or was cancelled, with the listing it had, and reports whether
// it did. (To retry with a fresh listing, AddTo the new wandb.File.)
func (r *Runner) RetryIn(dest, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.q.lookup(dest, name)
	if r.closed || j == nil || (j.State != Failed && j.State != Cancelled) {
		return false
	}
	n := 0
	if r.q.add(j.Dest, j.File, r.now()) {
		n = 1
	}
	r.queuedLocked(n)
	return n == 1
}

// RetryFailed queues every failed job again, each to its folder, and
// returns how many it queued.
func (r *Runner) RetryFailed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.q.counts[Failed] == 0 {
		return 0
	}
	at, n := r.now(), 0
	for _, j := range r.q.jobs {
		if j.State == Failed && r.q.add(j.Dest, j.File, at) {
			n++
		}
	}
	r.queuedLocked(n)
	return n
}

// Wait blocks until no job is queued or running, or ctx ends (then it
// returns ctx's error). Jobs added meanwhile are waited for too.
func (r *Runner) Wait(ctx context.Context) error {
	r.mu.Lock()
	if r.q.active() == 0 {
		r.mu.Unlock()
		return nil
	}
	if r.idle == nil {
		r.idle = make(chan struct{})
	}
	idle := r.idle
	r.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close cancels every job, queues nothing from then on, and returns once
// every download has returned (the engine has closed its files). It may be
// called more than once.
func (r *Runner) Close() {
	r.mu.Lock()
	r.closed = true
	r.cancelAllLocked()
	r.mu.Unlock()
	r.workers.Wait()
}

// changedLocked records a change: a new Version, a signal on Changed, and
// the end of Wait when nothing is active any more.
func (r *Runner) changedLocked() {
	r.version.Add(1)
	select {
	case r.changed <- struct{}{}:
	default: // a signal is pending: readers will see this change too
	}
	if r.idle != nil && r.q.active() == 0 {
		close(r.idle)
		r.idle = nil
	}
}
