package wandb

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// maxDownloadRedirects bounds a redirect chain, as net/http's default does.
const maxDownloadRedirects = 10

// prepareDownload sets the headers of a download request: the User-Agent,
// and the API key only when withKey (the file's url, not its directUrl) and
// the request goes to the API origin.
func (c *Client) prepareDownload(req *http.Request, withKey bool) {
	if withKey {
		c.authorize(req)
		return
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Del("Authorization")
}

// downloadHTTP returns an HTTP client for downloads on the shared transport.
// net/http keeps the Authorization header on a redirect to the same host
// name on another port (it ignores ports), so every hop is re-authorised by
// scheme, host and port: a redirect from the API host to a storage host, on
// whatever port, never carries the key.
func (c *Client) downloadHTTP(withKey bool) *http.Client {
	return &http.Client{
		Transport: c.transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxDownloadRedirects {
				return errors.New("stopped after " + strconv.Itoa(maxDownloadRedirects) + " redirects")
			}
			c.prepareDownload(req, withKey)
			return nil
		},
	}
}

// downloadBackoff returns the wait before retry number failures: exponential
// from MinWait with full jitter in its upper half, capped at MaxWait; a
// Retry-After from the server wins, capped at MaxWait too.
func downloadBackoff(p RetryPolicy, failures int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxWait)
	}
	wait := p.MinWait
	for i := 1; i < failures && wait < p.MaxWait; i++ {
		wait *= 2
	}
	wait = min(wait, p.MaxWait)
	if wait <= 1 {
		return wait
	}
	half := wait / 2
	return half + rand.N(wait-half)
}

// downloadRetryAfter reads a Retry-After header (seconds or an HTTP date);
// 0 when absent or unusable.
func downloadRetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// downloadSleep waits d or until ctx ends.
func downloadSleep(ctx context.Context, d time.Duration) error {
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

// isNoSpace reports a full disk or an exhausted quota.
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// progressTicker rate-limits progress calls for one file: a time check per
// buffer read is all it costs when nothing is due.
type progressTicker struct {
	fn    func(Progress)
	name  string
	every time.Duration
	last  time.Time
}

// tick reports done of total when one interval has passed. A total that
// done has passed was only the server's guess: the call says unknown (-1)
// rather than "9 B / 5 B".
func (p *progressTicker) tick(done, total int64) {
	if p.fn == nil {
		return
	}
	if total >= 0 && done > total {
		total = -1
	}
	now := time.Now()
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	p.fn(Progress{Name: p.name, Done: done, Total: total})
}

// final reports the finished file, whatever the rate limit says.
func (p *progressTicker) final(size int64) {
	if p.fn != nil {
		p.fn(Progress{Name: p.name, Done: size, Total: size})
	}
}
