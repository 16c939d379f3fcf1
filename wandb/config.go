package wandb

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jdx/go-netrc"
)

// Environment variables read by ConfigFromEnv, as the W&B SDK names them.
const (
	EnvAPIKey  = "WANDB_API_KEY"
	EnvBaseURL = "WANDB_BASE_URL"
	EnvEntity  = "WANDB_ENTITY"
	EnvNetrc   = "NETRC"
)

// ConfigFromEnv returns the configuration the W&B SDK would use: the base
// URL from WANDB_BASE_URL (default DefaultBaseURL), the key from
// WANDB_API_KEY or else the netrc entry of the API host, the default entity
// from WANDB_ENTITY. See LoadConfig.
func ConfigFromEnv() (Config, error) {
	home, _ := os.UserHomeDir()
	return LoadConfig(os.Getenv, home)
}

// LoadConfig is ConfigFromEnv with the environment and the home folder
// given (tests): LoadConfigWith without options.
func LoadConfig(getenv func(string) string, home string) (Config, error) {
	return LoadConfigWith(getenv, home, LoadOptions{})
}

// LoadOptions are what a command line adds to the environment that
// LoadConfigWith reads.
type LoadOptions struct {
	// BaseURL, when set, replaces WANDB_BASE_URL; BaseURLFrom names it in
	// errors (for example "--base-url").
	BaseURL, BaseURLFrom string
	// RunBase is the API base URL of the server a run URL names (see
	// APIBaseOf); "" when the run was named without a host.
	RunBase string
}

// LoadConfigWith returns the configuration: the base URL from o.BaseURL,
// else WANDB_BASE_URL, else DefaultBaseURL; the default entity from
// WANDB_ENTITY; the key from WANDB_API_KEY, else from the netrc file
// ($NETRC, else home/.netrc, else home/_netrc) entry "machine host:port"
// of the API host, then "machine host", then "default" (its password).
//
// A run URL (o.RunBase) on another server than a configured base URL is
// an error naming both. With no base URL configured, the run URL's server
// becomes the API host, and its key comes only from its own netrc entry
// (host:port or host): WANDB_API_KEY and the netrc default entry are the
// key of the configured host and are never sent to a host named only by a
// URL.
//
// Without a key the error is a *NoAPIKeyError (errors.Is ErrNoAPIKey). A
// netrc file that cannot be read or parsed is an error naming the file; no
// error ever holds the key.
func LoadConfigWith(getenv func(string) string, home string, o LoadOptions) (Config, error) {
	cfg := Config{
		APIKey: strings.TrimSpace(getenv(EnvAPIKey)),
		Entity: strings.TrimSpace(getenv(EnvEntity)),
	}
	base, urlHost, err := apiBase(getenv, o)
	if err != nil {
		return Config{}, err
	}
	cfg.BaseURL = base.String()
	if cfg.APIKey != "" && !urlHost {
		return cfg, nil
	}
	noKey := &NoAPIKeyError{Host: base.Host, Base: cfg.BaseURL, FromURL: urlHost, EnvKeySet: cfg.APIKey != ""}
	cfg.APIKey, err = netrcKeyFor(getenv, home, base, noKey)
	return cfg, err
}

// apiBase returns the API base URL and whether it is a run URL's host
// that no configured base URL names.
func apiBase(getenv func(string) string, o LoadOptions) (*url.URL, bool, error) {
	base, from, err := configuredBase(getenv, o)
	if err != nil || o.RunBase == "" {
		return base, false, err
	}
	run, err := parseBaseURL(o.RunBase)
	if err != nil {
		return nil, false, fmt.Errorf("the run URL: %w", err)
	}
	switch {
	case sameServer(run, base):
		return base, false, nil
	case from != "":
		return nil, false, mismatchError(run, base, from)
	}
	return run, true, nil
}

// netrcKeyFor returns the netrc password of base's host: the entry
// "machine host:port", then "machine host", then "default" unless the host
// came from a run URL (noKey.FromURL). Without one the error is noKey,
// completed with the netrc file it looked at.
func netrcKeyFor(getenv func(string) string, home string, base *url.URL, noKey *NoAPIKeyError) (string, error) {
	names := []string{base.Host, base.Hostname()}
	if !noKey.FromURL {
		names = append(names, "default")
	}
	noKey.Netrc, noKey.NetrcFound = netrcPath(getenv, home)
	if !noKey.NetrcFound {
		return "", noKey
	}
	key, err := netrcKey(noKey.Netrc, names)
	if err == nil && key == "" {
		err = noKey
	}
	return key, err
}

// configuredBase returns the base URL the user set and where it came from
// ("--base-url", WANDB_BASE_URL; "" for the default). Its errors are
// labelled by that source.
func configuredBase(getenv func(string) string, o LoadOptions) (*url.URL, string, error) {
	raw, from := strings.TrimSpace(o.BaseURL), o.BaseURLFrom
	if raw != "" && from == "" {
		from = "the base URL"
	}
	if raw == "" {
		raw, from = strings.TrimSpace(getenv(EnvBaseURL)), EnvBaseURL
	}
	if raw == "" {
		base, err := parseBaseURL(DefaultBaseURL)
		return base, "", err
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", from, err)
	}
	return base, from, nil
}

// mismatchError refuses a run URL on another server than the configured
// base URL, which came from from.
func mismatchError(run, base *url.URL, from string) error {
	fix := "leave out " + from
	if from == EnvBaseURL {
		fix = "unset " + EnvBaseURL
	}
	return fmt.Errorf("the run URL is on %s, but %s names %s: %s to use the URL's host, or give the run as entity/project/run_id", run.Host, from, base.Host, fix)
}

// sameServer reports whether a and b name one server: the same host name
// and port (scheme defaults included).
func sameServer(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && effectivePort(a) == effectivePort(b)
}

// ExpandHome replaces a leading "~" or "~/" of path with home (when home
// is known), as a shell would have: for paths from variables and from
// --flag=~/x, which shells leave as typed.
func ExpandHome(path, home string) string {
	if home == "" || (path != "~" && !strings.HasPrefix(path, "~/")) {
		return path
	}
	return filepath.Join(home, path[1:])
}

// netrcPath returns the netrc file to read and whether it exists; the path
// is the one looked for when it does not ("" without $NETRC and a home).
func netrcPath(getenv func(string) string, home string) (string, bool) {
	if p := getenv(EnvNetrc); p != "" {
		p = ExpandHome(p, home)
		_, err := os.Stat(p)
		return p, !errors.Is(err, fs.ErrNotExist)
	}
	if home == "" {
		return "", false
	}
	for _, name := range []string{".netrc", "_netrc"} {
		p := filepath.Join(home, name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return filepath.Join(home, ".netrc"), false
}

// netrcKey returns the password of the first netrc entry among names, or ""
// when none has one.
func netrcKey(path string, names []string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading the netrc file %s: %w", path, err)
	}
	text, err := normalizeNetrc(string(b))
	if err != nil {
		return "", fmt.Errorf("malformed netrc file %s: %v", path, err)
	}
	n, err := netrc.ParseString(text)
	if err != nil {
		return "", fmt.Errorf("malformed netrc file %s", path)
	}
	for _, name := range names {
		if m := n.Machine(name); m != nil {
			if pw := m.Get("password"); pw != "" {
				return pw, nil
			}
		}
	}
	return "", nil
}

// normalizeNetrc checks the structure go-netrc assumes (it panics on a
// trailing "machine" and misreads a keyword without a value, or a comment
// between an entry's lines) and rewrites the file as one entry per line,
// without comments and macros: "machine NAME" or "default", then
// keyword-value pairs. Errors give line numbers and keywords, never a
// value, which may be a key.
func normalizeNetrc(text string) (string, error) {
	type token struct {
		s    string
		line int
	}
	var toks []token
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		f := strings.Fields(lines[i])
		for j, w := range f {
			if strings.HasPrefix(w, "#") {
				break
			}
			toks = append(toks, token{w, i + 1})
			if w == "macdef" {
				// A macro runs to the next empty line; its name is on
				// this line.
				if j+1 < len(f) {
					toks = append(toks, token{f[j+1], i + 1})
				}
				for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
					i++
				}
				break
			}
		}
	}
	var out strings.Builder
	inMachine := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.s {
		case "machine":
			if i+1 >= len(toks) || isNetrcKeyword(toks[i+1].s) {
				return "", fmt.Errorf("line %d: \"machine\" has no name", t.line)
			}
			i++
			out.WriteString("\nmachine " + toks[i].s)
			inMachine = true
		case "default":
			out.WriteString("\ndefault")
			inMachine = true
		case "login", "password", "account", "port":
			if !inMachine {
				return "", fmt.Errorf("line %d: %q comes before any \"machine\"", t.line, t.s)
			}
			if i+1 >= len(toks) || isNetrcKeyword(toks[i+1].s) {
				return "", fmt.Errorf("line %d: %q has no value", t.line, t.s)
			}
			i++
			out.WriteString(" " + t.s + " " + toks[i].s)
		case "macdef":
			i++ // the macro's name
		default:
			return "", fmt.Errorf("line %d: unexpected word (expected machine, default, login, password or account)", t.line)
		}
	}
	out.WriteString("\n")
	return out.String(), nil
}

// isNetrcKeyword reports a netrc keyword.
func isNetrcKeyword(s string) bool {
	switch s {
	case "machine", "default", "login", "password", "account", "port", "macdef":
		return true
	}
	return false
}
