package wandb

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestPreviewStalls: a preview whose body goes quiet fails after the
// downloads' stall time instead of loading for minutes.
func TestPreviewStalls(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "s.txt", Content: []byte("abcdefgh")})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 2})
	d := e.c.newDownloader(DownloadOptions{})
	d.stallTimeout = 100 * time.Millisecond
	start := time.Now()
	_, _, err := d.preview(context.Background(), e.file("s.txt"), 100)
	if err == nil || !strings.Contains(err.Error(), errStalled.Error()) {
		t.Errorf("err %v, want a stall", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
}

// TestPreviewHonoursContext: cancelling the context ends a slow preview
// at once.
func TestPreviewHonoursContext(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "s.txt", Content: []byte("abcdefgh")})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := e.c.Preview(ctx, e.file("s.txt"), 100)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want the context's error", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %v after the context ended", took)
	}
}
