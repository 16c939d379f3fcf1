package wandbtest

import "time"

// paceSlack is how far ahead of its schedule a paced body may run before
// it sleeps: sleeping for every 32 KiB write would add a timer's overhead
// (tens of microseconds each, more on a busy machine) to every write and
// pace a fast body well below its rate.
const paceSlack = 2 * time.Millisecond

// pacer holds one response body to a rate in bytes per second, the way
// cloud storage paces each stream: every response gets its own (so N
// ranged requests at once get N times the rate, as from a real bucket).
// It keeps to a schedule from the first byte instead of sleeping a fixed
// time per write, so time spent writing is not added to the pace and the
// rate holds whatever the write sizes.
type pacer struct {
	bps   int64 // bytes per second; 0 means no pace
	start time.Time
	sent  int64
	now   func() time.Time // nil: time.Now (tests give a clock of their own)
}

// wait returns how long to sleep after n more bytes were sent so that the
// body keeps to its rate: 0 while it is behind its schedule or less than
// paceSlack ahead.
func (p *pacer) wait(n int) time.Duration {
	if p.bps <= 0 {
		return 0
	}
	clock := p.now
	if clock == nil {
		clock = time.Now
	}
	now := clock()
	if p.start.IsZero() {
		p.start = now
	}
	p.sent += int64(n)
	due := p.start.Add(time.Duration(float64(p.sent) / float64(p.bps) * float64(time.Second)))
	if d := due.Sub(now); d >= paceSlack {
		return d
	}
	return 0
}
