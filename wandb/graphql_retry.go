package wandb

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// RetryEvent is one failed try of a GraphQL request that is about to be
// tried again.
type RetryEvent struct {
	// Attempt is the try that failed (1 for the first); Max is how many
	// tries the retry policy allows in all.
	Attempt, Max int
	// Cause says why the try failed in a few words ("connection
	// refused", "HTTP 503", "timeout"), safe to show: it never holds the
	// API key or a control character.
	Cause string
	// Wait is the pause before the next try.
	Wait time.Duration
}

// retryObserverKey is the context key of WithRetryObserver.
type retryObserverKey struct{}

// WithRetryObserver returns a context under which every GraphQL request
// made with it reports each retry to f before waiting for it, so that a
// caller can show what happens while the server is down instead of a
// spinner. f is called on the goroutine of the request and must return
// quickly. Requests made with other contexts are not reported.
func WithRetryObserver(ctx context.Context, f func(RetryEvent)) context.Context {
	return context.WithValue(ctx, retryObserverKey{}, f)
}

// observeRetry reports e to the observer of ctx, if any.
func observeRetry(ctx context.Context, e RetryEvent) {
	if f, ok := ctx.Value(retryObserverKey{}).(func(RetryEvent)); ok && f != nil {
		f(e)
	}
}

// maxCause bounds a cause taken from an error's own text.
const maxCause = 60

// retryCause names why a try failed in a few words: the status of an
// answer, a well-known network failure, or else the innermost error's
// text, cut short and made safe to show. It is the cause of RetryEvent
// and the start of the error given after the last try.
func (c *Client) retryCause(resp *http.Response, err error) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case err == nil && resp != nil:
		return "HTTP " + strconv.Itoa(resp.StatusCode)
	case err == nil:
		return "no answer"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection cut"
	case errors.As(err, &dnsErr):
		return "host not found"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, errTooLarge):
		return "answer too large"
	}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(err) {
		err = u
	}
	return c.safeExcerpt(err.Error(), maxCause)
}
