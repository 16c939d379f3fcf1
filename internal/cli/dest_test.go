package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// startWith runs start-up (flags and start) on the server with args.
func startWith(t *testing.T, args ...string) (started, error) {
	t.Helper()
	srv := startServer(t)
	env, _ := testEnv(t, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey})
	cfg, err := parseFlags(append(args, "ent/proj/run1"), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := start(cfg, env)
	if err == nil {
		t.Cleanup(st.close)
	}
	return st, err
}

// TestDestCreated checks that a missing --dest is created with its
// parents, and shown as an absolute path.
func TestDestCreated(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "a", "b")
	st, err := startWith(t, "--dest", dest)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dest); err != nil || !fi.IsDir() {
		t.Fatalf("--dest %s was not created: %v", dest, err)
	}
	if st.opts.Dest != dest {
		t.Errorf("dest %q, want %q", st.opts.Dest, dest)
	}
	left, _ := os.ReadDir(dest)
	if len(left) != 0 {
		t.Errorf("the write check left %d entries in the folder", len(left))
	}
}

// TestDestRefused checks that a --dest that is a file, below a file, or
// not writable stops start-up with a message naming it (before, each was
// accepted and every download failed later).
func TestDestRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// Root writes in any mode-0500 folder; not in sysfs.
		readOnly = "/sys"
	}
	tests := []struct {
		name, dest, want string
	}{
		{"a file", file, "not a folder"},
		{"below a file", filepath.Join(file, "sub"), "cannot be created"},
		{"read-only", readOnly, "cannot be written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fi, err := os.Stat(tt.dest); tt.dest == "/sys" && (err != nil || !fi.IsDir()) {
				t.Skip("no /sys, and root writes in a read-only folder")
			}
			_, err := startWith(t, "--dest", tt.dest)
			if err == nil {
				t.Fatalf("--dest %s accepted", tt.dest)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.dest) || !strings.Contains(msg, "--dest") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q; want it to name --dest %s and say %q", msg, tt.dest, tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(file); string(b) != "x" {
		t.Error("the file given as --dest was changed")
	}
}

// TestDestNotCreatedForAMissingRun checks that a start-up that fails on
// the run leaves no folder behind.
func TestDestNotCreatedForAMissingRun(t *testing.T) {
	srv := startServer(t)
	env, _ := testEnv(t, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey})
	dest := filepath.Join(t.TempDir(), "new")
	cfg, err := parseFlags([]string{"--dest", dest, "ent/proj/nope"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := start(cfg, env); err == nil {
		t.Fatal("a missing run was accepted")
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("--dest was created for a run that does not exist: %v", err)
	}
}

// TestDestTilde checks that --dest=~/x, which the shell leaves as typed,
// means x in the home folder, not a folder named "~" here.
func TestDestTilde(t *testing.T) {
	srv := startServer(t)
	env, _ := testEnv(t, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey})
	t.Chdir(t.TempDir())
	cfg, err := parseFlags([]string{"--dest=~/out", "ent/proj/run1"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := start(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if want := filepath.Join(env.Home, "out"); st.opts.Dest != want {
		t.Errorf("dest %q, want %q", st.opts.Dest, want)
	}
	if _, err := os.Stat("~"); err == nil {
		t.Error("a folder named ~ was created")
	}
}
