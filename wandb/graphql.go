package wandb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxResponse bounds a GraphQL answer held in memory. A page of 1,000 files
// is about 1.5 MB; anything near this limit is a broken server.
const maxResponse = 64 << 20

// errTooLarge is returned for an answer over maxResponse.
var errTooLarge = fmt.Errorf("the GraphQL answer is larger than %d MiB", maxResponse>>20)

// gqlRequest is the body of a GraphQL POST.
type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
}

// graphql sends one operation and decodes the answer's `data` into out (a
// pointer). Errors:
//   - context cancellation: the context's error, wrapped;
//   - an HTTP error not retried: *HTTPError (ErrUnauthorized, ErrForbidden);
//   - retries exhausted: a *RetryError wrapping the last cause, itself
//     wrapped behind that cause in a few words ("connection refused: …");
//   - GraphQL `errors`: *GraphQLError. When the answer also had data, out
//     is filled and the error has Partial set, so a caller can use both.
func (c *Client) graphql(ctx context.Context, op, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(gqlRequest{Query: query, Variables: vars, OperationName: op})
	if err != nil {
		return fmt.Errorf("encoding the %s request: %w", op, err)
	}
	status, raw, err := c.post(ctx, body)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		// A refused query (400, 422) with GraphQL errors is reported as
		// what it is; other statuses as HTTP errors.
		if status == http.StatusBadRequest || status == http.StatusUnprocessableEntity {
			if msgs := c.gqlMessages(raw); len(msgs) > 0 {
				return &GraphQLError{Messages: msgs, StatusCode: status}
			}
		}
		return &HTTPError{Host: c.Host(), StatusCode: status, Body: c.bodyExcerpt(raw)}
	}
	// Decoding into a non-nil pointer held by an interface fills *out in
	// the same pass that reads `errors`.
	var resp struct {
		Data   any            `json:"data"`
		Errors []gqlErrorJSON `json:"errors"`
	}
	resp.Data = out
	if err := json.Unmarshal(raw, &resp); err != nil {
		// A proxy or a login page answers HTML with 200: show its start.
		return fmt.Errorf("the %s answer of %s is not the expected GraphQL JSON (%v): %s", op, c.Host(), err, c.bodyExcerpt(raw))
	}
	if len(resp.Errors) > 0 {
		ge := &GraphQLError{Messages: make([]string, len(resp.Errors)), StatusCode: status}
		for i, e := range resp.Errors {
			ge.Messages[i] = c.cleanMessage(e.Message)
		}
		// The pointer survives only when data was present and not null.
		ge.Partial = resp.Data != nil && hasData(raw)
		return ge
	}
	return nil
}

// gqlMessages returns the messages of a GraphQL error document, or nil.
func (c *Client) gqlMessages(raw []byte) []string {
	var doc struct {
		Errors []gqlErrorJSON `json:"errors"`
	}
	if json.Unmarshal(raw, &doc) != nil {
		return nil
	}
	var msgs []string
	for _, e := range doc.Errors {
		msgs = append(msgs, c.cleanMessage(e.Message))
	}
	return msgs
}

// cleanMessage makes a server's error message safe to show.
func (c *Client) cleanMessage(m string) string {
	return c.safeExcerpt(m, 500)
}

// hasData reports whether a GraphQL answer has a non-null "data" member.
// It is called only on the error path, so the second parse does not matter.
func hasData(raw []byte) bool {
	var probe struct {
		Data json.RawMessage `json:"data"`
	}
	return json.Unmarshal(raw, &probe) == nil && len(probe.Data) > 0 && string(probe.Data) != "null"
}

// post sends body to the GraphQL endpoint with retries and returns the
// final status and body.
func (c *Client) post(ctx context.Context, body []byte) (int, []byte, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, c.gqlURL, body)
	if err != nil {
		return 0, nil, fmt.Errorf("building the request to %s: %v", c.Host(), err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	c.authorize(req.Request)

	a := &attempts{c: c, start: time.Now()}
	// The body is read inside the retry loop, so a connection cut or a
	// timeout while reading it is retried like one before the headers.
	req.SetResponseHandler(a.readBody)
	rc := &retryablehttp.Client{
		HTTPClient:     c.hc,
		Logger:         nil, // never log: URLs, headers and bodies stay private
		RetryWaitMin:   c.retry.MinWait,
		RetryWaitMax:   c.retry.MaxWait,
		RetryMax:       c.retry.MaxAttempts - 1,
		RequestLogHook: a.starting,
		CheckRetry:     a.checkRetry,
		Backoff:        a.backoff,
		ErrorHandler:   a.giveUp,
	}
	resp, err := rc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return 0, nil, fmt.Errorf("request to %s: %w", c.Host(), ctxErr)
		}
		return 0, nil, err
	}
	return resp.StatusCode, a.body, nil
}

// attempts is the retry state of one request. retryablehttp calls its
// methods from the goroutine running Do, one at a time.
type attempts struct {
	c     *Client
	start time.Time
	tries int           // tries started
	wait  time.Duration // wait before the next try, picked by checkRetry
	body  []byte        // body of the last answer the handler read
	// lastErr and lastRetryable describe the last try as checkRetry saw it.
	lastErr       error
	lastRetryable bool
	// outOfTime is set when the next wait would pass MaxElapsed.
	outOfTime bool
}

// errOutOfTime stops the retries when the next wait would pass MaxElapsed.
var errOutOfTime = errors.New("retry time limit reached")

// starting counts tries (retryablehttp calls it before each one).
func (a *attempts) starting(_ retryablehttp.Logger, _ *http.Request, i int) {
	a.tries = i + 1
	a.body = nil
}

// readBody reads a whole answer (retryablehttp calls it when the status is
// not retried); its error makes the try count as failed.
func (a *attempts) readBody(resp *http.Response) error {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return err
	}
	if len(b) > maxResponse {
		return errTooLarge
	}
	a.body = b
	return nil
}

// checkRetry decides whether to try again and, if so, picks the wait now,
// so that it can refuse a wait that would pass MaxElapsed.
func (a *attempts) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	a.lastErr = err
	a.lastRetryable = retryable(resp, err)
	if !a.lastRetryable {
		return false, err
	}
	a.wait = a.c.retry.wait(a.tries, retryAfter(resp, time.Now()))
	if p := a.c.retry; p.MaxElapsed > 0 && time.Since(a.start)+a.wait > p.MaxElapsed {
		a.outOfTime = true
		return false, errOutOfTime
	}
	if a.tries < a.c.retry.MaxAttempts { // else retryablehttp stops here
		observeRetry(ctx, RetryEvent{Attempt: a.tries, Max: a.c.retry.MaxAttempts, Cause: a.c.retryCause(resp, err), Wait: a.wait})
	}
	return true, nil
}

// backoff returns the wait picked by checkRetry.
func (a *attempts) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return a.wait
}

// giveUp turns the last failure into a *RetryError wrapping its cause,
// behind the cause in a few words (retryCause), or into the plain cause
// when that was not retryable at all.
func (a *attempts) giveUp(resp *http.Response, err error, tries int) (*http.Response, error) {
	var last error
	if resp != nil && a.lastErr == nil {
		// The last try got a status worth retrying (429, 5xx).
		body := a.body
		if body == nil {
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		}
		resp.Body.Close()
		last = &HTTPError{Host: a.c.Host(), StatusCode: resp.StatusCode, Body: a.c.bodyExcerpt(body)}
	} else {
		if resp != nil {
			resp.Body.Close()
		}
		cause := a.lastErr
		if cause == nil {
			cause = err
		}
		last = a.c.describe(cause)
	}
	if !a.outOfTime && !a.lastRetryable {
		return nil, last
	}
	// The cause comes first, so that a message cut to fit a line keeps it.
	re := &RetryError{Attempts: tries, Elapsed: time.Since(a.start), Last: last, OutOfTime: a.outOfTime}
	return nil, fmt.Errorf("%s: %w", a.c.retryCause(resp, a.lastErr), re)
}

// describe returns a transport error with the host in front. net/http
// errors name the URL, which never holds credentials (NewClient refuses
// them), so they are kept.
func (c *Client) describe(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("request to %s failed: %w", c.Host(), err)
}

// retryable reports whether a try should be repeated (see retry.go):
// never for an answer too large or past the time limit.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, errTooLarge) && !errors.Is(err, errOutOfTime) && retryableError(err)
	}
	return resp != nil && retryableStatus(resp.StatusCode)
}
