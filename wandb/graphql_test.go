package wandb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

var testRef = RunRef{Entity: "ent", Project: "proj", RunID: "run1"}

// newFaultEnv is newAPIEnv with one small run and the policy p.
func newFaultEnv(t *testing.T, p RetryPolicy) (*wandbtest.Server, *Client) {
	t.Helper()
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 10))
	return srv, newTestClient(t, srv.URL(), apiTestKey, p)
}

func TestUnauthorized(t *testing.T) {
	const wrongKey = "wrong-key-3b9f1c7e2d5a8f0e6c4b"
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 1))
	c := newTestClient(t, srv.URL(), wrongKey, apiRetry)
	for name, call := range map[string]func() error{
		"Run":    func() error { _, err := c.Run(context.Background(), testRef); return err },
		"Files":  func() error { _, err := c.Files(context.Background(), testRef, FilesQuery{}); return err },
		"Viewer": func() error { _, err := c.Viewer(context.Background()); return err },
	} {
		before := srv.Stats().GraphQLRequests
		err := call()
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("%s: err = %v, want ErrUnauthorized", name, err)
		}
		msg := err.Error()
		host := strings.TrimPrefix(srv.URL(), "http://")
		if !strings.Contains(msg, "the API key was rejected by "+host) {
			t.Errorf("%s: message %q does not name the host %s", name, msg, host)
		}
		if strings.Contains(msg, wrongKey) || strings.Contains(msg, apiTestKey) {
			t.Errorf("%s: message %q holds a key", name, msg)
		}
		if n := srv.Stats().GraphQLRequests - before; n != 1 {
			t.Errorf("%s: %d requests, want 1 (401 is not retried)", name, n)
		}
	}
	if srv.Stats().AuthRejected != 3 {
		t.Errorf("server rejected %d requests, want 3", srv.Stats().AuthRejected)
	}
}

// TestStatusNotRetried checks that 4xx and 501 fail at once.
func TestStatusNotRetried(t *testing.T) {
	srv, c := newFaultEnv(t, apiRetry)
	for _, status := range []int{400, 403, 404, 409, 422, 501} {
		srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1, ServerErrorStatus: status})
		before := srv.Stats().GraphQLRequests
		_, err := c.Files(context.Background(), testRef, FilesQuery{})
		if n := srv.Stats().GraphQLRequests - before; n != 1 {
			t.Errorf("HTTP %d: %d requests, want 1", status, n)
		}
		var re *RetryError
		if errors.As(err, &re) {
			t.Errorf("HTTP %d: %v: a status that is not retried must not say it gave up", status, err)
		}
		switch status {
		case 400, 422:
			// A refused query is reported with the server's messages.
			var ge *GraphQLError
			if !errors.As(err, &ge) || ge.StatusCode != status || !strings.Contains(err.Error(), "injected server error") {
				t.Errorf("HTTP %d: err = %v, want a *GraphQLError with the message", status, err)
			}
		default:
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != status {
				t.Errorf("HTTP %d: err = %v, want an *HTTPError", status, err)
			}
		}
		if status == 403 && (!errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "permission denied")) {
			t.Errorf("HTTP 403: err = %v, want a permission error", err)
		}
	}
}

// TestServerErrorRetried checks that 5xx but 501 are retried and succeed.
func TestServerErrorRetried(t *testing.T) {
	srv, c := newFaultEnv(t, apiRetry)
	for _, status := range []int{500, 502, 503, 504} {
		// Every second request fails: the first call succeeds, the
		// second fails once and then succeeds.
		srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 2, ServerErrorStatus: status})
		before := srv.Stats().GraphQLRequests
		if _, err := c.Run(context.Background(), testRef); err != nil {
			t.Fatalf("HTTP %d: first call: %v", status, err)
		}
		page, err := c.Files(context.Background(), testRef, FilesQuery{})
		if err != nil || len(page.Files) != 10 {
			t.Fatalf("HTTP %d: %d files, err %v", status, len(page.Files), err)
		}
		if n := srv.Stats().GraphQLRequests - before; n != 3 {
			t.Errorf("HTTP %d: %d requests, want 3", status, n)
		}
	}
}

func TestRateLimitRetryAfter(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Second, MaxElapsed: 20 * time.Second}
	srv, c := newFaultEnv(t, p)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{RateLimitEvery: 2, RetryAfter: time.Second})
	if _, err := c.Run(context.Background(), testRef); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	page, err := c.Files(context.Background(), testRef, FilesQuery{})
	waited := time.Since(start)
	if err != nil || len(page.Files) != 10 {
		t.Fatalf("%d files, err %v", len(page.Files), err)
	}
	if s := srv.Stats(); s.GraphQLRequests != 3 {
		t.Errorf("%d requests, want 3 (one 429 retried)", s.GraphQLRequests)
	}
	// The backoff alone would be 1 ms: the wait comes from Retry-After.
	if waited < time.Second {
		t.Errorf("retried after %v; Retry-After asked for 1s", waited)
	}
}

func TestMaxAttempts(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}
	srv, c := newFaultEnv(t, p)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	_, err := c.Files(context.Background(), testRef, FilesQuery{})
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 3 || re.OutOfTime {
		t.Fatalf("err = %v, want a *RetryError after 3 tries", err)
	}
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Errorf("err = %v: the last cause must be the 503", err)
	}
	for _, want := range []string{"3 tries", "503", "injected server error"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	if n := srv.Stats().GraphQLRequests; n != 3 {
		t.Errorf("%d requests, want 3", n)
	}

	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{RateLimitEvery: 1})
	_, err = c.Run(context.Background(), testRef)
	if !errors.As(err, &he) || he.StatusCode != 429 || !errors.As(err, &re) || re.Attempts != 3 {
		t.Errorf("always 429: err = %v, want a *RetryError with a 429", err)
	}
}

func TestMaxElapsed(t *testing.T) {
	// Try 1 at 0, wait 300 ms (within 500), try 2 at 300 ms: another
	// 300 ms would pass 500, so it stops there.
	p := RetryPolicy{MaxAttempts: 10, MinWait: 300 * time.Millisecond, MaxWait: 300 * time.Millisecond, MaxElapsed: 500 * time.Millisecond}
	srv, c := newFaultEnv(t, p)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	_, err := c.Run(context.Background(), testRef)
	var re *RetryError
	if !errors.As(err, &re) || !re.OutOfTime || re.Attempts != 2 {
		t.Fatalf("err = %v, want a *RetryError out of time after 2 tries", err)
	}
	if !strings.Contains(err.Error(), "time limit") {
		t.Errorf("message %q does not say the time limit stopped it", err)
	}
	if n := srv.Stats().GraphQLRequests; n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestTimeoutRetried(t *testing.T) {
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 1))
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: apiTestKey, Timeout: 100 * time.Millisecond,
		Retry: RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{Latency: 2 * time.Second})
	_, err = c.Run(context.Background(), testRef)
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 2 {
		t.Fatalf("err = %v, want a *RetryError after 2 tries", err)
	}
	if !strings.Contains(err.Error(), "Timeout") && !strings.Contains(err.Error(), "deadline") {
		t.Errorf("message %q does not say it timed out", err)
	}
	if n := srv.Stats().GraphQLRequests; n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 5, MinWait: 30 * time.Second, MaxWait: 30 * time.Second}
	srv, c := newFaultEnv(t, p)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for srv.Stats().GraphQLRequests == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	_, err := c.Files(ctx, testRef, FilesQuery{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("returned after %v, inside a 30 s backoff", d)
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	// A context cancelled before the call sends nothing.
	if _, err := c.Run(ctx, testRef); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("%d requests after a call with a cancelled context, want 1", n)
	}
}

func TestGraphQLErrors(t *testing.T) {
	srv, c := newFaultEnv(t, apiRetry)
	ctx := context.Background()
	// A query the server refuses: every message is surfaced, not retried.
	var out struct{}
	err := c.graphql(ctx, "Bad", `query Bad { project(name: "p", entityName: "e") { nope alsoNope } }`, nil, &out)
	var ge *GraphQLError
	if !errors.As(err, &ge) || ge.Partial || len(ge.Messages) != 2 {
		t.Fatalf("err = %v, want a *GraphQLError with 2 messages", err)
	}
	for _, f := range []string{"nope", "alsoNope"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("message %q does not name the field %s", err, f)
		}
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// An error while running the query comes with the data computed so
	// far: both reach the caller.
	var data filesData
	err = c.graphql(ctx, opRunFiles, queryRunFiles, filesVars(testRef, FilesQuery{First: MaxPageSize + 1}), &data)
	if !errors.As(err, &ge) || !ge.Partial || ge.StatusCode != 200 || !strings.Contains(err.Error(), "1000") {
		t.Fatalf("err = %v, want a partial *GraphQLError about first", err)
	}
	if data.Project == nil || data.Project.Run == nil {
		t.Errorf("the partial data was dropped: %+v", data)
	}
}

// TestUserAgent checks the header that reaches the server.
func TestUserAgent(t *testing.T) {
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 1))
	px := newProxy(t, srv.URL())
	c, err := NewClient(Config{BaseURL: px.URL(), APIKey: apiTestKey, Retry: apiRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background(), testRef); err != nil {
		t.Fatal(err)
	}
	if ua := px.lastUA(); ua != "wbfiles/"+Version {
		t.Errorf("User-Agent %q, want wbfiles/%s", ua, Version)
	}
	c2, _ := NewClient(Config{BaseURL: px.URL(), APIKey: apiTestKey, Retry: apiRetry, UserAgent: "custom/1.2"})
	if _, err := c2.Run(context.Background(), testRef); err != nil {
		t.Fatal(err)
	}
	if ua := px.lastUA(); ua != "custom/1.2" {
		t.Errorf("User-Agent %q, want custom/1.2", ua)
	}
}

// TestConnectionCutRetried cuts connections before the answer and in the
// middle of the answer's body; both are retried.
func TestConnectionCutRetried(t *testing.T) {
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 200))
	for _, mode := range []string{"before", "mid-body"} {
		px := newProxy(t, srv.URL())
		px.cut(mode, 2)
		c := newTestClient(t, px.URL(), apiTestKey, apiRetry)
		page, err := c.Files(context.Background(), testRef, FilesQuery{First: 200})
		if err != nil || len(page.Files) != 200 {
			t.Fatalf("%s: %d files, err %v", mode, len(page.Files), err)
		}
		if n := px.requests.Load(); n != 3 {
			t.Errorf("%s: %d requests reached the proxy, want 3 (2 cut, 1 answered)", mode, n)
		}
	}
	// Cut every time: the error says so after MaxAttempts tries.
	px := newProxy(t, srv.URL())
	px.cut("mid-body", 100)
	c := newTestClient(t, px.URL(), apiTestKey, apiRetry)
	_, err := c.Files(context.Background(), testRef, FilesQuery{First: 200})
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != apiRetry.MaxAttempts {
		t.Fatalf("err = %v, want a *RetryError after %d tries", err, apiRetry.MaxAttempts)
	}
	if strings.Contains(err.Error(), apiTestKey) {
		t.Errorf("message %q holds the key", err)
	}
}

func TestNotJSONAnswer(t *testing.T) {
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 1))
	px := newProxy(t, srv.URL())
	px.cut("html", 1)
	c := newTestClient(t, px.URL(), apiTestKey, apiRetry)
	_, err := c.Run(context.Background(), testRef)
	if err == nil || !strings.Contains(err.Error(), "not the expected GraphQL JSON") || !strings.Contains(err.Error(), "corporate proxy") {
		t.Errorf("err = %v, want one that shows the start of the HTML", err)
	}
	if n := px.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRedirectDropsKey checks that a redirect to another origin does not
// carry the key.
func TestRedirectDropsKey(t *testing.T) {
	var sawAuth atomic.Bool
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			sawAuth.Store(true)
		}
		http.Error(w, "nothing here", http.StatusNotFound)
	}))
	defer other.Close()
	srv, _ := newAPIEnv(t, manyFiles("ent", "proj", "run1", 1))
	px := newProxy(t, srv.URL())
	// The same host on another port is another origin.
	px.cut("redirect:"+other.URL+"/graphql", 1)
	c := newTestClient(t, px.URL(), apiTestKey, apiRetry)
	_, err := c.Run(context.Background(), testRef)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 {
		t.Errorf("err = %v, want the 404 of the redirect target", err)
	}
	if hits.Load() != 1 || sawAuth.Load() {
		t.Errorf("redirect target hit %d times, saw the key: %v", hits.Load(), sawAuth.Load())
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newTestClient(t, "http://"+addr, apiTestKey, apiRetry)
	_, err = c.Run(context.Background(), testRef)
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != apiRetry.MaxAttempts || !strings.Contains(err.Error(), addr) {
		t.Errorf("err = %v, want a *RetryError after %d tries naming %s", err, apiRetry.MaxAttempts, addr)
	}
}

func TestBackoff(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, MinWait: 100 * time.Millisecond, MaxWait: 2 * time.Second}
	for attempt := 0; attempt < 8; attempt++ {
		hi := p.MinWait << attempt
		if hi > p.MaxWait {
			hi = p.MaxWait
		}
		lo := max(hi/2, p.MinWait)
		for range 50 {
			if d := p.wait(attempt+1, 0); d < lo || d > hi {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, d, lo, hi)
			}
		}
	}
	now := time.Now()
	resp := func(v string) *http.Response {
		return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}}
	}
	if d := p.wait(1, retryAfter(resp("1"), now)); d != time.Second {
		t.Errorf("Retry-After 1: wait %v", d)
	}
	if d := p.wait(1, retryAfter(resp("3600"), now)); d != p.MaxWait {
		t.Errorf("Retry-After 3600: wait %v, want the cap %v", d, p.MaxWait)
	}
	if d := p.wait(1, retryAfter(resp(now.Add(time.Hour).UTC().Format(http.TimeFormat)), now)); d != p.MaxWait {
		t.Errorf("Retry-After in an hour: wait %v, want the cap %v", d, p.MaxWait)
	}
	if d, ok := parseRetryAfter(now.Add(90*time.Second).UTC().Format(http.TimeFormat), now); !ok || d < 89*time.Second || d > 90*time.Second {
		t.Errorf("Retry-After HTTP date in 90 s: %v %v", d, ok)
	}
	for _, bad := range []string{"", "soon", "-5"} {
		if _, ok := parseRetryAfter(bad, now); ok {
			t.Errorf("parseRetryAfter(%q) accepted", bad)
		}
	}
}

// proxy is a reverse proxy in front of a server that records the
// User-Agent it sees and can cut connections.
type proxy struct {
	srv      *httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	ua       string
	mode     string
	cuts     int
}

func newProxy(t *testing.T, target string) *proxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	px := &proxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	px.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		px.requests.Add(1)
		px.mu.Lock()
		px.ua = r.Header.Get("User-Agent")
		mode := ""
		if px.cuts > 0 {
			px.cuts--
			mode = px.mode
		}
		px.mu.Unlock()
		switch {
		case strings.HasPrefix(mode, "redirect:"):
			http.Redirect(w, r, strings.TrimPrefix(mode, "redirect:"), http.StatusTemporaryRedirect)
		case mode == "html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Please log in to the corporate proxy</body></html>")
		case mode == "before":
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case mode == "mid-body":
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r)
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			body := rec.Body.Bytes()
			writeHalf(buf, rec.Code, len(body), body[:len(body)/2])
			conn.Close()
		default:
			rp.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(px.srv.Close)
	return px
}

// writeHalf writes a response head announcing n bytes and only part of them.
func writeHalf(w *bufio.ReadWriter, code, n int, part []byte) {
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", code, http.StatusText(code), n)
	w.Write(part)
	w.Flush()
}

func (px *proxy) URL() string { return px.srv.URL }

func (px *proxy) lastUA() string {
	px.mu.Lock()
	defer px.mu.Unlock()
	return px.ua
}

// cut makes the next n requests misbehave in mode: "before" closes the
// connection without an answer, "mid-body" sends half the body and
// closes, "html" answers an HTML page with 200, "redirect:URL" answers a
// 307 to URL.
func (px *proxy) cut(mode string, n int) {
	px.mu.Lock()
	defer px.mu.Unlock()
	px.mode, px.cuts = mode, n
}
