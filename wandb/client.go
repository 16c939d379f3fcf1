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
// jitter, honouring Retry-After, until MaxAttempts or MaxElapsed.
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
}

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("invalid W&B base URL %q: want http(s)://host[:port]", cfg.BaseURL)
	}
	if base.User != nil {
		// Never echo the URL here: its user info may hold the key.
		return nil, errors.New("the W&B base URL must not contain credentials; set WANDB_API_KEY instead")
	}
	if cfg.APIKey == "" {
		return nil, ErrNoAPIKey
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "wbfiles/" + Version
	}
	if cfg.Retry.MaxAttempts == 0 {
		cfg.Retry = DefaultRetryPolicy
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &Client{
		base:      base,
		apiKey:    cfg.APIKey,
		entity:    cfg.Entity,
		userAgent: cfg.UserAgent,
		retry:     cfg.Retry,
		timeout:   cfg.Timeout,
		transport: cfg.Transport,
	}, nil
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
