package cli

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// netrcFor writes a netrc file in env's home with the key for host.
func netrcFor(t *testing.T, env Env, host string) string {
	t.Helper()
	p := filepath.Join(env.Home, ".netrc")
	if err := os.WriteFile(p, []byte("machine "+host+" login api password "+testKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunURLHostIsTheAPIHost gives a run URL of the in-repo server with no
// base URL set: the server named by the URL answers, with the key of its
// own netrc entry (before, the URL's host was ignored and the key was
// looked up, and sent, for api.wandb.ai).
func TestRunURLHostIsTheAPIHost(t *testing.T) {
	srv := startServer(t)
	host := strings.TrimPrefix(srv.URL(), "http://")
	env, stderr := testEnv(t, nil)
	netrcFor(t, env, host)
	for _, run := range []string{
		srv.URL() + "/ent/proj/runs/run1",
		srv.URL() + "/ent/proj/runs/run1/files/a.txt?nw=1",
	} {
		cfg, err := parseFlags([]string{run}, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		st, err := start(cfg, env)
		if err != nil {
			t.Fatalf("%s: %v (stderr %q)", run, err, stderr)
		}
		if got := st.opts.Run.Ref.String(); got != "ent/proj/run1" {
			t.Errorf("%s: opened %s", run, got)
		}
		st.close()
	}
}

// TestRunURLHostRefusals checks the URL hosts that must not get a key: a
// host other than the one WANDB_BASE_URL or --base-url names (refused,
// naming both and where the base came from), and WANDB_API_KEY, which is
// the key of the configured host, for a host named only by the URL.
func TestRunURLHostRefusals(t *testing.T) {
	srv := startServer(t)
	other := startServer(t) // a second server: any request to it is a leak
	otherURL, _ := url.Parse(other.URL())
	run := other.URL() + "/ent/proj/runs/run1"
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want []string
	}{
		{"WANDB_BASE_URL names another host",
			[]string{run}, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey},
			[]string{otherURL.Host, "WANDB_BASE_URL"}},
		{"--base-url names another host",
			[]string{"--base-url", srv.URL(), run}, map[string]string{"WANDB_API_KEY": testKey},
			[]string{otherURL.Host, "--base-url"}},
		{"wandb.ai URL with a self-hosted base",
			[]string{"https://wandb.ai/ent/proj/runs/run1"}, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey},
			[]string{"wandb.ai", "WANDB_BASE_URL"}},
		{"WANDB_API_KEY is not sent to a URL's host",
			[]string{run}, map[string]string{"WANDB_API_KEY": testKey},
			[]string{otherURL.Host, "WANDB_API_KEY", ".netrc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, stderr := testEnv(t, tt.vars)
			if code := Main(tt.args, env); code != 1 {
				t.Fatalf("exit %d; want 1 (stderr %q)", code, stderr)
			}
			msg := stderr.String()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q does not say %q", msg, w)
				}
			}
			if strings.Count(msg, "\n") != 1 || strings.Contains(msg, testKey) {
				t.Errorf("stderr %q: want one line without the key", msg)
			}
		})
	}
	if st := other.Stats(); st.GraphQLRequests != 0 {
		t.Errorf("the URL's host got %d requests", st.GraphQLRequests)
	}
}

// TestBaseURLFlagErrorsNameTheFlag checks that a bad --base-url is called
// --base-url in the error, not WANDB_BASE_URL (which may be set too).
func TestBaseURLFlagErrorsNameTheFlag(t *testing.T) {
	env, stderr := testEnv(t, map[string]string{"WANDB_API_KEY": testKey, "WANDB_BASE_URL": "https://api.wandb.ai"})
	if code := Main([]string{"--base-url", "api.example.com", "ent/proj/run1"}, env); code != 1 {
		t.Fatalf("exit %d (stderr %q)", code, stderr)
	}
	if msg := stderr.String(); !strings.HasPrefix(msg, "wbfiles: --base-url: ") || strings.Contains(msg, "WANDB_BASE_URL") {
		t.Errorf("stderr %q; want the error labelled --base-url", msg)
	}
	env, stderr = testEnv(t, map[string]string{"WANDB_API_KEY": testKey, "WANDB_BASE_URL": "api.example.com"})
	Main([]string{"ent/proj/run1"}, env)
	if msg := stderr.String(); !strings.HasPrefix(msg, "wbfiles: WANDB_BASE_URL: ") {
		t.Errorf("stderr %q; want the error labelled WANDB_BASE_URL", msg)
	}
}

// TestNoKeyNamesNetrcAndHost checks that "no API key" says which netrc
// file was read and which host was looked up in it.
func TestNoKeyNamesNetrcAndHost(t *testing.T) {
	srv := startServer(t)
	env, stderr := testEnv(t, map[string]string{"WANDB_BASE_URL": srv.URL()})
	p := netrcFor(t, env, "api.wandb.ai") // the wrong host
	if code := Main([]string{"ent/proj/run1"}, env); code != 1 {
		t.Fatalf("exit %d (stderr %q)", code, stderr)
	}
	host := strings.TrimPrefix(srv.URL(), "http://")
	msg := stderr.String()
	for _, w := range []string{p, host, "WANDB_API_KEY", "wandb login"} {
		if !strings.Contains(msg, w) {
			t.Errorf("stderr %q does not say %q", msg, w)
		}
	}
	if strings.Contains(msg, testKey) {
		t.Error("the key was printed")
	}
}
