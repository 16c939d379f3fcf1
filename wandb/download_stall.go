package wandb

import (
	"context"
	"errors"
	"io"
	"time"
)

// defaultStallTimeout ends a download try or a preview whose answer sends
// no byte for this long, so a dead connection cannot hang either for ever.
const defaultStallTimeout = 60 * time.Second

// errStalled is the cause of a request ended by its stallWatch.
var errStalled = errors.New("no data received for too long")

// stallWatch is the stall rule downloads and previews share: its context
// ends with the cause errStalled when kick has not been called for the
// timeout. It covers the wait for the headers too.
type stallWatch struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer
	timeout time.Duration
}

// watchStall starts a watch under parent; onStall, when set, runs once the
// request is ended for a stall (on the timer's goroutine).
func watchStall(parent context.Context, timeout time.Duration, onStall func()) *stallWatch {
	ctx, cancel := context.WithCancelCause(parent)
	w := &stallWatch{ctx: ctx, cancel: cancel, timeout: timeout}
	w.timer = time.AfterFunc(timeout, func() {
		cancel(errStalled)
		if onStall != nil {
			onStall()
		}
	})
	return w
}

// kick pushes the stall back: bytes came.
func (w *stallWatch) kick() { w.timer.Reset(w.timeout) }

// stop ends the watch and the request's context.
func (w *stallWatch) stop() {
	w.timer.Stop()
	w.cancel(nil)
}

// explain returns errStalled when the watch ended the request, else err.
func (w *stallWatch) explain(err error) error {
	if context.Cause(w.ctx) == errStalled {
		return errStalled
	}
	return err
}

// reader returns r with every read that brings bytes kicking the watch.
func (w *stallWatch) reader(r io.Reader) io.Reader {
	return readerFunc(func(p []byte) (int, error) {
		n, err := r.Read(p)
		if n > 0 {
			w.kick()
		}
		return n, err
	})
}

// readerFunc is an io.Reader made of a function.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
