package runner

import (
	"context"
	"testing"

	"github.com/wbfiles/wbfiles/wandb"
)

// blockDL is a Downloader whose downloads run until cancelled.
type blockDL struct{}

func (blockDL) Download(ctx context.Context, f wandb.File, _ string, _ wandb.DownloadOptions) (wandb.DownloadResult, error) {
	<-ctx.Done()
	return wandb.DownloadResult{Name: f.Name}, ctx.Err()
}

// TestRunning returns the running jobs only, at most n, in list order.
func TestRunning(t *testing.T) {
	r := New(blockDL{}, Options{Dest: t.TempDir(), Parallel: 2})
	t.Cleanup(r.Close)
	r.Add(wandb.File{Name: "a"}, wandb.File{Name: "b"}, wandb.File{Name: "c"}, wandb.File{Name: "d"})
	got := r.Running(10)
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "b" || got[0].State != Running {
		t.Fatalf("Running(10) = %+v; want a and b running", got)
	}
	if got := r.Running(1); len(got) != 1 || got[0].Name != "a" {
		t.Fatalf("Running(1) = %+v", got)
	}
	r.Cancel("a")
	waitFor(t, r, "c to start", func() bool { j, _ := r.Lookup("c"); return j.State == Running })
	if got := r.Running(10); len(got) != 2 || got[0].Name != "b" || got[1].Name != "c" {
		t.Fatalf("after cancelling a: %+v", got)
	}
}
