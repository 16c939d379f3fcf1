package wandb

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// fetchSpan fills sp from sp.next, retrying transient failures by the
// client's RetryPolicy: each retry continues from where the last try of
// this span stopped, and the budget starts afresh whenever a try got
// progressForRetries further into the span than any before it.
func (s *slicer) fetchSpan(sp *span, buf []byte, own bool) error {
	p := s.t.d.c.retry
	return retryBody(p, func() int64 { return sp.next },
		func() (attemptOutcome, time.Duration, error) { return s.attempt(sp, buf, own) },
		func(try int, lastErr error, wait time.Duration) error {
			s.mu.Lock()
			pr := Progress{Done: s.plan.done, Total: s.size, Retry: try, RetryOf: p.MaxAttempts, Reason: s.t.d.c.shortReason(lastErr), Slices: s.workers}
			s.mu.Unlock()
			s.t.prog.send(pr)
			if err := sleepCtx(s.ctx, wait); err != nil {
				return s.stopped()
			}
			s.resumed.Store(true)
			return nil
		})
}

// attempt makes one request for the bytes of sp from sp.next to its end
// and writes the body in place. The first answer of a download must show
// the server serves ranges of this file at the listed size, else the
// download falls back to one stream (errFallback).
func (s *slicer) attempt(sp *span, buf []byte, own bool) (attemptOutcome, time.Duration, error) {
	t := s.t
	stall := watchStall(s.ctx, t.d.stallTimeout, func() { t.prog.stalled(errStalled.Error()) })
	defer stall.stop()
	req, err := http.NewRequestWithContext(stall.ctx, http.MethodGet, t.src.String(), nil)
	if err != nil {
		return attemptFatal, 0, fmt.Errorf("cannot download %s: %w", t.f.Name, err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("Range", "bytes="+strconv.FormatInt(sp.next, 10)+"-"+strconv.FormatInt(sp.end-1, 10))
	t.d.c.prepareDownload(req, t.withKey)
	resp, err := t.d.c.downloadHTTP(t.withKey).Do(req)
	if err != nil {
		if s.ctx.Err() != nil {
			return attemptFatal, 0, s.stopped()
		}
		err = stall.explain(err)
		if !retryableError(err) {
			return attemptFatal, 0, t.netError(err)
		}
		return attemptRetry, 0, t.netError(err)
	}
	defer resp.Body.Close()
	host := resp.Request.URL.Host

	switch code := resp.StatusCode; {
	case code == http.StatusPartialContent:
		first, last, size := parseContentRangeFull(resp.Header.Get("Content-Range"))
		if size != s.size {
			return attemptFatal, 0, errFallback
		}
		if first != sp.next || last != sp.end-1 {
			return attemptRetry, 0, fmt.Errorf("downloading %s from %s: asked for bytes %d-%d, got %d-%d", t.f.Name, host, sp.next, sp.end-1, first, last)
		}
	case code == http.StatusOK, code == http.StatusRequestedRangeNotSatisfiable:
		return attemptFatal, 0, errFallback
	case retryableStatus(code):
		io.CopyN(io.Discard, resp.Body, 4<<10) // lets the connection be reused
		return attemptRetry, retryAfter(resp, time.Now()), t.d.c.statusError("downloading", t.f.Name, resp)
	default:
		return attemptFatal, 0, t.d.c.statusError("downloading", t.f.Name, resp)
	}
	if own {
		s.mu.Lock()
		first := !s.rangeOK
		s.rangeOK = true
		s.mu.Unlock()
		if first {
			s.poke() // the manager may borrow connections now
		}
	}

	body, w := stall.reader(resp.Body), s.writerAt()
	for sp.next < sp.end {
		n, rerr := io.ReadFull(body, buf[:min(int64(len(buf)), sp.end-sp.next)])
		if n > 0 {
			if _, werr := w.WriteAt(buf[:n], sp.next); werr != nil {
				return attemptFatal, 0, t.writeError(werr)
			}
			if s.wrote(sp, n, own) {
				return attemptFatal, 0, errShed
			}
		}
		if rerr != nil {
			if s.ctx.Err() != nil {
				return attemptFatal, 0, s.stopped()
			}
			rerr = stall.explain(rerr)
			if errors.Is(rerr, io.EOF) {
				rerr = io.ErrUnexpectedEOF // the body ended before the range did
			}
			return attemptRetry, 0, fmt.Errorf("downloading %s from %s: connection lost %d bytes into a slice of %d: %w", t.f.Name, host, sp.next-sp.start, sp.end-sp.start, rerr)
		}
	}
	return attemptDone, 0, nil
}

// parseContentRangeFull reads "bytes first-last/size"; each part is -1
// when missing or unusable (size "*" too).
func parseContentRangeFull(v string) (first, last, size int64) {
	first, last, size = -1, -1, -1
	spec, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !ok {
		return
	}
	rng, total, ok := strings.Cut(spec, "/")
	if !ok {
		return
	}
	if n, err := strconv.ParseInt(total, 10, 64); err == nil && n >= 0 {
		size = n
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return
	}
	x, err1 := strconv.ParseInt(a, 10, 64)
	y, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || x < 0 || y < x {
		return -1, -1, size
	}
	return x, y, size
}
