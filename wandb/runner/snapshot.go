package runner

import "slices"

// Version returns a number that changes on every change of any job or of
// the Totals: a reader that saw the same number has nothing to redraw.
func (r *Runner) Version() uint64 { return r.version.Load() }

// Changed returns a channel that receives a value when something changed
// since the last receive; changes in between are coalesced into one
// signal, and the runner never waits for a reader. It is meant for one
// reader (a UI's frame loop); others can compare Version.
func (r *Runner) Changed() <-chan struct{} { return r.changed }

// Totals returns the overall figures, in O(1).
func (r *Runner) Totals() Totals {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.q.totals()
	t.Busy = r.busy
	return t
}

// Len returns the number of jobs.
func (r *Runner) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.q.jobs)
}

// Jobs returns copies of at most n jobs from offset on, in the order their
// files were first added; offsets outside the list give fewer or none.
// It costs O(n), whatever the number of jobs.
func (r *Runner) Jobs(offset, n int) []Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	offset = max(offset, 0)
	end := len(r.q.jobs)
	if n < end-offset {
		end = offset + n // no overflow: n < end-offset
	}
	if offset >= end {
		return nil
	}
	out := make([]Job, end-offset)
	for i, j := range r.q.jobs[offset:end] {
		out[i] = j.snapshot()
	}
	return out
}

// Lookup returns a copy of the job of the file called name in the
// runner's folder: it is LookupIn(r.Dest(), name).
func (r *Runner) Lookup(name string) (Job, bool) { return r.LookupIn(r.dest, name) }

// LookupIn returns a copy of the job of the file called name in folder
// dest: the job of the place they name, however AddTo spelled it ("out"
// and "./out" are one folder).
func (r *Runner) LookupIn(dest, name string) (Job, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.q.lookup(dest, name)
	if j == nil {
		return Job{}, false
	}
	return j.snapshot(), true
}

// Running returns copies of at most n running jobs, in list order. It
// walks the running jobs only (at most Parallel), whatever the number of
// jobs.
func (r *Runner) Running(n int) []Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Job, 0, min(n, len(r.q.running)))
	for j := range r.q.running {
		out = append(out, j.snapshot())
	}
	slices.SortFunc(out, func(a, b Job) int { return a.Index - b.Index })
	return out[:min(n, len(out))]
}
