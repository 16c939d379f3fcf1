package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
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
// on disk and shown done, q quits, and the summary follows on the normal
// screen.
func TestMainDownloadsAndPrintsSummary(t *testing.T) {
	srv := startServer(t)
	dest := t.TempDir()
	p := startOnPipe(t, []string{"--dest", dest, "ent/proj/run1"},
		map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}, nil)
	p.waitForText(t, "a.txt")
	p.keys.WriteString("d")
	got := filepath.Join(dest, "a.txt")
	p.waitFor(t, "the download", func() bool {
		b, err := os.ReadFile(got)
		return err == nil && string(b) == "a"
	})
	// The file is in place before the UI hears that the job ended; q
	// before that would ask whether to cancel it.
	p.waitForText(t, "done")
	p.quit(t)
	out := p.output()
	if !strings.HasSuffix(out, "1 file downloaded (1 B).\n") {
		t.Fatalf("output does not end with the summary: %q", out[max(len(out)-200, 0):])
	}
}

// TestStartupOneRoundTrip checks that the run's header and the first page
// of files come in one GraphQL request, and that the list shows its rows
// with no other request: launch to first rows costs one request's latency.
func TestStartupOneRoundTrip(t *testing.T) {
	srv := startServer(t)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{Latency: 50 * time.Millisecond})
	start := time.Now()
	p := startOnPipe(t, []string{"--dest", t.TempDir(), "ent/proj/run1"},
		map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}, nil)
	p.waitForText(t, "a.txt")
	elapsed := time.Since(start)
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Fatalf("%d GraphQL requests before the first rows showed; want 1", n)
	}
	// Two sequential requests would take 100 ms at least.
	if elapsed >= 2*50*time.Millisecond+500*time.Millisecond {
		t.Logf("first rows after %v (a loaded machine?)", elapsed)
	}
	p.quit(t)
}
