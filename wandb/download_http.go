package wandb

import (
	"errors"
	"net/http"
	"syscall"
	"time"
)

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
			if err := checkHop(req, via); err != nil {
				return err
			}
			c.prepareDownload(req, withKey)
			return nil
		},
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
