package wandb

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultSliceThreshold is the least size of a file fetched in slices when
// DownloadOptions.SliceThreshold is zero: by BenchmarkSliceThreshold, from
// a server pacing each response at 50 MB/s with 30 ms before each answer,
// slices over 8 connections fetch a 32 MiB file about 3 times as fast as
// one stream, a 16 MiB one less than 2 times (each slice pays the time to
// first byte), and on loopback they come out at 0.8–1.0 of one stream's
// speed (both wait for the md5; the spread is this shared machine's).
const DefaultSliceThreshold = 32 << 20

// DefaultMaxSlices is the most connections one sliced download uses at
// once when DownloadOptions.MaxSlices is zero, as aria2c -x8.
const DefaultMaxSlices = 8

// Conns lends a sliced download connections beyond its own one, so that
// downloads running side by side share one budget: wandb/runner lends the
// idle part of its Parallel. Its methods are called from the download's
// goroutines and must not wait.
type Conns interface {
	// Borrow takes one more connection when the budget has one idle now.
	Borrow() bool
	// Return gives one borrowed connection back.
	Return()
	// Reclaim says how many of its borrowed connections the download
	// should give back now (another download waits for one, or this one
	// holds more than its share); 0 when none.
	Reclaim() int
	// Busy reports that other downloads wait for connections, so none
	// will be lent soon: a download alone on its own connection then
	// takes the rest of the file in few, long requests.
	Busy() bool
}

// Slice sizes: a download claims the lowest bytes not yet claimed in
// pieces of a share of what is left (so the contiguous prefix the md5
// follows stays close behind the network, and the last pieces are small
// so no connection idles long at the end), within these bounds: large
// enough that a request's round trip is little next to its body, small
// enough that a connection given back mid-piece costs little.
const (
	minSlice  = 8 << 20
	maxSlice  = 64 << 20
	loneSlice = 256 << 20
)

// sliceTick is how often a sliced download looks for idle connections to
// borrow and for ones it must give back, and at most how often it saves
// its progress.
const (
	sliceTick     = 100 * time.Millisecond
	sliceSaveTick = time.Second
)

// errFallback ends a sliced download that must continue in one stream: the
// server ignored Range (200), or its idea of the file's size is not the
// listing's (a Content-Range total or a 416 that disagrees).
var errFallback = errors.New("the server does not serve this file in ranges")

// errShed ends a borrowed connection's work when it is given back.
var errShed = errors.New("connection given back")

// sliceable reports whether f is fetched in slices: a size at or above the
// threshold and an md5 to check the reassembled whole, and more than one
// connection allowed.
func (d *downloader) sliceable(f File) bool {
	th := d.opts.SliceThreshold
	if th == 0 {
		th = DefaultSliceThreshold
	}
	return th > 0 && f.MD5 != "" && f.SizeKnown() && f.SizeBytes >= th && d.maxSlices() > 1
}

func (d *downloader) maxSlices() int {
	if d.opts.MaxSlices == 0 {
		return DefaultMaxSlices
	}
	return d.opts.MaxSlices
}

// ownConns lends up to n connections, to a download run without a shared
// budget.
type ownConns struct{ n, used atomic.Int32 }

func (o *ownConns) Borrow() bool {
	if o.used.Add(1) > o.n.Load() {
		o.used.Add(-1)
		return false
	}
	return true
}
func (o *ownConns) Return()      { o.used.Add(-1) }
func (o *ownConns) Reclaim() int { return 0 }
func (o *ownConns) Busy() bool   { return false }

// slicer is the state of one sliced download: the plan of the file's
// spans, the workers (one per connection) that fill them, and the hasher
// that follows the contiguous prefix on disk.
type slicer struct {
	t     *transfer
	size  int64
	max   int // most workers
	conns Conns
	minP  int64
	maxP  int64
	// resumed reports bytes kept from an earlier call or try.
	resumed atomic.Bool

	ctx    context.Context // ends when the download fails or is cancelled
	cancel context.CancelFunc
	parent context.Context
	wake   chan struct{} // the manager has something to look at (a worker returned, ranges work)

	mu       sync.Mutex
	cond     *sync.Cond // spans changed (the hasher and an idle own worker wait)
	plan     plan
	workers  int // running workers, the own one included
	borrowed int // workers on borrowed connections
	shed     int // borrowed connections to give back
	rangeOK  bool
	claims   int       // pieces claimed in this fetch
	lone     bool      // Conns.Busy: no connection will be lent soon
	err      error     // the first failure
	lastProg time.Time // the last progress call
	saved    int64     // done at the last save

	side *sidecar

	hash    hash.Hash
	hashErr error
}

// runSliced downloads t's file in slices (see the package doc of Download
// for the guarantees, which hold here too). It returns fellBack true, with
// the temporary file open, locked and empty, when the server turned out
// not to serve the file in ranges: t then continues in one stream.
func (t *transfer) runSliced(ctx context.Context) (DownloadStatus, int64, bool, error) {
	file, err := t.openLockedTemp()
	if err != nil {
		return NotDownloaded, 0, false, err
	}
	t.file, t.w, t.hash = file, t.d.wrapWriter(file), md5.New()
	s := &slicer{t: t, size: t.f.SizeBytes, max: t.d.maxSlices(), conns: t.d.opts.Conns,
		minP: t.d.minPiece, maxP: t.d.maxPiece, parent: ctx, wake: make(chan struct{}, 1)}
	s.cond = sync.NewCond(&s.mu)
	if s.conns == nil {
		own := &ownConns{}
		own.n.Store(int32(s.max - 1))
		s.conns = own
	}
	defer s.side.close()
	if err := s.load(); err != nil {
		return NotDownloaded, 0, false, s.abandon(err)
	}
	retriedFromZero := false
	for {
		err := s.fetch(ctx)
		if errors.Is(err, errFallback) {
			t.dropSidecar(s)
			if err := t.restart(); err != nil {
				return NotDownloaded, 0, false, t.abandon(err)
			}
			return NotDownloaded, 0, true, nil
		}
		if err != nil {
			return NotDownloaded, 0, false, s.abandon(err)
		}
		err = s.verify()
		if err == nil {
			break
		}
		if errors.Is(err, errDiskRead) {
			return NotDownloaded, 0, false, s.abandon(err)
		}
		if s.resumed.Load() && !retriedFromZero {
			// The kept bytes may be stale or damaged: one clean try.
			retriedFromZero = true
			if err := s.reset(nil); err != nil {
				return NotDownloaded, 0, false, s.abandon(err)
			}
			continue
		}
		t.discard()
		return NotDownloaded, 0, false, err
	}
	t.offset, t.resumed = s.size, s.resumed.Load()
	if err := t.file.Sync(); err != nil {
		return NotDownloaded, 0, false, s.abandon(t.writeError(err))
	}
	st, n, err := t.finish()
	if st != NotDownloaded {
		t.dropSidecar(s)
	}
	return st, n, false, err
}

// dropSidecar removes the saved slice progress.
func (t *transfer) dropSidecar(s *slicer) {
	s.side.close()
	s.side = nil
	t.root.Remove(sidecarName(t.rel))
}

// abandon saves the progress (so a later call resumes each slice where it
// stopped) and gives up through transfer.abandon, which keeps or removes
// the temporary file by its rules.
func (s *slicer) abandon(err error) error {
	s.mu.Lock()
	s.t.offset = s.plan.done
	s.mu.Unlock()
	if !isNoSpace(err) && s.t.offset > 0 {
		s.save()
	}
	return s.t.abandon(err)
}

// load takes over what an earlier call left (the slices its sidecar
// records on a temporary file of the whole size, or the prefix a single
// stream wrote), preallocates the temporary file, and saves the plan.
func (s *slicer) load() error {
	t := s.t
	fi, err := t.file.Stat()
	if err != nil {
		return localError("cannot inspect", t.tmpPath, err)
	}
	var done []extent
	switch n := fi.Size(); {
	case n == s.size:
		done = readSidecar(t.root, sidecarName(t.rel), s.size, t.f.MD5)
	case n > 0 && n < s.size:
		done = []extent{{0, n}}
	}
	return s.reset(done)
}

// reset plans the file with the extents done already on disk (none: from
// zero, emptying the temporary file), preallocates it and saves the plan.
func (s *slicer) reset(done []extent) error {
	t := s.t
	if len(done) == 0 {
		if err := t.file.Truncate(0); err != nil {
			return t.writeError(err)
		}
	}
	if err := preallocate(t.file, s.size); err != nil {
		return t.writeError(err)
	}
	s.plan = newPlan(s.size, done)
	s.resumed.Store(s.plan.done > 0)
	s.hash, s.hashErr = md5.New(), nil
	if s.side == nil {
		s.side = createSidecar(t.root, sidecarName(t.rel))
	}
	s.save()
	return nil
}

// save writes the extents on disk to the sidecar.
func (s *slicer) save() {
	s.mu.Lock()
	ext, done := s.plan.extents(), s.plan.done
	s.saved = done
	s.mu.Unlock()
	s.side.write(s.size, s.t.f.MD5, ext)
}

// verify checks the md5 the hasher read back from the disk, and the size.
func (s *slicer) verify() error {
	t := s.t
	if s.hashErr != nil {
		return fmt.Errorf("%w: %w: %s", errDiskRead, rootErr(s.hashErr), shortPath(t.tmpPath))
	}
	return t.checkTemp(s.hash.Sum(nil), s.size)
}

// fetch fills every span: the own worker first asks for the lowest piece
// alone (a probe: a server that ignores Range ends the slicing there),
// then a manager loop borrows idle connections for more workers while
// pieces are left and gives back those the budget reclaims. The hasher
// follows the contiguous prefix meanwhile.
func (s *slicer) fetch(parent context.Context) error {
	s.ctx, s.cancel = context.WithCancel(parent)
	defer s.cancel()
	s.mu.Lock()
	s.err, s.workers, s.borrowed, s.shed, s.rangeOK, s.claims, s.lone = nil, 1, 0, 0, false, 0, false
	s.mu.Unlock()
	// The own worker waiting for a piece (claim) wakes when it ends.
	stopWake := context.AfterFunc(s.ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stopWake()

	var hw, wg sync.WaitGroup
	hw.Go(s.hashLoop)
	wg.Go(func() { s.work(true) })
	tick := time.NewTicker(sliceTick)
	defer tick.Stop()
	lastSave := time.Now()
	ended := s.ctx.Done()
	for {
		select {
		case <-s.wake:
		case <-tick.C:
		case <-ended:
			ended = nil // closed for good: the workers' exits wake the loop now
		}
		s.mu.Lock()
		running, grow := s.workers, s.rangeOK && s.err == nil && s.plan.free() > 0 && s.workers < s.max
		s.mu.Unlock()
		if running == 0 {
			break
		}
		for grow && s.conns.Borrow() {
			s.mu.Lock()
			s.workers++
			s.borrowed++
			grow = s.plan.free() > 0 && s.workers < s.max
			s.mu.Unlock()
			wg.Go(func() { s.work(false) })
		}
		n, lone := s.conns.Reclaim(), s.conns.Busy()
		s.mu.Lock()
		s.shed = min(n, s.borrowed)
		s.lone = lone
		s.mu.Unlock()
		if time.Since(lastSave) >= sliceSaveTick {
			lastSave = time.Now()
			s.mu.Lock()
			changed := s.plan.done != s.saved
			s.mu.Unlock()
			if changed {
				s.save()
			}
		}
	}
	wg.Wait()
	s.mu.Lock()
	err := s.err
	if err != nil {
		s.cond.Broadcast()
	}
	s.mu.Unlock()
	hw.Wait()
	if err != nil {
		return err
	}
	if s.hashErr != nil {
		return nil // verify reports it
	}
	if !s.plan.complete() {
		// Cannot happen: the own worker returns only when every span is
		// done or the download failed.
		return fmt.Errorf("downloading %s: internal error: slices left unfetched", s.t.f.Name)
	}
	return nil
}

// poke wakes the manager loop.
func (s *slicer) poke() {
	select {
	case s.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// fail records the first failure and stops every worker.
func (s *slicer) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.cond.Broadcast()
	s.mu.Unlock()
	s.cancel()
}

// stopped is the error of a worker whose context ended: the download's
// cancellation, or a failure elsewhere (recorded already).
func (s *slicer) stopped() error {
	if s.parent.Err() != nil {
		return s.t.cancelled(s.parent)
	}
	return context.Canceled
}

// hashLoop feeds the md5 the contiguous prefix as it grows, reading it
// back from the temporary file (the page cache): the network never waits
// for the hash, nor the hash for anything but bytes to hash.
func (s *slicer) hashLoop() {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	var off, flushed int64
	for off < s.size {
		s.mu.Lock()
		for s.plan.prefix() <= off && s.err == nil {
			s.cond.Wait()
		}
		upto, failed := s.plan.prefix(), s.err != nil
		s.mu.Unlock()
		if failed {
			return
		}
		for off < upto {
			n, err := s.t.file.ReadAt(buf[:min(int64(len(buf)), upto-off)], off)
			s.hash.Write(buf[:n])
			off += int64(n)
			if err != nil && off < upto {
				s.hashErr = err
				s.fail(fmt.Errorf("%w: %w: %s", errDiskRead, rootErr(err), shortPath(s.t.tmpPath)))
				return
			}
			if s.ctx.Err() != nil {
				return
			}
		}
		flushed = writeBehindRange(s.t.file, flushed, off)
	}
}

// progress reports the bytes on disk at most once per interval; s.mu is
// held.
func (s *slicer) progress() {
	if s.t.prog.fn == nil {
		return
	}
	now := time.Now()
	if now.Sub(s.lastProg) < s.t.prog.every {
		return
	}
	s.lastProg = now
	s.t.prog.send(Progress{Done: s.plan.done, Total: s.size, Slices: s.workers})
}

// claim returns the next piece for a worker, nil when it should stop: the
// download failed, a borrowed worker is to give its connection back, or
// no piece is left (the own worker waits while pieces are in flight, so
// that one a borrowed worker gives back is never left behind).
func (s *slicer) claim(own bool) *span {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		switch {
		case s.err != nil || s.ctx.Err() != nil:
			return nil
		case !own && s.shed > 0:
			s.shed--
			return nil
		}
		if sp := s.plan.claim(s.pieceSize()); sp != nil {
			return sp
		}
		if !own || s.plan.complete() {
			return nil
		}
		s.cond.Wait()
	}
}

// pieceSize is a share of the bytes left unclaimed: half of them spread
// over the most workers, within minP and maxP, rounded up to 64 KiB. The
// first pieces of a fetch ramp up (1/max of that, 2/max, …): connections
// share the bandwidth evenly, so equal first pieces would all end at
// once and the md5 would wait for the lowest the whole time; ramped, they
// end one after another, the contiguous prefix grows from the start, and
// each connection keeps its place in that staggered order.
//
// A download that runs alone because the budget lends it nothing (other
// files wait: see Conns) takes the rest in pieces of up to loneSlice
// instead, so it costs few more requests than one stream would.
func (s *slicer) pieceSize() int64 {
	if s.lone && s.workers == 1 && s.claims > 0 {
		return min(max(s.plan.free(), s.minP), loneSlice)
	}
	p := s.plan.free() / int64(2*s.max)
	p = min(max(p, s.minP), s.maxP)
	if s.claims < s.max {
		p = max(p*int64(s.claims+1)/int64(s.max), 64<<10)
	}
	s.claims++
	return (p + 64<<10 - 1) &^ (64<<10 - 1)
}

// wrote records n bytes written at the end of sp's filled part and
// reports whether a borrowed worker should give its connection back now.
func (s *slicer) wrote(sp *span, n int, own bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan.advance(sp, int64(n))
	s.cond.Broadcast()
	s.progress()
	if !own && s.shed > 0 && sp.next < sp.end {
		s.shed--
		return true
	}
	return false
}

// release hands sp back unfinished (its filled part stays done).
func (s *slicer) release(sp *span) {
	s.mu.Lock()
	sp.busy = false
	s.cond.Broadcast()
	s.mu.Unlock()
}

// work fetches pieces until none is left, the download fails or, on a
// borrowed connection, the budget reclaims it.
func (s *slicer) work(own bool) {
	bp := copyBuffers.Get().(*[]byte)
	defer func() {
		copyBuffers.Put(bp)
		s.mu.Lock()
		s.workers--
		if !own {
			s.borrowed--
		}
		s.cond.Broadcast()
		s.mu.Unlock()
		if !own {
			s.conns.Return()
		}
		s.poke()
	}()
	for {
		sp := s.claim(own)
		if sp == nil {
			return
		}
		err := s.fetchSpan(sp, *bp, own)
		if err != nil {
			s.release(sp)
			if !errors.Is(err, errShed) {
				s.fail(err)
			}
			return
		}
		s.mu.Lock()
		sp.busy = false
		s.mu.Unlock()
	}
}

// writerAt is where the workers write: the temporary file, or what a test
// wraps around it.
func (s *slicer) writerAt() io.WriterAt {
	if s.t.d.wrapWriterAt != nil {
		return s.t.d.wrapWriterAt(s.t.file)
	}
	return s.t.file
}

// preallocate gives f its whole size at once, reserving the blocks where
// the file system can (a full disk fails here, not half way).
func preallocate(f *os.File, size int64) error {
	if err := reserve(f, size); err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < size {
		return f.Truncate(size)
	}
	return nil
}
