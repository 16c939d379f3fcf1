package runner

import (
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// queue is the state of the jobs: one job per file name, in the order
// they were first added, the queued ones in start order, the running ones,
// and the counts and byte sums over all of them, kept in step on every
// change. It knows nothing of goroutines: the Runner holds it under its
// lock.
type queue struct {
	jobs   []*job
	byName map[string]*job
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

// entry is one place in the waiting line.
type entry struct {
	j      *job
	ticket uint64
}

// byteTotals are the byte sums of the overall bar. Sums are wide, so no
// number of files of absurd (but plausible) size overflows them.
type byteTotals struct {
	done, total wideSum // over the jobs that are not cancelled
	unknown     int     // jobs not cancelled whose size is unknown
	remaining   wideSum // known bytes still to fetch by active jobs
	// unknownActive counts active jobs of unknown size: while there are
	// any, the overall ETA cannot be told.
	unknownActive int
}

func (b *byteTotals) add(j *job, sign int64) {
	if j.State == Cancelled {
		return
	}
	b.done.add(sign * j.Done)
	if j.Total < 0 {
		b.unknown += int(sign)
		if j.State.Active() {
			b.unknownActive += int(sign)
		}
		return
	}
	b.total.add(sign * j.Total)
	if j.State.Active() {
		b.remaining.add(sign * max(j.Total-j.Done, 0))
	}
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

// add queues f unless its file already has an active job: a new job for a
// name seen for the first time, a restart of a finished one. It reports
// whether it queued.
func (q *queue) add(f wandb.File, at time.Time) bool {
	j, seen := q.byName[f.Name]
	switch {
	case !seen:
		j = &job{Job: Job{Name: f.Name, Index: len(q.jobs)}}
		j.requeue(f, at)
		q.jobs = append(q.jobs, j)
		q.byName[f.Name] = j
		q.counts[Queued]++
		q.bytes.add(j, 1)
	case j.State.Active():
		return false
	default:
		q.update(j, func() { j.requeue(f, at) })
	}
	q.waiting = append(q.waiting, entry{j: j, ticket: j.ticket})
	return true
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

// arrived records that n more bytes arrived at time at.
func (q *queue) arrived(n int64, at time.Time) {
	if n > 0 {
		q.fetched += n
	}
	q.speed.add(at, q.fetched)
}

// active returns the number of queued and running jobs.
func (q *queue) active() int { return q.counts[Queued] + q.counts[Running] }

// Totals are the figures of the overall progress bar.
type Totals struct {
	Files                                              int // every job
	Queued, Running, Done, UpToDate, Failed, Cancelled int
	// BytesDone and BytesTotal sum the jobs that are not cancelled;
	// UnknownSize counts those of them whose size is unknown (not in
	// BytesTotal). BytesRemaining is the known bytes that queued and
	// running jobs still have to fetch. Sums saturate at MaxInt64.
	BytesDone, BytesTotal, BytesRemaining int64
	UnknownSize                           int
	// Speed is the recent rate at which bytes arrived over all jobs, in
	// bytes per second (0 when nothing runs); ETA is the time
	// BytesRemaining takes at Speed: 0 when nothing is active, UnknownETA
	// when an active job's size or the speed is unknown.
	Speed float64
	ETA   time.Duration
}

// totals returns the overall figures in O(1).
func (q *queue) totals() Totals {
	t := Totals{
		Files:          len(q.jobs),
		Queued:         q.counts[Queued],
		Running:        q.counts[Running],
		Done:           q.counts[Done],
		UpToDate:       q.counts[UpToDate],
		Failed:         q.counts[Failed],
		Cancelled:      q.counts[Cancelled],
		BytesDone:      q.bytes.done.value(),
		BytesTotal:     q.bytes.total.value(),
		BytesRemaining: q.bytes.remaining.value(),
		UnknownSize:    q.bytes.unknown,
	}
	if t.Running > 0 {
		t.Speed = q.speed.rate()
	}
	t.ETA = 0
	if t.Active() {
		t.ETA = eta(t.BytesRemaining, q.bytes.unknownActive == 0, t.Speed)
	}
	return t
}

// Active reports whether any job is queued or running.
func (t Totals) Active() bool { return t.Queued+t.Running > 0 }

// Finished returns the number of jobs that ended, however they ended.
func (t Totals) Finished() int { return t.Done + t.UpToDate + t.Failed + t.Cancelled }

// Fraction returns the share of the known bytes on disk, from 0 to 1.
func (t Totals) Fraction() float64 {
	if t.BytesTotal <= 0 {
		if t.Files > 0 && !t.Active() {
			return 1
		}
		return 0
	}
	return min(float64(t.BytesDone)/float64(t.BytesTotal), 1)
}
