package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

const testKey = "cli-test-key-000000000000000000000000000"

// testEnv is an environment with vars, no terminal, captured output.
func testEnv(t *testing.T, vars map[string]string) (Env, *bytes.Buffer) {
	t.Helper()
	var stderr bytes.Buffer
	out, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	return Env{
		Getenv:     func(k string) string { return vars[k] },
		Home:       t.TempDir(), // no .netrc there
		Stdin:      out,
		Stdout:     out,
		Stderr:     &stderr,
		IsTerminal: func(uintptr) bool { return true }, // errors stop it before any UI
		Retry:      wandb.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond, MaxElapsed: time.Second},
	}, &stderr
}

func startServer(t *testing.T) *wandbtest.Server {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", State: "finished",
		Files: []wandbtest.FileSpec{{Name: "a.txt", Content: []byte("a")}}})
	return srv
}

// TestStartupErrors checks that each problem that stops start-up is one
// line on stderr and a non-zero exit, before any UI.
func TestStartupErrors(t *testing.T) {
	srv := startServer(t)
	good := map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		vars map[string]string
		code int
		want string
	}{
		{"dest is a file", []string{"--dest", file, "ent/proj/run1"}, good, 1, "is not a folder"},
		{"no argument: the key is checked before the entities open", nil, with("WANDB_API_KEY", "wrong-key-00000000000000000000000000000000"), 1, "rejected"},
		{"project not found", []string{"ent/nope"}, good, 1, "not found"},
		{"two runs", []string{"a/b/c", "d/e/f"}, good, 2, "one RUN expected"},
		{"bad flag", []string{"--nope", "a/b/c"}, good, 2, "flag provided but not defined"},
		{"pattern and names", []string{"--pattern", "%x", "--names", "a", "ent/proj/run1"}, good, 2, "cannot be used together"},
		{"per page", []string{"--per-page", "5000", "ent/proj/run1"}, good, 2, "--per-page"},
		{"parallel too high", []string{"--parallel", "1000", "ent/proj/run1"}, good, 2, "--parallel must be between 1 and 64"},
		{"names without a name", []string{"--names", " , ", "ent/proj/run1"}, good, 2, "--names"},
		{"bad run", []string{"not a run"}, good, 2, "invalid target"},
		{"project URL on another host than WANDB_BASE_URL", []string{"https://wandb.ai/ent/proj"}, good, 1, "WANDB_BASE_URL names"},
		{"no key", []string{"ent/proj/run1"}, with("WANDB_API_KEY", ""), 1, "WANDB_API_KEY"},
		{"rejected key", []string{"ent/proj/run1"}, with("WANDB_API_KEY", "wrong-key-00000000000000000000000000000000"), 1, "rejected"},
		{"run not found", []string{"ent/proj/nope"}, good, 1, "run not found"},
		{"unreachable", []string{"--base-url", "http://127.0.0.1:1", "ent/proj/run1"}, good, 1, "127.0.0.1:1"},
		{"not a terminal", []string{"ent/proj/run1"}, good, 1, "must be a terminal"},
		{"demo not a terminal", []string{"--demo"}, nil, 1, "must be a terminal"},
		{"not a terminal, checked before the network", []string{"--base-url", "http://127.0.0.1:1", "ent/proj/run1"}, good, 1, "must be a terminal"},
		{"bad run, not a terminal: still a usage error", []string{"not a run"}, good, 2, "invalid target"},
		{"demo with base url", []string{"--demo", "--base-url", "http://127.0.0.1:1"}, nil, 2, "--demo runs its own server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, stderr := testEnv(t, tt.vars)
			if strings.Contains(tt.want, "must be a terminal") || strings.Contains(tt.name, "not a terminal") {
				env.IsTerminal = func(uintptr) bool { return false }
			}
			code := Main(tt.args, env)
			msg := stderr.String()
			if code != tt.code {
				t.Fatalf("exit %d; want %d (stderr %q)", code, tt.code, msg)
			}
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "wbfiles: ") || !strings.Contains(msg, tt.want) {
				t.Fatalf("stderr %q; want one line containing %q", msg, tt.want)
			}
			if strings.Contains(msg, testKey) {
				t.Fatal("the key was printed")
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	// Help that was asked for goes to stdout, so `wbfiles --help | less`
	// shows it.
	env, stderr := testEnv(t, nil)
	if code := Main([]string{"--help"}, env); code != 0 || stderr.Len() != 0 {
		t.Fatalf("--help exit %d, stderr %q", code, stderr)
	}
	help, _ := os.ReadFile(env.Stdout.Name())
	for _, want := range []string{"Usage:", "Examples:", "wbfiles --demo", "--per-page", "--no-color", "Exit status:", "143"} {
		if !strings.Contains(string(help), want) {
			t.Fatalf("help lacks %q:\n%s", want, help)
		}
	}
	env, stderr = testEnv(t, nil)
	if code := Main([]string{"--version"}, env); code != 0 || stderr.Len() != 0 {
		t.Fatalf("--version exit %d stderr %q", code, stderr.String())
	}
	b, _ := os.ReadFile(env.Stdout.Name())
	if !strings.HasPrefix(string(b), "wbfiles "+wandb.Version) {
		t.Fatalf("--version printed %q", b)
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"--names", "a.txt, b/c.txt,", "--dest", "out", "--parallel", "8", "--overwrite", "e/p/r"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Names) != 2 || c.Names[1] != "b/c.txt" || c.Dest != "out" || c.Parallel != 8 || !c.Override || c.Run != "e/p/r" {
		t.Fatalf("parsed %+v", c)
	}
	if c, err := parseFlags([]string{"--demo"}, &bytes.Buffer{}); err != nil || c.Run != "" || c.PerPage != 50 {
		t.Fatalf("--demo: %+v %v", c, err)
	}
}

// TestFlagsAfterRun checks that flags may follow RUN, as users type them,
// and that "--" ends the flags.
func TestFlagsAfterRun(t *testing.T) {
	tests := []struct {
		args     []string
		run      string
		dest     string
		parallel int
	}{
		{[]string{"a/b/c", "--dest", "out"}, "a/b/c", "out", 4},
		{[]string{"--parallel", "8", "a/b/c", "--dest=out"}, "a/b/c", "out", 8},
		{[]string{"--dest", "out", "--", "-weird-run"}, "-weird-run", "out", 4},
	}
	for _, tt := range tests {
		c, err := parseFlags(tt.args, io.Discard)
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if c.Run != tt.run || c.Dest != tt.dest || c.Parallel != tt.parallel {
			t.Errorf("%q: run %q dest %q parallel %d; want %q %q %d", tt.args, c.Run, c.Dest, c.Parallel, tt.run, tt.dest, tt.parallel)
		}
	}
	if _, err := parseFlags([]string{"a/b/c", "d/e/f", "--dest", "x"}, io.Discard); err == nil || !strings.Contains(err.Error(), "one RUN expected") {
		t.Errorf("two runs with a flag between: %v", err)
	}
}

// TestOneLine checks that a multi-line error keeps its parts apart on
// the one line start-up errors get.
func TestOneLine(t *testing.T) {
	got := termtext.Line("bad ref: it has 1 part(s)\naccepted forms:\n  a/b/c\n  a/b:c   (x)\n")
	want := "bad ref: it has 1 part(s); accepted forms: a/b/c; a/b:c (x)"
	if got != want {
		t.Fatalf("oneLine = %q; want %q", got, want)
	}
}
