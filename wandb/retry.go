package wandb

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file is the one home of the retry rules that GraphQL calls
// (graphql.go, through go-retryablehttp's CheckRetry and Backoff hooks)
// and downloads (download_transfer.go) share: which failures are worth
// another try, and how long to wait before it.

// maxRedirects bounds a redirect chain, as net/http's default does.
const maxRedirects = 10

// Redirect errors: a chain that does not end and a hop to a URL that is
// not http(s) (file:, ftp:, …). Neither heals by itself.
var (
	errTooManyRedirects = errors.New("stopped after " + strconv.Itoa(maxRedirects) + " redirects (a redirect loop?)")
	errRedirectScheme   = errors.New("redirected to a URL that is not http(s)")
)

// checkHop vets one redirect hop for every client of the package.
func checkHop(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	if s := strings.ToLower(req.URL.Scheme); s != "http" && s != "https" {
		return errRedirectScheme
	}
	return nil
}

// retryableStatus reports whether an HTTP status is worth another try:
// 429 and 5xx except 501 Not Implemented.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code != http.StatusNotImplemented)
}

// retryableError reports whether a failed request (no answer, or a body
// cut short) is worth another try: connection errors, timeouts and cuts
// are; a redirect loop, a redirect to a non-http(s) URL, an unusable URL,
// a certificate that does not verify, TLS spoken to a plain-HTTP port and
// cancellation are not.
func retryableError(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, errTooManyRedirects) || errors.Is(err, errRedirectScheme) {
		return false
	}
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var tlsVerify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	if errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) ||
		errors.As(err, &tlsVerify) || errors.As(err, &record) {
		return false
	}
	// net/http's own words (untyped errors) for a URL it cannot send to
	// and for a plain-HTTP server on an https URL.
	msg := err.Error()
	return !strings.Contains(msg, "unsupported protocol scheme") &&
		!strings.Contains(msg, "server gave HTTP response to HTTPS client")
}

// wait returns the wait before the retry that follows failure number
// failures (1 for the first): exponential from MinWait, with jitter in the
// upper half, never below MinWait nor above MaxWait. A Retry-After from
// the server (retryAfter > 0) lengthens it, capped at MaxWait too.
func (p RetryPolicy) wait(failures int, retryAfter time.Duration) time.Duration {
	d := p.MinWait
	for i := 1; i < failures && d < p.MaxWait; i++ {
		d *= 2
	}
	if d > p.MaxWait || d <= 0 {
		d = p.MaxWait
	}
	if d > 1 {
		d = d/2 + rand.N(d/2+1)
	}
	d = max(d, p.MinWait, retryAfter)
	return min(d, p.MaxWait)
}

// retryAfter reads the Retry-After header of an answer (delay seconds or
// an HTTP date); 0 when absent or unusable.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	if resp == nil {
		return 0
	}
	d, _ := parseRetryAfter(resp.Header.Get("Retry-After"), now)
	return d
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		secs = min(secs, int64(24*time.Hour/time.Second))
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
