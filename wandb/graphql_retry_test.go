package wandb

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// retryLog collects the retry events of one request.
type retryLog struct {
	mu     sync.Mutex
	events []RetryEvent
}

func (l *retryLog) add(e RetryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

// observed returns a context that reports retries to a new log.
func observed() (context.Context, *retryLog) {
	l := &retryLog{}
	return WithRetryObserver(context.Background(), l.add), l
}

// checkEvents checks that the log holds one event per retry of a request
// that failed every try with cause.
func checkEvents(t *testing.T, l *retryLog, p RetryPolicy, tries int, cause string) {
	t.Helper()
	if len(l.events) != tries-1 {
		t.Fatalf("%d retry events %+v, want %d (one per retry)", len(l.events), l.events, tries-1)
	}
	for i, e := range l.events {
		if e.Attempt != i+1 || e.Max != p.MaxAttempts || e.Cause != cause || e.Wait < p.MinWait || e.Wait > p.MaxWait {
			t.Errorf("event %d = %+v; want attempt %d of %d, cause %q, a wait within the policy", i, e, i+1, p.MaxAttempts, cause)
		}
	}
}

// TestRetryObserverServerDown: with nothing listening, every retry is
// reported as "connection refused", and the final error says so first.
func TestRetryObserverServerDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, "http://"+addr, apiTestKey, apiRetry)
	ctx, log := observed()
	_, err = c.Files(ctx, testRef, FilesQuery{})
	checkEvents(t, log, apiRetry, apiRetry.MaxAttempts, "connection refused")
	if err == nil || !strings.HasPrefix(err.Error(), "connection refused") || !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q; want it to start with its cause and name %s", err, addr)
	}
}

// TestRetryObserver503 reports the status of each failed try; a request
// that succeeds after retries reports only those.
func TestRetryObserver503(t *testing.T) {
	srv, c := newFaultEnv(t, apiRetry)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	ctx, log := observed()
	_, err := c.Run(ctx, testRef)
	checkEvents(t, log, apiRetry, apiRetry.MaxAttempts, "HTTP 503")
	if err == nil || !strings.HasPrefix(err.Error(), "HTTP 503") {
		t.Errorf("error %q; want it to start with its cause", err)
	}

	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 2, ServerErrorStatus: 502})
	c.Run(context.Background(), testRef) // request 1 succeeds; the next fails once
	ctx, log = observed()
	if _, err := c.Run(ctx, testRef); err != nil {
		t.Fatal(err)
	}
	checkEvents(t, log, apiRetry, 2, "HTTP 502")
}

// TestRetryObserverCutBody names a connection cut in the middle of the
// answer.
func TestRetryObserverCutBody(t *testing.T) {
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 200))
	px := newProxy(t, srv.URL())
	px.cut("mid-body", 1)
	c := newTestClient(t, px.URL(), apiTestKey, apiRetry)
	ctx, log := observed()
	if _, err := c.Files(ctx, testRef, FilesQuery{First: 200}); err != nil {
		t.Fatal(err)
	}
	checkEvents(t, log, apiRetry, 2, "connection cut")
}

// TestRetryCauseSafe: a cause taken from an unknown error's text is short,
// on one line, and holds neither the key nor a control character.
func TestRetryCauseSafe(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", apiTestKey, apiRetry)
	err := fmt.Errorf("outer: %w", fmt.Errorf("proxy said \x1b[31mno\n to %s and api:%s %s", apiTestKey, apiTestKey, strings.Repeat("x", 200)))
	cause := c.retryCause(nil, err)
	if strings.Contains(cause, apiTestKey) || strings.ContainsFunc(cause, unicode.IsControl) || len([]rune(cause)) > 61 || cause == "" {
		t.Errorf("cause %q: want a short single line without the key", cause)
	}
	if got := c.retryCause(nil, context.DeadlineExceeded); got != "timeout" {
		t.Errorf("deadline: cause %q, want timeout", got)
	}
}

// TestRetryObserverPerRequest: a request made without the observer's
// context is not reported to it.
func TestRetryObserverPerRequest(t *testing.T) {
	srv, c := newFaultEnv(t, RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	_, log := observed()
	c.Run(context.Background(), testRef)
	if len(log.events) != 0 {
		t.Errorf("a request without the observer was reported: %+v", log.events)
	}
}
