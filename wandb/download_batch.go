package wandb

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// BatchResult is the outcome of one file of DownloadAll.
type BatchResult struct {
	Result DownloadResult
	Err    error
}

// DownloadAll downloads files into dest with up to parallel downloads at
// once (at least 1) and returns one result per file, in the order of files.
// Each file gets Download's guarantees; a failure does not stop the others.
// Once ctx ends, files not yet started fail with ctx's error. opts.Progress
// is called from several goroutines at once.
func (c *Client) DownloadAll(ctx context.Context, files []File, dest string, parallel int, opts DownloadOptions) []BatchResult {
	results := make([]BatchResult, len(files))
	parallel = max(1, min(parallel, len(files)))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				if err := ctx.Err(); err != nil {
					results[i] = BatchResult{
						Result: DownloadResult{Name: files[i].Name},
						Err:    fmt.Errorf("download of %s cancelled: %w", files[i].Name, err),
					}
					continue
				}
				r, err := c.Download(ctx, files[i], dest, opts)
				results[i] = BatchResult{Result: r, Err: err}
			}
		})
	}
	wg.Wait()
	return results
}
