package wandb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// pipelineDepth is the number of copy buffers one download may hold: the
// receiving goroutine fills one while the hasher and the sink work on the
// others, so the md5 and the disk overlap with the network. Memory per
// download is at most pipelineDepth × copyBufferSize (1 MiB), whatever the
// file's size.
const pipelineDepth = 4

// chunk is a filled copy buffer on its way to the hasher and the sink.
type chunk struct {
	buf *[]byte
	n   int
}

// copyBody appends the body to the temporary file, hashing it on the way.
// Three goroutines form a chain with a queue between each two: the
// caller's receives, a second hashes, a third (the sink) writes and
// reports progress and hands the buffer back. The md5 is the slowest stage
// on a fast link (one core hashes about as fast as a loopback body
// arrives), so it must never wait for a write or for a handoff while a
// chunk is queued: each stage runs at its own pace. All stop on the first
// error.
func (t *transfer) copyBody(ctx context.Context, stall *stallWatch, resp *http.Response) (attemptOutcome, time.Duration, error) {
	// No send blocks: only pipelineDepth buffers exist.
	toHash := make(chan chunk, pipelineDepth)
	toWrite := make(chan chunk, pipelineDepth)
	free := make(chan *[]byte, pipelineDepth)
	sinkDone := make(chan error, 1)
	var sinkFailed atomic.Bool
	go func() {
		for c := range toHash {
			t.hash.Write((*c.buf)[:c.n])
			toWrite <- c
		}
		close(toWrite)
	}()
	go func() { sinkDone <- t.sink(toWrite, free, &sinkFailed, resp.Request.URL.Host) }()

	allocated := 0
	var rerr error
	for !sinkFailed.Load() {
		var bp *[]byte
		select {
		case bp = <-free:
		default:
			if allocated < pipelineDepth {
				bp = copyBuffers.Get().(*[]byte)
				allocated++
			} else {
				bp = <-free
			}
		}
		var n int
		n, rerr = resp.Body.Read(*bp)
		if n > 0 {
			stall.kick()
			toHash <- chunk{bp, n}
		} else {
			free <- bp
		}
		if rerr != nil {
			break
		}
	}
	close(toHash)
	werr := <-sinkDone // after this, the hasher's and the sink's writes to t are visible
	for range allocated {
		copyBuffers.Put(<-free)
	}

	switch {
	case werr != nil:
		return attemptFatal, 0, werr
	case rerr == io.EOF:
	case ctx.Err() != nil:
		return attemptFatal, 0, t.cancelled(ctx)
	case errors.Is(werr, errTooLong):
		return attemptFatal, 0, werr
	default:
		rerr = stall.explain(rerr)
		if errors.Is(rerr, io.ErrUnexpectedEOF) && t.announced > t.offset {
			return attemptRetry, 0, fmt.Errorf("downloading %s from %s: connection lost after %d of the %d bytes announced: %w", t.f.Name, resp.Request.URL.Host, t.offset, t.announced, rerr)
		}
		return attemptRetry, 0, fmt.Errorf("downloading %s from %s: connection lost after %d bytes: %w", t.f.Name, resp.Request.URL.Host, t.offset, rerr)
	}
	if resp.ContentLength < 0 && t.f.SizeKnown() && t.offset < t.f.SizeBytes {
		// A body without a length that ends early looks like a clean EOF.
		return attemptRetry, 0, fmt.Errorf("downloading %s from %s: the body ended after %d of %d bytes", t.f.Name, resp.Request.URL.Host, t.offset, t.f.SizeBytes)
	}
	return attemptDone, 0, nil
}

// sink writes the hashed chunks in order and hands the buffers back; a
// chunk that would take the file past sizeLimit is an error. After
// a write error it only recycles buffers until hashed is closed; t.hash is
// then ahead of t.offset, which does not matter since a write error ends
// the download (a later one hashes the kept bytes afresh).
func (t *transfer) sink(hashed <-chan chunk, free chan<- *[]byte, failed *atomic.Bool, host string) error {
	var err error
	limit := t.sizeLimit()
	for c := range hashed {
		if err == nil && limit >= 0 && t.offset+int64(c.n) > limit {
			err = t.tooLong(host)
			failed.Store(true)
		}
		if err == nil {
			if _, werr := t.w.Write((*c.buf)[:c.n]); werr != nil {
				err = t.writeError(werr)
				failed.Store(true)
			} else {
				t.offset += int64(c.n)
				t.writeBehind()
				t.prog.tick(t.offset, t.total)
			}
		}
		free <- c.buf
	}
	return err
}
