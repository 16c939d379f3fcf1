package wandb

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testKey looks like a W&B key, so a leak is easy to spot.
const testKey = "0123456789abcdef0123456789abcdef01234567"

// envOf returns a getenv over m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeNetrc writes a netrc file in dir and returns its path.
func writeNetrc(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		netrcName string // written in home when set
		netrc     string
		wantBase  string
		wantKey   string
		wantEnt   string
	}{
		{name: "env key, defaults",
			env:      map[string]string{EnvAPIKey: "envkey"},
			wantBase: DefaultBaseURL, wantKey: "envkey"},
		{name: "env key wins over netrc, even a malformed one",
			env:       map[string]string{EnvAPIKey: " envkey\n", EnvEntity: "team"},
			netrcName: ".netrc", netrc: "machine",
			wantBase: DefaultBaseURL, wantKey: "envkey", wantEnt: "team"},
		{name: "trailing slash tolerated",
			env:      map[string]string{EnvAPIKey: "k", EnvBaseURL: "https://wandb.example.com/"},
			wantBase: "https://wandb.example.com", wantKey: "k"},
		{name: "netrc entry of api.wandb.ai",
			netrcName: ".netrc", netrc: "machine github.com login x password nope\nmachine api.wandb.ai\n  login user\n  password " + testKey + "\n",
			wantBase: DefaultBaseURL, wantKey: testKey},
		{name: "netrc with comments and a macro",
			netrcName: ".netrc", netrc: "# my machines\nmachine api.wandb.ai\n  # the W&B key\n  login user # trailing\n  password " + testKey + "\n\nmacdef init\ncd /tmp\nput x\n\nmachine other password y\n",
			wantBase: DefaultBaseURL, wantKey: testKey},
		{name: "netrc host:port first",
			env:       map[string]string{EnvBaseURL: "http://localhost:8080"},
			netrcName: ".netrc", netrc: "machine localhost password wrong\nmachine localhost:8080 password " + testKey + "\n",
			wantBase: "http://localhost:8080", wantKey: testKey},
		{name: "netrc host without port as fallback",
			env:       map[string]string{EnvBaseURL: "http://localhost:8080/"},
			netrcName: ".netrc", netrc: "machine localhost:9090 password wrong\nmachine localhost password " + testKey + "\n",
			wantBase: "http://localhost:8080", wantKey: testKey},
		{name: "netrc default entry",
			netrcName: ".netrc", netrc: "machine other password wrong\ndefault login x password " + testKey + "\n",
			wantBase: DefaultBaseURL, wantKey: testKey},
		{name: "_netrc when no .netrc",
			netrcName: "_netrc", netrc: "machine api.wandb.ai login user password " + testKey + "\n",
			wantBase: DefaultBaseURL, wantKey: testKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			if tt.netrcName != "" {
				writeNetrc(t, home, tt.netrcName, tt.netrc)
			}
			cfg, err := LoadConfig(envOf(tt.env), home)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.BaseURL != tt.wantBase || cfg.APIKey != tt.wantKey || cfg.Entity != tt.wantEnt {
				t.Errorf("got base %q key %q entity %q, want %q %q %q", cfg.BaseURL, cfg.APIKey, cfg.Entity, tt.wantBase, tt.wantKey, tt.wantEnt)
			}
		})
	}
}

func TestLoadConfigNetrcEnv(t *testing.T) {
	home, other := t.TempDir(), t.TempDir()
	writeNetrc(t, home, ".netrc", "machine api.wandb.ai password wrong\n")
	p := writeNetrc(t, other, "my-netrc", "machine api.wandb.ai password "+testKey+"\n")
	cfg, err := LoadConfig(envOf(map[string]string{EnvNetrc: p}), home)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.APIKey != testKey {
		t.Errorf("key from $NETRC = %q, want %q", cfg.APIKey, testKey)
	}
	// $NETRC naming a missing file means no key; ~/.netrc is not read.
	_, err = LoadConfig(envOf(map[string]string{EnvNetrc: filepath.Join(other, "missing")}), home)
	if !errors.Is(err, ErrNoAPIKey) {
		t.Errorf("missing $NETRC file: err = %v, want ErrNoAPIKey", err)
	}
}

func TestLoadConfigNoKey(t *testing.T) {
	for name, netrc := range map[string]string{
		"no netrc":        "",
		"other host only": "machine example.com password " + testKey + "\n",
		"no password":     "machine api.wandb.ai login user\n",
	} {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			if netrc != "" {
				writeNetrc(t, home, ".netrc", netrc)
			}
			_, err := LoadConfig(envOf(nil), home)
			if !errors.Is(err, ErrNoAPIKey) {
				t.Fatalf("err = %v, want ErrNoAPIKey", err)
			}
			for _, want := range []string{"WANDB_API_KEY", "wandb login"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
	// No home folder at all.
	if _, err := LoadConfig(envOf(nil), ""); !errors.Is(err, ErrNoAPIKey) {
		t.Errorf("no home: err = %v, want ErrNoAPIKey", err)
	}
}

func TestLoadConfigMalformedNetrc(t *testing.T) {
	for name, text := range map[string]string{
		"machine without a name":  "machine",
		"password without value":  "machine api.wandb.ai login user password",
		"value-less then keyword": "machine api.wandb.ai password\nmachine x password " + testKey,
		"keyword before machine":  "password " + testKey + "\nmachine api.wandb.ai",
		"unknown word":            "machine api.wandb.ai password " + testKey + " " + testKey,
	} {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			p := writeNetrc(t, home, ".netrc", text)
			_, err := LoadConfig(envOf(nil), home)
			if err == nil {
				t.Fatal("no error for a malformed netrc")
			}
			if errors.Is(err, ErrNoAPIKey) {
				t.Errorf("err = %v: a malformed file is not a missing key", err)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file %s", err, p)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q holds the key", err)
			}
		})
	}
}

func TestLoadConfigUnreadableNetrc(t *testing.T) {
	home := t.TempDir()
	// A folder where the file should be cannot be read as a file.
	p := filepath.Join(home, "netrc-dir")
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(envOf(map[string]string{EnvNetrc: p}), home)
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("err = %v, want an error naming %s", err, p)
	}
}

// TestBaseURLErrorsHideCredentials checks that neither LoadConfig nor
// NewClient echo a base URL with user info.
func TestBaseURLErrorsHideCredentials(t *testing.T) {
	for _, base := range []string{
		"https://api:" + testKey + "@api.wandb.ai",
		"https://api:" + testKey + "@api.wandb.ai:notaport",
		"ftp://api:" + testKey + "@api.wandb.ai",
		"https://" + testKey + "@",
		"https://api.wandb.ai/?api_key=" + testKey,
		"https://api.wandb.ai/#" + testKey,
	} {
		_, err := LoadConfig(envOf(map[string]string{EnvBaseURL: base, EnvAPIKey: "k"}), t.TempDir())
		if err == nil {
			t.Errorf("LoadConfig accepted base URL %q", base)
		} else if strings.Contains(err.Error(), testKey) {
			t.Errorf("LoadConfig error holds the key: %v", err)
		}
		_, err = NewClient(Config{BaseURL: base, APIKey: "k"})
		if err == nil {
			t.Errorf("NewClient accepted base URL %q", base)
		} else if strings.Contains(err.Error(), testKey) {
			t.Errorf("NewClient error holds the key: %v", err)
		}
	}
}

func TestNewClientBaseURL(t *testing.T) {
	for _, bad := range []string{"api.wandb.ai", "ftp://x", "https://", "https://h/?q=1", "https://h/#f", "mailto:x@y"} {
		if _, err := NewClient(Config{BaseURL: bad, APIKey: "k"}); err == nil {
			t.Errorf("NewClient accepted %q", bad)
		}
	}
	c, err := NewClient(Config{BaseURL: "https://wandb.example.com:8443/prefix//", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://wandb.example.com:8443/prefix" || c.Host() != "wandb.example.com:8443" {
		t.Errorf("BaseURL %q Host %q", c.BaseURL(), c.Host())
	}
	if _, err := NewClient(Config{BaseURL: "https://x"}); !errors.Is(err, ErrNoAPIKey) {
		t.Errorf("no key: err = %v, want ErrNoAPIKey", err)
	}
}

// TestConfigHidesKey prints a Config every way a log line or a debug
// message might: the key must never show, the other fields must.
func TestConfigHidesKey(t *testing.T) {
	const key = "config-print-secret-0123456789abcdef01234"
	cfg := Config{BaseURL: "https://api.example.test", APIKey: key, Entity: "ent",
		Retry: RetryPolicy{MaxAttempts: 3}, Timeout: time.Second}
	type holder struct{ Cfg Config }
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "cfg", cfg)
	var txt bytes.Buffer
	slog.New(slog.NewTextHandler(&txt, nil)).Info("start", "cfg", &cfg)
	outs := map[string]string{
		"%v":        fmt.Sprintf("%v", cfg),
		"%+v":       fmt.Sprintf("%+v", cfg),
		"%#v":       fmt.Sprintf("%#v", cfg),
		"%s":        fmt.Sprintf("%s!", cfg), // the verb, not a String call
		"%v ptr":    fmt.Sprintf("%v", &cfg),
		"%+v ptr":   fmt.Sprintf("%+v", &cfg),
		"%#v ptr":   fmt.Sprintf("%#v", &cfg),
		"%+v field": fmt.Sprintf("%+v", holder{cfg}),
		"%#v field": fmt.Sprintf("%#v", holder{cfg}),
		"slog json": js.String(),
		"slog text": txt.String(),
	}
	for verb, out := range outs {
		if strings.Contains(out, key) || strings.Contains(out, key[:12]) {
			t.Errorf("%s shows the key: %s", verb, out)
		}
		if !strings.Contains(out, "[redacted]") || !strings.Contains(out, "api.example.test") || !strings.Contains(out, "ent") {
			t.Errorf("%s does not show the fields with the key masked: %s", verb, out)
		}
	}
	if got := fmt.Sprintf("%#v", cfg); !strings.HasPrefix(got, "wandb.Config{") {
		t.Errorf("%%#v = %s, want Go syntax of a wandb.Config", got)
	}
	if cfg.APIKey != key {
		t.Error("printing changed the key")
	}
	if got := fmt.Sprintf("%v", Config{BaseURL: "x"}); strings.Contains(got, "[redacted]") {
		t.Errorf("a Config without a key prints %s; want no mark, so a missing key shows", got)
	}
}

// TestClientHidesKey prints a Client, which holds the key too.
func TestClientHidesKey(t *testing.T) {
	const key = "client-print-secret-0123456789abcdef01234"
	c, err := NewClient(Config{BaseURL: "https://api.example.test", APIKey: key, Entity: "ent"})
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "client", c)
	for _, out := range []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
		fmt.Sprintf("%v", *c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c),
		js.String(),
	} {
		if strings.Contains(out, key) || strings.Contains(out, key[:12]) {
			t.Errorf("a printed Client shows the key: %s", out)
		}
		if !strings.Contains(out, "api.example.test") {
			t.Errorf("a printed Client does not name its host: %s", out)
		}
	}
}

// TestLoadConfigRunURL checks the API host and key for a run URL: its own
// server and netrc entry when no base URL is set, the configured one when
// it names the same server, an error when it names another.
func TestLoadConfigRunURL(t *testing.T) {
	const self = "http://wandb.example.com:8080"
	netrc := "machine api.wandb.ai password cloud-key\nmachine wandb.example.com:8080 password " + testKey + "\ndefault password default-key\n"
	tests := []struct {
		name              string
		env               map[string]string
		opts              LoadOptions
		wantBase, wantKey string
		wantErr           string // a part of the error
	}{
		{name: "self-hosted URL, its own entry",
			opts: LoadOptions{RunBase: self}, wantBase: self, wantKey: testKey},
		{name: "self-hosted URL, env key not sent there",
			env: map[string]string{EnvAPIKey: "env-key"}, opts: LoadOptions{RunBase: self}, wantBase: self, wantKey: testKey},
		{name: "cloud URL, the default host",
			opts: LoadOptions{RunBase: DefaultBaseURL}, wantBase: DefaultBaseURL, wantKey: "cloud-key"},
		{name: "cloud URL, env key",
			env: map[string]string{EnvAPIKey: "env-key"}, opts: LoadOptions{RunBase: DefaultBaseURL}, wantBase: DefaultBaseURL, wantKey: "env-key"},
		{name: "URL on the configured host",
			env: map[string]string{EnvAPIKey: "env-key", EnvBaseURL: self + "/"}, opts: LoadOptions{RunBase: self}, wantBase: self, wantKey: "env-key"},
		{name: "URL on another host than WANDB_BASE_URL",
			env: map[string]string{EnvAPIKey: "env-key", EnvBaseURL: "https://other.example.com"}, opts: LoadOptions{RunBase: self},
			wantErr: "the run URL is on wandb.example.com:8080, but WANDB_BASE_URL names other.example.com"},
		{name: "URL on another host than --base-url",
			env: map[string]string{EnvAPIKey: "env-key"}, opts: LoadOptions{BaseURL: "https://other.example.com", BaseURLFrom: "--base-url", RunBase: self},
			wantErr: "but --base-url names other.example.com"},
		{name: "--base-url error labelled so",
			env: map[string]string{EnvBaseURL: "https://fine.example.com"}, opts: LoadOptions{BaseURL: "nope", BaseURLFrom: "--base-url"},
			wantErr: "--base-url: invalid W&B base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			writeNetrc(t, home, ".netrc", netrc)
			cfg, err := LoadConfigWith(envOf(tt.env), home, tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.BaseURL != tt.wantBase || cfg.APIKey != tt.wantKey {
				t.Errorf("got base %q key %q, want %q %q", cfg.BaseURL, cfg.APIKey, tt.wantBase, tt.wantKey)
			}
		})
	}
}

// TestNoAPIKeyErrorText checks that the no-key error names the host and
// the netrc file, and for a URL's host why WANDB_API_KEY was not used.
func TestNoAPIKeyErrorText(t *testing.T) {
	home := t.TempDir()
	// The default entry is for the configured host, not a URL's.
	writeNetrc(t, home, ".netrc", "machine other.example.com password "+testKey+"\ndefault password "+testKey+"\n")
	p := writeNetrc(t, t.TempDir(), "netrc", "machine other.example.com password "+testKey+"\n")
	tests := []struct {
		name string
		env  map[string]string
		opts LoadOptions
		home string
		want []string
	}{
		{"default host, no entry", map[string]string{EnvNetrc: p}, LoadOptions{}, home,
			[]string{"no W&B API key for api.wandb.ai: WANDB_API_KEY is not set and the netrc file " + p + " has no password for machine api.wandb.ai", "`wandb login`"}},
		{"no netrc file", nil, LoadOptions{BaseURL: "https://w.example.com"}, t.TempDir(),
			[]string{"for w.example.com", "there is no netrc file", ".netrc", "`wandb login --host https://w.example.com`"}},
		{"no home", nil, LoadOptions{}, "", []string{"no home folder"}},
		{"URL host with env key", map[string]string{EnvAPIKey: testKey}, LoadOptions{RunBase: "http://w.example.com:81"}, home,
			[]string{"for w.example.com:81 (the run URL's host)", home, "`wandb login --host http://w.example.com:81`", "WANDB_BASE_URL=http://w.example.com:81", "WANDB_API_KEY is sent only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfigWith(envOf(tt.env), tt.home, tt.opts)
			if !errors.Is(err, ErrNoAPIKey) {
				t.Fatalf("err = %v, want ErrNoAPIKey", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q holds the key", err)
			}
		})
	}
}

func TestExpandHome(t *testing.T) {
	for _, tt := range []struct{ in, home, want string }{
		{"~/x/y", "/home/u", "/home/u/x/y"},
		{"~", "/home/u", "/home/u"},
		{"~x/y", "/home/u", "~x/y"},
		{"a/~/b", "/home/u", "a/~/b"},
		{"~/x", "", "~/x"},
	} {
		if got := ExpandHome(tt.in, tt.home); got != tt.want {
			t.Errorf("ExpandHome(%q, %q) = %q, want %q", tt.in, tt.home, got, tt.want)
		}
	}
}
