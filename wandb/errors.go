package wandb

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"
)

// Sentinel errors. Match them with errors.Is; the errors the client returns
// wrap them with the details (host, run).
var (
	// ErrUnauthorized means the server rejected the API key (HTTP 401).
	ErrUnauthorized = errors.New("the API key was rejected")
	// ErrForbidden means the key is valid but may not do this (HTTP 403).
	ErrForbidden = errors.New("permission denied")
	// ErrRunNotFound means the project or the run does not exist (or is
	// not visible with this key): W&B answers null with HTTP 200.
	ErrRunNotFound = errors.New("run not found")
)

// HTTPError is a non-2xx answer of the API host that was not retried, or
// the last one when retries ran out. It unwraps to ErrUnauthorized for 401
// and to ErrForbidden for 403.
type HTTPError struct {
	Host       string // API host[:port]
	StatusCode int
	// Body is a short, single-line excerpt of the response: the GraphQL
	// error messages when the body has them, else the start of the text.
	Body string
}

// Error implements error.
func (e *HTTPError) Error() string {
	var b strings.Builder
	switch e.StatusCode {
	case http.StatusUnauthorized:
		fmt.Fprintf(&b, "the API key was rejected by %s (HTTP 401); check WANDB_API_KEY or run `wandb login`", e.Host)
	case http.StatusForbidden:
		fmt.Fprintf(&b, "permission denied by %s (HTTP 403): the API key's user may not access this", e.Host)
	default:
		fmt.Fprintf(&b, "%s answered HTTP %d", e.Host, e.StatusCode)
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.Body != "" && e.StatusCode != http.StatusUnauthorized {
		b.WriteString(": " + e.Body)
	}
	return b.String()
}

// Unwrap returns the sentinel of the status, if any.
func (e *HTTPError) Unwrap() error {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	}
	return nil
}

// GraphQLError carries the `errors` of a GraphQL answer. When the answer
// also held data (Partial), the method that returned it has filled its
// result as far as the data went and returns that result together with
// this error: check with errors.As and use the result when Partial is true.
type GraphQLError struct {
	Messages []string
	// Partial reports that the answer also carried non-null data, which
	// was decoded into the result.
	Partial bool
	// StatusCode is the HTTP status of the answer: 200 for errors met
	// while running the query, 400 or 422 for a query the server refused.
	StatusCode int
}

// Error implements error.
func (e *GraphQLError) Error() string {
	prefix := "W&B API error"
	if e.Partial {
		prefix = "W&B API error (partial data)"
	}
	if len(e.Messages) == 0 {
		return prefix + ": no message"
	}
	return prefix + ": " + strings.Join(e.Messages, "; ")
}

// RetryError is returned when a request failed on every try: after
// MaxAttempts tries, or because the next wait would pass MaxElapsed. Last
// is the cause of the last failure (often an *HTTPError); it is unwrapped.
type RetryError struct {
	Attempts int
	Elapsed  time.Duration
	Last     error
	// OutOfTime reports that the tries stopped because the next wait
	// would have exceeded RetryPolicy.MaxElapsed.
	OutOfTime bool
}

// Error implements error.
func (e *RetryError) Error() string {
	tries := "tries"
	if e.Attempts == 1 {
		tries = "try"
	}
	why := ""
	if e.OutOfTime {
		why = " (retry time limit reached)"
	}
	return fmt.Sprintf("gave up after %d %s in %s%s; last error: %v",
		e.Attempts, tries, e.Elapsed.Round(time.Millisecond), why, e.Last)
}

// Unwrap returns the last cause.
func (e *RetryError) Unwrap() error { return e.Last }

// maxExcerpt bounds the body excerpt kept in an HTTPError.
const maxExcerpt = 200

// bodyExcerpt returns a short, printable, single-line summary of an error
// body: the GraphQL messages when it is a GraphQL error document, else the
// start of the text. The key is masked should a proxy echo it back.
func (c *Client) bodyExcerpt(body []byte) string {
	var doc struct {
		Errors []gqlErrorJSON `json:"errors"`
		Error  string         `json:"error"`
	}
	s := ""
	if json.Unmarshal(body, &doc) == nil && (len(doc.Errors) > 0 || doc.Error != "") {
		msgs := make([]string, 0, len(doc.Errors)+1)
		for _, e := range doc.Errors {
			msgs = append(msgs, e.Message)
		}
		if doc.Error != "" {
			msgs = append(msgs, doc.Error)
		}
		s = strings.Join(msgs, "; ")
	} else {
		s = string(body)
	}
	return c.safeExcerpt(s, maxExcerpt)
}

// safeExcerpt is oneLine(s, max) with the key masked. Masking comes first,
// since a cut through the key would leave a prefix that no longer matches;
// then again, since oneLine drops control characters that may have split
// the key; and a prefix of the key (or of its basic-auth form) that the
// cut left at the end is masked too.
func (c *Client) safeExcerpt(s string, max int) string {
	out := c.redact(oneLine(c.redact(s), max))
	if c.apiKey == "" {
		return out
	}
	body, cut := strings.CutSuffix(out, "…")
	if !cut {
		return out
	}
	for _, secret := range c.secrets() {
		for l := min(len(secret)-1, len(body)); l >= minMaskedPrefix; l-- {
			if strings.HasSuffix(body, secret[:l]) {
				return body[:len(body)-l] + redactedMark + "…"
			}
		}
	}
	return out
}

// minMaskedPrefix is the shortest prefix of the key masked at a cut; a
// shorter one tells next to nothing and is too likely ordinary text.
const minMaskedPrefix = 4

// redactedMark replaces the key in messages.
const redactedMark = "[redacted]"

// secrets returns the forms of the key a server might echo: the key and
// the basic-auth credentials made from it.
func (c *Client) secrets() [2]string {
	return [2]string{c.apiKey, base64.StdEncoding.EncodeToString([]byte("api:" + c.apiKey))}
}

// redact masks the API key and its basic-auth form in s.
func (c *Client) redact(s string) string {
	if c.apiKey == "" {
		return s
	}
	for _, secret := range c.secrets() {
		s = strings.ReplaceAll(s, secret, redactedMark)
	}
	return s
}

// oneLine collapses white space, drops control characters and invalid
// UTF-8 and cuts s to at most max cells, so a body cannot mangle a
// terminal.
func oneLine(s string, max int) string { return termtext.Fit(termtext.Line(termtext.Drop(s)), max) }

// gqlErrorJSON is one entry of a GraphQL `errors` list.
type gqlErrorJSON struct {
	Message string `json:"message"`
}
