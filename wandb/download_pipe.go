package wandb

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// pipelineDepth is the number of copy buffers one download may hold: the
// receiving goroutine fills one while the sink writes and hashes the
// others, so the md5 and the disk overlap with the network. Memory per
// download is at most pipelineDepth × copyBufferSize (1 MiB), whatever the
// file's size.
const pipelineDepth = 4

// chunk is a filled copy buffer on its way to the sink.
type chunk struct {
	buf *[]byte
	n   int
}

// copyBody appends the body to the temporary file, hashing it on the way.
// The caller's goroutine receives; a second goroutine (the sink) writes,
// hashes (with a third) and reports progress. All stop on the first error.
func (t *transfer) copyBody(ctx, actx context.Context, stall *time.Timer, resp *http.Response) (attemptOutcome, time.Duration, error) {
	full := make(chan chunk, pipelineDepth)   // never blocks: only pipelineDepth buffers exist
	free := make(chan *[]byte, pipelineDepth) // likewise
	sinkDone := make(chan error, 1)
	var sinkFailed atomic.Bool
	go func() { sinkDone <- t.sink(full, free, &sinkFailed) }()

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
			stall.Reset(t.d.stallTimeout)
			full <- chunk{bp, n}
		} else {
			free <- bp
		}
		if rerr != nil {
			break
		}
	}
	close(full)
	werr := <-sinkDone // after this, the sink's writes to t are visible
	for range allocated {
		copyBuffers.Put(<-free)
	}

	switch {
	case werr != nil:
		return attemptFatal, 0, werr
	case rerr == io.EOF:
	case ctx.Err() != nil:
		return attemptFatal, 0, t.cancelled(ctx)
	default:
		if context.Cause(actx) == errStalled {
			rerr = errStalled
		}
		return attemptRetry, 0, fmt.Errorf("downloading %s from %s: connection lost after %d bytes: %w", t.f.Name, resp.Request.URL.Host, t.offset, rerr)
	}
	if resp.ContentLength < 0 && t.f.SizeKnown() && t.offset < t.f.SizeBytes {
		// A body without a length that ends early looks like a clean EOF.
		return attemptRetry, 0, fmt.Errorf("downloading %s from %s: the body ended after %d of %d bytes", t.f.Name, resp.Request.URL.Host, t.offset, t.f.SizeBytes)
	}
	return attemptDone, 0, nil
}

// sink writes and hashes the chunks in order and hands the buffers back.
// Each chunk is hashed on a helper goroutine while it is written, since
// the md5 costs about as much CPU as everything else on a fast link. After
// a write error the sink only recycles buffers until full is closed.
func (t *transfer) sink(full <-chan chunk, free chan<- *[]byte, failed *atomic.Bool) error {
	toHash, hashed := make(chan []byte), make(chan struct{})
	go func() {
		for p := range toHash {
			t.hash.Write(p)
			hashed <- struct{}{}
		}
	}()
	defer close(toHash)
	var err error
	for c := range full {
		if err == nil {
			p := (*c.buf)[:c.n]
			toHash <- p
			_, werr := t.w.Write(p)
			<-hashed
			if werr != nil {
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
