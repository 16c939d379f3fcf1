package wandb

import (
	"errors"
	"fmt"
	"io/fs"
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
// given, for tests and for a command line that overrides a variable (wrap
// getenv). The key comes from WANDB_API_KEY, else from the netrc file
// ($NETRC, else home/.netrc, else home/_netrc) entry "machine host:port" of
// the API host, then "machine host", then "default" (its password). Without
// a key the error is ErrNoAPIKey. A netrc file that cannot be read or
// parsed is an error naming the file; no error ever holds the key.
func LoadConfig(getenv func(string) string, home string) (Config, error) {
	cfg := Config{
		BaseURL: strings.TrimSpace(getenv(EnvBaseURL)),
		APIKey:  strings.TrimSpace(getenv(EnvAPIKey)),
		Entity:  strings.TrimSpace(getenv(EnvEntity)),
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvBaseURL, err)
	}
	cfg.BaseURL = base.String()
	if cfg.APIKey != "" {
		return cfg, nil
	}
	path := netrcPath(getenv, home)
	if path == "" {
		return cfg, ErrNoAPIKey
	}
	key, err := netrcKey(path, base.Host, base.Hostname())
	if err != nil {
		return cfg, err
	}
	if key == "" {
		return cfg, ErrNoAPIKey
	}
	cfg.APIKey = key
	return cfg, nil
}

// netrcPath returns the netrc file to read, or "" when there is none.
func netrcPath(getenv func(string) string, home string) string {
	if p := getenv(EnvNetrc); p != "" {
		if strings.HasPrefix(p, "~/") && home != "" {
			p = filepath.Join(home, p[2:])
		}
		return p
	}
	if home == "" {
		return ""
	}
	for _, name := range []string{".netrc", "_netrc"} {
		p := filepath.Join(home, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// netrcKey returns the password of the first netrc entry among hostPort,
// host and default, or "" when none has one. A missing file is no key.
func netrcKey(path, hostPort, host string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
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
	for _, name := range []string{hostPort, host, "default"} {
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
