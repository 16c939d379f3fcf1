package cli

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/wbfiles/wbfiles/tui"
	"github.com/wbfiles/wbfiles/wandb"
)

// inflight is the UI's Downloader: it runs the client's downloads and, when
// the program ends, stops those still running and waits for them to close
// their files, so that nothing downloads after Main returns and each
// partial file is left as the engine keeps it for a resume.
type inflight struct {
	dl     tui.Downloader
	ctx    context.Context // cancelled by stop
	cancel context.CancelFunc

	mu      sync.Mutex
	stopped bool
	running sync.WaitGroup
}

func newInflight(dl tui.Downloader) *inflight {
	ctx, cancel := context.WithCancel(context.Background())
	return &inflight{dl: dl, ctx: ctx, cancel: cancel}
}

// errEnding is the error of a download asked for after stop.
var errEnding = errors.New("the program is ending")

// Download is the client's Download, also ended by stop.
func (f *inflight) Download(ctx context.Context, file wandb.File, dest string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		return wandb.DownloadResult{}, errEnding
	}
	f.running.Add(1)
	f.mu.Unlock()
	defer f.running.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(f.ctx, cancel)()
	return f.dl.Download(ctx, file, dest, opts)
}

// stop cancels the running downloads, refuses new ones, and waits up to
// wait for the running ones to return; it reports whether they all did.
func (f *inflight) stop(wait time.Duration) bool {
	f.mu.Lock()
	f.stopped = true
	f.mu.Unlock()
	f.cancel()
	done := make(chan struct{})
	go func() {
		f.running.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(wait):
		return false
	}
}
