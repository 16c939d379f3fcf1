package runner

import "time"

// byteTotals are the byte sums of the overall bar. Sums are wide, so no
// number of files of absurd (but plausible) size overflows them.
type byteTotals struct {
	done, total wideSum // over every job: a cancelled or failed one keeps the bar short of full
	unknown     int     // jobs whose size is unknown
	remaining   wideSum // known bytes still to fetch by active jobs
	// unknownActive counts active jobs of unknown size: while there are
	// any, the overall ETA cannot be told.
	unknownActive int
}

func (b *byteTotals) add(j *job, sign int64) {
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

// Totals are the figures of the overall progress bar.
type Totals struct {
	Files                                              int // every job
	Queued, Running, Done, UpToDate, Failed, Cancelled int
	// BytesDone and BytesTotal sum every job, so a cancelled or failed
	// one keeps the bar short of full; UnknownSize counts the jobs whose
	// size is unknown (not in BytesTotal). BytesRemaining is the known bytes that queued and
	// running jobs still have to fetch. Sums saturate at MaxInt64.
	BytesDone, BytesTotal, BytesRemaining int64
	UnknownSize                           int
	// Speed is the recent rate at which bytes arrived over all jobs, in
	// bytes per second (0 when nothing runs); ETA is the time
	// BytesRemaining takes at Speed: 0 when nothing is active, UnknownETA
	// when an active job's size or the speed is unknown.
	Speed float64
	ETA   time.Duration
	// Busy counts downloads still inside the engine, cancelled ones that
	// have not returned yet included: until it is 0 a job can still
	// change (a cancelled download that finished anyway ends Done).
	Busy int
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
