package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// TestStartWiresDownloads checks that --dest, --parallel and --overwrite
// reach the UI's download engine.
func TestStartWiresDownloads(t *testing.T) {
	srv := startServer(t)
	env, _ := testEnv(t, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey})
	dest := t.TempDir()
	for _, tc := range []struct {
		args     []string
		parallel int
		existing wandb.ExistingPolicy
	}{
		{[]string{"--dest", dest, "ent/proj/run1"}, 4, wandb.KeepExisting},
		{[]string{"--dest", dest, "--parallel", "8", "--overwrite", "ent/proj/run1"}, 8, wandb.Overwrite},
	} {
		cfg, err := parseFlags(tc.args, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		st, err := start(cfg, env)
		if err != nil {
			t.Fatal(err)
		}
		o := st.opts
		if o.Downloader == nil || o.Parallel != tc.parallel || o.Existing != tc.existing || o.Dest != dest {
			t.Errorf("%v: downloader %v parallel %d existing %v dest %q", tc.args, o.Downloader != nil, o.Parallel, o.Existing, o.Dest)
		}
		st.close()
	}
}

// TestMainDownloadsAndPrintsSummary runs the whole program on a pipe:
// once the list shows, d downloads the file under the cursor; once it is
// on disk, q quits, and the summary follows on the normal screen.
func TestMainDownloadsAndPrintsSummary(t *testing.T) {
	srv := startServer(t)
	env, stderr := testEnv(t, map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey})
	env.IsTerminal = func(uintptr) bool { return true }
	env.Width, env.Height = 100, 30
	in, keys, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	env.Stdin = in
	dest := t.TempDir()

	done := make(chan int, 1)
	go func() { done <- Main([]string{"--dest", dest, "ent/proj/run1"}, env) }()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	output := func() string {
		b, _ := os.ReadFile(env.Stdout.Name())
		return string(b)
	}
	waitFor("the list", func() bool { return strings.Contains(output(), "a.txt") })
	keys.WriteString("d")
	got := filepath.Join(dest, "a.txt")
	waitFor("the download", func() bool {
		b, err := os.ReadFile(got)
		return err == nil && string(b) == "a"
	})
	keys.WriteString("q")
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not end the program")
	}
	out := output()
	if !strings.HasSuffix(out, "1 file downloaded (1 B).\n") {
		t.Fatalf("output does not end with the summary: %q", out[max(len(out)-200, 0):])
	}
}
