package wandb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the W&B API host used when WANDB_BASE_URL is not set.
const DefaultBaseURL = "https://api.wandb.ai"

// Version is the program version sent in the User-Agent.
var Version = "0.1.0-dev"

// RetryPolicy bounds the retries of one request: 429, 5xx but 501,
// connection errors and timeouts are retried with exponential backoff and
// jitter, honouring Retry-After, until MaxAttempts or MaxElapsed. A policy
// with MaxAttempts 0 means DefaultRetryPolicy; MaxElapsed 0 means no bound
// on the total time.
type RetryPolicy struct {
	MaxAttempts int           // total tries, including the first
	MinWait     time.Duration // first backoff
	MaxWait     time.Duration // cap of one backoff (and of a Retry-After)
	MaxElapsed  time.Duration // cap of all tries of one request together
}

// DefaultRetryPolicy follows W&B's Go client (2–60 s waits) with a bounded
// total so an interactive program gives an answer within minutes.
var DefaultRetryPolicy = RetryPolicy{
	MaxAttempts: 10,
	MinWait:     2 * time.Second,
	MaxWait:     60 * time.Second,
	MaxElapsed:  3 * time.Minute,
}

// Config configures a Client. ConfigFromEnv fills it as the W&B SDK does.
type Config struct {
	BaseURL   string // e.g. https://api.wandb.ai; a trailing slash is tolerated
	APIKey    string
	Entity    string // default entity (WANDB_ENTITY), may be empty
	UserAgent string // empty: "wbfiles/<Version>"
	Retry     RetryPolicy
	// Transport is the HTTP transport; nil means a fresh clone of
	// http.DefaultTransport. Tests may pass their own.
	Transport http.RoundTripper
	// Timeout bounds one HTTP request to the GraphQL endpoint (not a
	// download body). Zero means 60 s.
	Timeout time.Duration
}

// Client talks to one W&B API host with one API key. It is safe for
// concurrent use.
type Client struct {
	base      *url.URL // scheme://host[:port][/prefix], no trailing slash
	apiKey    string
	entity    string
	userAgent string
	retry     RetryPolicy
	timeout   time.Duration
	// transport is shared by GraphQL calls and downloads.
	transport http.RoundTripper
	// hc sends GraphQL requests: transport, timeout, redirect policy.
	hc     *http.Client
	gqlURL string
}

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" {
		return nil, ErrNoAPIKey
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "wbfiles/" + Version
	}
	cfg.Retry = cfg.Retry.normalized()
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Parallel downloads reuse connections to the storage host instead of
		// paying a new TLS handshake per file (the default keeps only 2 idle).
		t.MaxIdleConnsPerHost = 32
		cfg.Transport = t
	}
	c := &Client{
		base:      base,
		apiKey:    cfg.APIKey,
		entity:    cfg.Entity,
		userAgent: cfg.UserAgent,
		retry:     cfg.Retry,
		timeout:   cfg.Timeout,
		transport: cfg.Transport,
	}
	c.gqlURL = c.base.String() + "/graphql"
	c.hc = &http.Client{
		Transport:     c.transport,
		Timeout:       c.timeout,
		CheckRedirect: c.checkRedirect,
	}
	return c, nil
}

// parseBaseURL checks an API base URL and drops trailing slashes. Its errors
// never echo a URL that carries user info, which may hold the key.
func parseBaseURL(s string) (*url.URL, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	// Echo the URL only when no part of it can hold a secret: user info,
	// a query or a fragment.
	shown := fmt.Sprintf("%q", s)
	if strings.ContainsAny(s, "@?#") {
		shown = "(not shown: it has user info, a query or a fragment)"
	}
	base, err := url.Parse(s)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("invalid W&B base URL %s: want http(s)://host[:port]", shown)
	}
	if base.User != nil {
		return nil, errors.New("the W&B base URL must not contain credentials; set WANDB_API_KEY instead")
	}
	if base.RawQuery != "" || base.Fragment != "" || base.Opaque != "" {
		return nil, fmt.Errorf("invalid W&B base URL %s: want http(s)://host[:port] without a query or fragment", shown)
	}
	return base, nil
}

// normalized fills a policy's unset fields: a zero MaxAttempts means the
// whole DefaultRetryPolicy; MaxWait below MinWait is raised to it. A zero
// MaxElapsed means no bound on the total time.
func (p RetryPolicy) normalized() RetryPolicy {
	if p.MaxAttempts <= 0 {
		return DefaultRetryPolicy
	}
	if p.MinWait < 0 {
		p.MinWait = 0
	}
	if p.MaxWait < p.MinWait {
		p.MaxWait = p.MinWait
	}
	return p
}

// checkRedirect re-applies authorize to each redirect, so a redirect away
// from the API origin never carries the key (net/http would keep it for a
// subdomain).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkHop(req, via); err != nil {
		return err
	}
	c.authorize(req)
	return nil
}

// ErrNoAPIKey is returned when no API key was found.
var ErrNoAPIKey = errors.New("no W&B API key: set WANDB_API_KEY or run `wandb login` (which writes ~/.netrc)")

// BaseURL returns the API base URL the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// Host returns the API host[:port].
func (c *Client) Host() string { return c.base.Host }

// DefaultEntity returns the configured default entity (may be empty).
func (c *Client) DefaultEntity() string { return c.entity }

// sameOrigin reports whether u has the API base URL's scheme, host and port.
// Only such requests may carry the API key.
func (c *Client) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.base.Scheme) &&
		strings.EqualFold(u.Hostname(), c.base.Hostname()) &&
		effectivePort(u) == effectivePort(c.base)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// authorize adds the User-Agent and, when req goes to the API origin, the
// basic auth header (user "api", password the key).
func (c *Client) authorize(req *http.Request) {
	req.Header.Set("User-Agent", c.userAgent)
	if c.sameOrigin(req.URL) {
		req.SetBasicAuth("api", c.apiKey)
	} else {
		req.Header.Del("Authorization")
	}
}
