package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// panicky is a Downloader with a bug.
type panicky struct{}

func (panicky) Download(context.Context, wandb.File, string, wandb.DownloadOptions) (wandb.DownloadResult, error) {
	panic("boom")
}

// A panic in a download fails its job instead of ending the program with
// the terminal in raw mode; the other jobs still start.
func TestDownloadPanicFailsTheJob(t *testing.T) {
	h := newDLHarness(t, DownloadsOptions{Downloader: panicky{}, Dest: t.TempDir(), Parallel: 1}, 120, 30)
	h.do(h.d.Enqueue([]wandb.File{{Name: "a.bin", SizeBytes: 3}, {Name: "b.bin", SizeBytes: 3}}))
	h.settle(10 * time.Second)
	for _, name := range []string{"a.bin", "b.bin"} {
		j, ok := h.d.Job(name)
		if !ok || j.State != model.Failed || j.Err == nil || !strings.Contains(j.Err.Error(), "internal error: boom") {
			t.Fatalf("%s: %+v", name, j)
		}
	}
}
