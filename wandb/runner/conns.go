package runner

// conns lends one running download the runner's idle connections, for the
// slices of a large file (wandb.Conns). The budget is Options.Parallel
// connections in all, and the rules are three:
//
//   - queued jobs come first: nothing is lent while a job waits, and a
//     download gives borrowed connections back (within about 100 ms, at
//     its next 256 KiB) as soon as one does, so a large file never holds
//     up the files behind it;
//   - the connections the other running downloads leave idle are split
//     evenly between the downloads that slice (each may hold its share:
//     the idle part of the budget over the slicing downloads, rounded up),
//     and one that holds more than its share when another starts slicing
//     gives the rest back;
//   - the running downloads and the lent connections never add up to more
//     than the budget.
//
// A lender is made per attempt; its fields are guarded by the Runner's mu.
type conns struct {
	r *Runner
	// held is how many connections the download has borrowed.
	held int
	// slicing reports that the download asked to borrow: it counts among
	// the downloads the idle connections are shared by.
	slicing bool
}

// Borrow lends one idle connection when no job waits and the download
// holds less than its share.
func (c *conns) Borrow() bool {
	r := c.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if !c.slicing {
		c.slicing = true
		r.slicing++
	}
	if r.q.counts[Queued] > 0 || r.busy+r.lent >= r.parallel || 1+c.held >= r.shareLocked() {
		return false
	}
	c.held++
	r.lent++
	return true
}

// Return takes one connection back and starts a queued job on it, if any.
func (c *conns) Return() {
	r := c.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.held == 0 {
		return
	}
	c.held--
	r.lent--
	r.startLocked()
}

// Reclaim says how many connections the download should give back: as
// many as jobs wait (up to what it holds), else what it holds beyond its
// share.
func (c *conns) Reclaim() int {
	r := c.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if q := r.q.counts[Queued]; q > 0 {
		return min(q, c.held)
	}
	return max(0, 1+c.held-r.shareLocked())
}

// Busy reports that jobs wait for a connection.
func (c *conns) Busy() bool {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	return c.r.q.counts[Queued] > 0
}

// close takes back whatever the download still holds once it returned
// (the engine gives everything back; this keeps the budget right with any
// Downloader).
func (c *conns) close() {
	c.r.lent -= c.held
	c.held = 0
	if c.slicing {
		c.slicing = false
		c.r.slicing--
	}
}

// shareLocked is how many connections, its own included, one slicing
// download may hold: the budget less the downloads that do not slice,
// spread over those that do, rounded up.
func (r *Runner) shareLocked() int {
	n := max(r.slicing, 1)
	free := r.parallel - (r.busy - r.slicing)
	return max((free+n-1)/n, 1)
}
