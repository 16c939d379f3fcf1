package wandb

import (
	"errors"
	"net/http"
	"sync"
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
// buffer read is all it costs when nothing is due. Calls come from the
// sink, the fetch loop and the stall timer; mu makes them one after
// another.
type progressTicker struct {
	fn    func(Progress)
	name  string
	every time.Duration
	last  time.Time // the sink's last call

	mu          sync.Mutex
	done, total int64 // of the last call
}

// tick reports done of total when one interval has passed.
func (p *progressTicker) tick(done, total int64) {
	if p.fn == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	p.send(Progress{Done: done, Total: total})
}

// send makes one call, naming the file. A total that done has passed was
// only the server's guess: the call says unknown (-1) rather than
// "9 B / 5 B".
func (p *progressTicker) send(pr Progress) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	pr.Name = p.name
	if pr.Total >= 0 && pr.Done > pr.Total {
		pr.Total = -1
	}
	p.done, p.total = pr.Done, pr.Total
	p.fn(pr)
}

// stalled reports a stalled try at the last reported position.
func (p *progressTicker) stalled(reason string) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	pr := Progress{Done: p.done, Total: p.total, Stalled: true, Reason: reason}
	p.mu.Unlock()
	p.send(pr)
}

// final reports the finished file, whatever the rate limit says.
func (p *progressTicker) final(size int64) {
	p.send(Progress{Done: size, Total: size})
}
