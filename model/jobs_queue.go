package model

import (
	"context"
	"errors"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// Jobs is the download queue: one job per file name, in the order they
// were first queued. It only keeps state; the caller runs the downloads
// and reports back (Next, Started, Progressed, Finished), so it is tested
// without a network or a terminal. Queuing, starting, progress and
// finishing are O(1); the totals are kept up to date on every change, so
// drawing them costs nothing per frame. The zero value is an empty queue.
type Jobs struct {
	jobs   []*Job
	byName map[string]JobID
	// queue holds queued IDs in start order from head on; entries whose
	// job is no longer Queued (cancelled meanwhile) are skipped.
	queue []JobID
	head  int
	// running lists the running jobs (in no order) and runPos their
	// places in it, so adding, removing and walking them cost O(1) per job
	// whatever the queue once held.
	running []JobID
	runPos  map[JobID]int

	counts [numJobStates]int
	bytes  byteTotals
	// fetched counts every byte that arrived, over all jobs and attempts;
	// speed follows it, so many small files that each report once still
	// add up to an aggregate speed.
	fetched int64
	speed   speedMeter
}

// arrived records that n more bytes arrived at time at.
func (q *Jobs) arrived(n int64, at time.Time) {
	if n > 0 {
		q.fetched += n
	}
	q.speed.add(at, q.fetched)
}

// byteTotals are the byte sums of the overall bar.
type byteTotals struct {
	done, total int64 // over the jobs that are not cancelled
	unknown     int   // jobs not cancelled whose size is unknown
	remaining   int64 // known bytes still to fetch by active jobs
}

func (b *byteTotals) add(j *Job, sign int64) {
	if j.State == Cancelled {
		return
	}
	b.done += sign * j.Done
	if j.Total < 0 {
		b.unknown += int(sign)
		return
	}
	b.total += sign * j.Total
	if j.State.Active() {
		b.remaining += sign * max(j.Total-j.Done, 0)
	}
}

// update applies change to j and keeps the counts and sums in step.
func (q *Jobs) update(j *Job, change func()) {
	q.bytes.add(j, -1)
	q.counts[j.State]--
	if j.State == Running {
		q.dropRunning(j.ID)
	}
	change()
	if j.State != Running {
		j.speed = nil // only running jobs carry samples
	}
	q.bytes.add(j, 1)
	q.counts[j.State]++
	if j.State == Running {
		if q.runPos == nil {
			q.runPos = make(map[JobID]int)
		}
		q.runPos[j.ID] = len(q.running)
		q.running = append(q.running, j.ID)
	}
}

// dropRunning removes id from the running list by moving the last entry
// into its place.
func (q *Jobs) dropRunning(id JobID) {
	i, ok := q.runPos[id]
	if !ok {
		return
	}
	last := q.running[len(q.running)-1]
	q.running[i] = last
	q.runPos[last] = i
	q.running = q.running[:len(q.running)-1]
	delete(q.runPos, id)
}

// Len returns the number of jobs.
func (q *Jobs) Len() int { return len(q.jobs) }

// At returns a copy of job id; id must be in [0, Len()).
func (q *Jobs) At(id JobID) Job { return *q.jobs[id] }

// Lookup returns the job of the file called name.
func (q *Jobs) Lookup(name string) (Job, bool) {
	id, ok := q.byName[name]
	if !ok {
		return Job{}, false
	}
	return *q.jobs[id], true
}

// Enqueue queues a job for every file that has no active job: a new job
// for a file seen for the first time, a restart for a finished one. It
// returns the IDs it queued; files already queued or running are skipped.
func (q *Jobs) Enqueue(files ...wandb.File) []JobID {
	var ids []JobID
	for _, f := range files {
		id, seen := q.byName[f.Name]
		if !seen {
			if q.byName == nil {
				q.byName = make(map[string]JobID)
			}
			id = JobID(len(q.jobs))
			j := &Job{ID: id, File: f, State: Queued, Total: f.SizeBytes}
			q.jobs = append(q.jobs, j)
			q.byName[f.Name] = id
			q.counts[Queued]++
			q.bytes.add(j, 1)
		} else {
			j := q.jobs[id]
			if j.State.Active() {
				continue
			}
			q.update(j, func() {
				j.File = f
				j.requeue()
			})
		}
		q.queue = append(q.queue, id)
		ids = append(ids, id)
	}
	return ids
}

// requeue resets a finished job to Queued.
func (j *Job) requeue() {
	j.State = Queued
	j.Done, j.Total = 0, j.File.SizeBytes
	j.Path, j.Resumed, j.Reason, j.Err = "", false, "", nil
	j.StartedAt, j.FinishedAt = time.Time{}, time.Time{}
	j.speed = nil
}

// Start is one job that Next moved to Running: the caller runs the
// download of File and reports its events with ID and Attempt.
type Start struct {
	ID      JobID
	Attempt int
	File    wandb.File
}

// Next moves queued jobs to Running, oldest first, so that at most parallel
// jobs run (at least one), and returns them.
func (q *Jobs) Next(parallel int) []Start {
	parallel = max(parallel, 1)
	var starts []Start
	for q.counts[Running] < parallel && q.head < len(q.queue) {
		j := q.jobs[q.queue[q.head]]
		q.head++
		if j.State != Queued {
			continue
		}
		q.update(j, func() {
			j.State = Running
			j.Attempt++
		})
		starts = append(starts, Start{ID: j.ID, Attempt: j.Attempt, File: j.File})
	}
	if q.head == len(q.queue) {
		// Drained: reuse the backing array rather than growing forever.
		q.queue, q.head = q.queue[:0], 0
	}
	return starts
}

// current returns job id when it is running attempt, else nil: events of
// an earlier attempt, or of a job cancelled meanwhile, are stale.
func (q *Jobs) current(id JobID, attempt int) *Job {
	if id < 0 || int(id) >= len(q.jobs) {
		return nil
	}
	j := q.jobs[id]
	if j.Attempt != attempt || j.State != Running {
		return nil
	}
	return j
}

// Started records that attempt of job id began at time at. It reports
// false for a stale event.
func (q *Jobs) Started(id JobID, attempt int, at time.Time) bool {
	j := q.current(id, attempt)
	if j == nil {
		return false
	}
	j.StartedAt = at
	return true
}

// Progressed records that attempt of job id had done of total bytes on
// disk at time at (total -1: unknown). It reports false for a stale event.
func (q *Jobs) Progressed(id JobID, attempt int, done, total int64, at time.Time) bool {
	j := q.current(id, attempt)
	if j == nil {
		return false
	}
	old := j.Done
	q.update(j, func() {
		j.Done = done
		if total >= 0 {
			j.Total = total
		}
	})
	if j.speed == nil {
		j.speed = &speedMeter{}
	}
	j.speed.add(at, done)
	q.arrived(done-old, at)
	return true
}

// Finished records the outcome of attempt of job id at time at: Done or
// UpToDate on success, Cancelled when err is a cancellation, else Failed
// with the reason. A job the user cancelled whose download completed anyway
// becomes Done (the file is in place after all). It reports whether the
// event changed the job.
func (q *Jobs) Finished(id JobID, attempt int, res wandb.DownloadResult, err error, at time.Time) bool {
	if id < 0 || int(id) >= len(q.jobs) {
		return false
	}
	j := q.jobs[id]
	if j.Attempt != attempt || !(j.State == Running || (j.State == Cancelled && err == nil)) {
		return false
	}
	if err == nil && res.Status == wandb.Downloaded {
		q.arrived(res.Bytes-j.Done, at)
	}
	q.update(j, func() {
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
				j.Fetched, j.FetchedBytes = true, res.Bytes
			}
		case errors.Is(err, context.Canceled):
			j.State = Cancelled
		default:
			j.State, j.Reason, j.Err = Failed, FailureReason(err), err
		}
	})
	return true
}

// Cancel cancels job id when it is active and reports whether it was
// running, in which case the caller must cancel its download's context.
func (q *Jobs) Cancel(id JobID) (wasRunning bool) {
	if id < 0 || int(id) >= len(q.jobs) {
		return false
	}
	j := q.jobs[id]
	if !j.State.Active() {
		return false
	}
	wasRunning = j.State == Running
	q.update(j, func() { j.State = Cancelled })
	return wasRunning
}

// CancelAll cancels every active job and returns the ones that were
// running, whose contexts the caller must cancel. It walks only the active
// jobs.
func (q *Jobs) CancelAll() []JobID {
	running := append([]JobID(nil), q.running...)
	for _, id := range running {
		q.Cancel(id)
	}
	for _, id := range q.queue[q.head:] {
		q.Cancel(id)
	}
	q.queue, q.head = q.queue[:0], 0
	return running
}

// Retry queues job id again when it failed or was cancelled, and reports
// whether it did.
func (q *Jobs) Retry(id JobID) bool {
	if id < 0 || int(id) >= len(q.jobs) {
		return false
	}
	j := q.jobs[id]
	if j.State != Failed && j.State != Cancelled {
		return false
	}
	return len(q.Enqueue(j.File)) == 1
}

// RetryFailed queues every failed job again and returns their IDs.
func (q *Jobs) RetryFailed() []JobID {
	if q.counts[Failed] == 0 {
		return nil
	}
	var ids []JobID
	for _, j := range q.jobs {
		if j.State == Failed {
			ids = append(ids, q.Enqueue(j.File)...)
		}
	}
	return ids
}

// Active reports whether any job is queued or running.
func (q *Jobs) Active() bool { return q.counts[Queued]+q.counts[Running] > 0 }

// Count returns the number of jobs in state s.
func (q *Jobs) Count(s JobState) int { return q.counts[s] }

// Remaining returns the known bytes that queued and running jobs still have
// to fetch: what a new batch must leave room for on the disk.
func (q *Jobs) Remaining() int64 { return q.bytes.remaining }

// Fresh returns the files of files that have no active job, i.e. those that
// Enqueue would queue.
func (q *Jobs) Fresh(files []wandb.File) []wandb.File {
	var fresh []wandb.File
	for _, f := range files {
		if id, ok := q.byName[f.Name]; ok && q.jobs[id].State.Active() {
			continue
		}
		fresh = append(fresh, f)
	}
	return fresh
}
