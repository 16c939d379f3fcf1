package wandb

import "slices"

// span is a stretch of the file, [start, end), whose bytes [start, next)
// are on disk. While busy one worker fills it and only that worker moves
// next (under the slicer's lock); end never moves while it is busy.
type span struct {
	start, end, next int64
	busy             bool
}

// extent is a stretch [from, to) of the file that is on disk.
type extent struct{ from, to int64 }

// plan covers the file with spans in order. It has no lock of its own: the
// slicer's guards it.
type plan struct {
	size  int64
	spans []*span
	first int   // index of the first span not yet complete
	done  int64 // bytes on disk, over all spans
}

// newPlan covers [0, size) with the extents done (sorted, apart, inside
// the file) and free spans for the gaps.
func newPlan(size int64, done []extent) plan {
	p := plan{size: size}
	at := int64(0)
	for _, e := range done {
		if e.from > at {
			p.spans = append(p.spans, &span{start: at, end: e.from, next: at})
		}
		p.spans = append(p.spans, &span{start: e.from, end: e.to, next: e.to})
		p.done += e.to - e.from
		at = e.to
	}
	if at < size {
		p.spans = append(p.spans, &span{start: at, end: size, next: at})
	}
	p.skipComplete()
	return p
}

// skipComplete moves first past the complete spans.
func (p *plan) skipComplete() {
	for p.first < len(p.spans) && p.spans[p.first].next == p.spans[p.first].end {
		p.first++
	}
}

// prefix returns how many bytes from the start of the file are on disk
// without a gap.
func (p *plan) prefix() int64 {
	if p.first == len(p.spans) {
		return p.size
	}
	return p.spans[p.first].next
}

// complete reports whether every byte is on disk.
func (p *plan) complete() bool { return p.first == len(p.spans) }

// free returns the bytes no worker fetches and none has fetched.
func (p *plan) free() int64 {
	var n int64
	for _, sp := range p.spans[p.first:] {
		if !sp.busy {
			n += sp.end - sp.next
		}
	}
	return n
}

// claim marks the lowest free stretch busy, at most piece bytes of it (a
// rest shorter than half a piece goes with it rather than alone), and
// returns its span; nil when nothing is free.
func (p *plan) claim(piece int64) *span {
	for i := p.first; i < len(p.spans); i++ {
		sp := p.spans[i]
		if sp.busy || sp.next == sp.end {
			continue
		}
		if cut := sp.next + piece; sp.end-cut > piece/2 {
			rest := &span{start: cut, end: sp.end, next: cut}
			sp.end = cut
			p.spans = slices.Insert(p.spans, i+1, rest)
		}
		sp.busy = true
		return sp
	}
	return nil
}

// advance records n more bytes on disk at sp.next.
func (p *plan) advance(sp *span, n int64) {
	sp.next += n
	p.done += n
	p.skipComplete()
}

// extents returns what is on disk, adjacent stretches merged.
func (p *plan) extents() []extent {
	var out []extent
	for _, sp := range p.spans {
		if sp.next == sp.start {
			continue
		}
		if k := len(out); k > 0 && out[k-1].to == sp.start {
			out[k-1].to = sp.next
		} else {
			out = append(out, extent{sp.start, sp.next})
		}
	}
	return out
}
