package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// queue is the state of the jobs: one job per place a file lands (see
// jobKey), in the order they were first added, the queued ones in start
// order, the running ones, and the counts and byte sums over all of them,
// kept in step on every change. It knows nothing of goroutines: the
// Runner holds it under its lock.
type queue struct {
	jobs  []*job
	byKey map[jobKey]*job
	// wd is the working directory when the queue was made: relative
	// folders are taken from it, so a job's key never changes.
	wd string
	// waiting holds queued jobs in start order from head on; an entry is
	// stale when its job is no longer Queued with that ticket.
	waiting []entry
	head    int
	// running is the set of running jobs, so cancelling all of them walks
	// only those, whatever the queue once held.
	running map[*job]struct{}

	counts [numStates]int
	bytes  byteTotals
	// fetched counts every byte that arrived, over all jobs and attempts;
	// speed follows it, so many small files that each report once still
	// add up to an aggregate speed.
	fetched int64
	speed   speedMeter
}

func newQueue() queue {
	wd, _ := os.Getwd() // "": relative folders stay relative, still cleaned
	return queue{byKey: map[jobKey]*job{}, running: map[*job]struct{}{}, wd: wd}
}

// jobKey is a job's identity: the place its file lands. For a name the
// engine writes, path is that place (wandb.LocalPath under the absolute,
// clean folder), so "a/b" in /d and "b" in /d/a, or "x" in "out" and in
// "./out", are one job. A name the engine refuses (ErrUnsafeName) lands
// nowhere, and Join would clean "../x" in /d/a into /d/x: its key is
// instead the folder and the name as given, marked refused, so it meets
// neither a file that lands nor a refused name of another folder.
type jobKey struct {
	path    string
	name    string // only for a refused name
	refused bool
}

// keyOf returns the key of the file called name in folder dest.
func (q *queue) keyOf(dest, name string) jobKey {
	dir := q.folder(dest)
	if p, err := wandb.LocalPath(dir, name); err == nil {
		return jobKey{path: p}
	}
	return jobKey{path: dir, name: name, refused: true}
}

// folder returns dest absolute (from wd) and clean; "" is ".".
func (q *queue) folder(dest string) string {
	if dest == "" {
		dest = "."
	}
	if filepath.IsAbs(dest) || q.wd == "" {
		return filepath.Clean(dest)
	}
	return filepath.Join(q.wd, dest)
}

// lookup returns the job of the file called name in folder dest, or nil.
func (q *queue) lookup(dest, name string) *job { return q.byKey[q.keyOf(dest, name)] }

// entry is one place in the waiting line.
type entry struct {
	j      *job
	ticket uint64
}

// update applies change to j and keeps the counts, sums and running set in
// step.
func (q *queue) update(j *job, change func()) {
	q.bytes.add(j, -1)
	q.counts[j.State]--
	delete(q.running, j)
	change()
	if j.State != Running {
		j.speed = nil // only running jobs carry samples
	}
	q.bytes.add(j, 1)
	q.counts[j.State]++
	if j.State == Running {
		q.running[j] = struct{}{}
	}
}

// add queues f for folder dest unless its place already has an active
// job: a new job for a place seen for the first time, a restart of a
// finished one (which takes the folder and name as given now, in case the
// same place was spelled otherwise). It reports whether it queued.
func (q *queue) add(dest string, f wandb.File, at time.Time) bool {
	k := q.keyOf(dest, f.Name)
	j, seen := q.byKey[k]
	switch {
	case !seen:
		j = &job{Job: Job{Index: len(q.jobs)}}
		j.requeue(dest, f, at)
		q.jobs = append(q.jobs, j)
		q.byKey[k] = j
		q.counts[Queued]++
		q.bytes.add(j, 1)
	case j.State.Active():
		return false
	default:
		q.update(j, func() { j.requeue(dest, f, at) })
	}
	q.waiting = append(q.waiting, entry{j: j, ticket: j.ticket})
	return true
}

// start moves the oldest queued job to Running as its next attempt and
// returns it, or nil when none is queued.
func (q *queue) start(at time.Time) *job {
	j := q.next()
	if j == nil {
		return nil
	}
	q.update(j, func() {
		j.State = Running
		j.Attempt++
		j.StartedAt = at
	})
	return j
}

// next returns the oldest queued job, or nil, and takes it off the line.
func (q *queue) next() *job {
	for q.head < len(q.waiting) {
		e := q.waiting[q.head]
		q.waiting[q.head] = entry{} // let a finished line free its jobs
		q.head++
		if e.j.State == Queued && e.j.ticket == e.ticket {
			return e.j
		}
	}
	// Drained: reuse the backing array rather than growing forever.
	q.waiting, q.head = q.waiting[:0], 0
	return nil
}

// current reports whether attempt is j's running attempt: reports of an
// earlier attempt, or of a job cancelled meanwhile, are stale.
func current(j *job, attempt int) bool { return j.Attempt == attempt && j.State == Running }

// progressed records report p of attempt of j at time at. It reports
// false for a stale report.
func (q *queue) progressed(j *job, attempt int, p wandb.Progress, at time.Time) bool {
	if !current(j, attempt) {
		return false
	}
	old := j.Done
	q.update(j, func() {
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
	q.arrived(j.Done-old, at)
	return true
}

// finished records the outcome of attempt of j at time at: Done or
// UpToDate on success, Cancelled when err is a cancellation, else Failed.
// A job cancelled while its download completed anyway becomes Done (the
// file is in place after all); any other outcome of a stale attempt is
// dropped. It reports whether the job changed.
func (q *queue) finished(j *job, attempt int, res wandb.DownloadResult, err error, at time.Time) bool {
	if j.Attempt != attempt || !(j.State == Running || (j.State == Cancelled && err == nil)) {
		return false
	}
	if err == nil && res.Status == wandb.Downloaded {
		q.arrived(res.Bytes-j.Done, at)
	}
	q.update(j, func() {
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
	return true
}

// cancel moves active job j to Cancelled and cancels its download's
// context, if it runs. It reports whether j was active.
func (q *queue) cancel(j *job, at time.Time) bool {
	if !j.State.Active() {
		return false
	}
	if j.cancel != nil {
		j.cancel()
		j.cancel = nil
	}
	q.update(j, func() {
		j.State = Cancelled
		j.FinishedAt = at
	})
	return true
}

// cancelAll cancels every active job, walking only those, and returns how
// many it cancelled.
func (q *queue) cancelAll(at time.Time) int {
	n := 0
	for j := range q.running {
		if q.cancel(j, at) {
			n++
		}
	}
	for j := q.next(); j != nil; j = q.next() {
		if q.cancel(j, at) {
			n++
		}
	}
	return n
}

// arrived records that n more bytes arrived at time at.
func (q *queue) arrived(n int64, at time.Time) {
	if n > 0 {
		q.fetched += n
	}
	q.speed.add(at, q.fetched)
}

// active returns the number of queued and running jobs.
func (q *queue) active() int { return q.counts[Queued] + q.counts[Running] }
