package wandb

import (
	"context"
	"fmt"
)

// previewRefreshing is preview with a download's care for signed URLs: a
// reference is refused (its bytes are not in W&B), a row without URLs (read
// from a manifest) asks for them first, and a signed URL the storage host
// refuses as expired is asked for again once (refresher: an artifact's
// file by path; a run file only with DownloadOptions.Refresh).
func (d *downloader) previewRefreshing(ctx context.Context, f File, limit int64) ([]byte, bool, error) {
	if f.IsReference() {
		return nil, false, fmt.Errorf("%w, not previewed: %s (%s)", ErrReference, f.Name, oneLine(f.Ref, 200))
	}
	if limit <= 0 {
		return d.preview(ctx, f, limit) // asks nothing
	}
	refresh := d.refresher(f)
	refreshed := false
	if f.URL == "" && f.DirectURL == "" && refresh != nil {
		g, err := refresh(ctx, f)
		if err != nil {
			return nil, false, fmt.Errorf("cannot preview %s: asking the API for its URL failed: %w", f.Name, err)
		}
		f, refreshed = withURLs(f, g), true
	}
	body, more, err := d.preview(ctx, f, limit)
	if err == nil || refresh == nil || refreshed || !refusedSignedURL(f, err) {
		return body, more, err
	}
	g, rerr := refresh(ctx, f)
	if rerr != nil {
		return nil, false, fmt.Errorf("%w; asking the API for a fresh URL failed: %w", err, rerr)
	}
	body, more, err = d.preview(ctx, withURLs(f, g), limit)
	if err != nil && refusedSignedURL(f, err) {
		err = fmt.Errorf("%w, also with a fresh URL from the API", err)
	}
	return body, more, err
}
