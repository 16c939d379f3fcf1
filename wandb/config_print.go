package wandb

import (
	"fmt"
	"log/slog"
	"strings"
)

// configFields is Config without its methods, so that the printing
// methods below can use fmt's own formatting without calling themselves.
type configFields Config

// masked returns c with the key replaced by a mark (left empty when there
// is no key, so that a missing key still shows).
func (c Config) masked() configFields {
	if c.APIKey != "" {
		c.APIKey = redactedMark
	}
	return configFields(c)
}

// String prints the configuration with the API key masked; fmt uses it for
// %v, %+v and %s, so a Config in a log line or an error never shows the key.
func (c Config) String() string {
	return fmt.Sprintf("%+v", c.masked())
}

// GoString is %#v: Go syntax with the API key masked.
func (c Config) GoString() string {
	s := fmt.Sprintf("%#v", c.masked())
	return strings.Replace(s, "wandb.configFields{", "wandb.Config{", 1)
}

// LogValue makes log/slog print the configuration with the API key masked.
func (c Config) LogValue() slog.Value {
	m := c.masked()
	return slog.GroupValue(
		slog.String("base_url", m.BaseURL),
		slog.String("api_key", m.APIKey),
		slog.String("entity", m.Entity),
		slog.String("user_agent", m.UserAgent),
		slog.String("retry", fmt.Sprintf("%+v", m.Retry)),
		slog.Duration("timeout", m.Timeout),
	)
}

// String describes the client by its API host and default entity; the
// key it holds never shows (fmt would print unexported fields too).
func (c Client) String() string {
	host := ""
	if c.base != nil {
		host = c.base.String()
	}
	return fmt.Sprintf("wandb.Client{BaseURL: %q, Entity: %q}", host, c.entity)
}

// GoString is %#v: the same as String.
func (c Client) GoString() string { return c.String() }

// LogValue makes log/slog print the client's host and entity, not its key.
func (c Client) LogValue() slog.Value {
	host := ""
	if c.base != nil {
		host = c.base.String()
	}
	return slog.GroupValue(slog.String("base_url", host), slog.String("entity", c.entity))
}
