package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// slowServer is the test server with a 1 MiB file, big.bin, whose body
// comes at 1 KiB/s: its download runs until it is stopped.
func slowServer(t *testing.T) *wandbtest.Server {
	t.Helper()
	srv := startServer(t)
	srv.AddRun(wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "slow", State: "finished",
		Files: []wandbtest.FileSpec{{Name: "big.bin", Size: 1 << 20}}})
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{BytesPerSecond: 1024})
	return srv
}

// startDownloading runs Main on the slow run and starts the download of
// big.bin; it returns once the server is sending its body.
func startDownloading(t *testing.T, srv *wandbtest.Server, dest string) *pipeRun {
	t.Helper()
	p := startOnPipe(t, []string{"--dest", dest, "ent/proj/slow"},
		map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}, nil)
	p.waitForText(t, "big.bin")
	p.keys.WriteString("d")
	partial := filepath.Join(dest, ".big.bin.wbfiles-partial")
	p.waitFor(t, "the first bytes on disk", func() bool {
		fi, err := os.Stat(partial)
		return err == nil && fi.Size() > 0
	})
	return p
}

// exitCode waits for Main to end and returns its exit code.
func (p *pipeRun) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case code := <-p.done:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("the program did not end")
	}
	return 0
}

// TestExitFailedDownload checks that quitting after a download failed
// exits 3 (before: 0, as if all went well).
func TestExitFailedDownload(t *testing.T) {
	srv := startServer(t)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	p := startOnPipe(t, []string{"--dest", t.TempDir(), "ent/proj/run1"},
		map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}, nil)
	p.waitForText(t, "a.txt")
	p.keys.WriteString("d")
	p.waitForText(t, "failed")
	p.keys.WriteString("q")
	if code := p.exitCode(t); code != exitIncomplete {
		t.Fatalf("exit %d, want %d (stderr %q)", code, exitIncomplete, p.stderr)
	}
	if out := p.output(); !strings.Contains(out, "1 failed") {
		t.Errorf("no summary of the failure: %q", out[max(len(out)-300, 0):])
	}
}

// TestExitCancelledOnQuit checks that quitting while a download runs, and
// cancelling it when asked, exits 3 and keeps the partial file.
func TestExitCancelledOnQuit(t *testing.T) {
	srv := slowServer(t)
	dest := t.TempDir()
	p := startDownloading(t, srv, dest)
	p.keys.WriteString("qy") // quit; yes, cancel the downloads
	if code := p.exitCode(t); code != exitIncomplete {
		t.Fatalf("exit %d, want %d (stderr %q)", code, exitIncomplete, p.stderr)
	}
	checkPartialKept(t, dest)
}

// checkPartialKept checks that big.bin's download stopped, once Main
// returned, with its partial file kept for a resume and no final file.
func checkPartialKept(t *testing.T, dest string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dest, ".big.bin.wbfiles-partial")); err != nil {
		t.Errorf("the partial file is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "big.bin")); err == nil {
		t.Error("an unfinished file is under its final name")
	}
}

// TestExitOnSignal sends SIGTERM and SIGINT to the process while a
// download runs, as kill and a ^C from outside do: the program ends with
// 128+signal, says "interrupted" on stderr, restores the terminal, prints
// the summary and keeps the partial file (before: SIGTERM quit as if all
// went well, with 0; SIGINT exited 1 with "program was killed").
func TestExitOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := slowServer(t)
			dest := t.TempDir()
			p := startDownloading(t, srv, dest)
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			if code := p.exitCode(t); code != 128+int(sig) {
				t.Fatalf("exit %d, want %d (stderr %q)", code, 128+int(sig), p.stderr)
			}
			if msg := p.stderr.String(); msg != "wbfiles: interrupted ("+signalName(sig)+")\n" {
				t.Errorf("stderr %q", msg)
			}
			out := p.output()
			if !strings.Contains(out, "\x1b[?1049l") {
				t.Error("the alt screen was not left")
			}
			if !strings.HasSuffix(out, "1 cancelled.\n") {
				t.Errorf("output does not end with the summary: %q", out[max(len(out)-200, 0):])
			}
			checkPartialKept(t, dest)
		})
	}
}
