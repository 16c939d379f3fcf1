package wandb

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Preview returns the first bytes of f, at most limit of them, and whether
// the file is longer, for showing a small file without saving it. The body
// comes from the same source as a download (f.URL with the key only on the
// API host, else f.DirectURL without credentials) with a Range request;
// a server that ignores Range is read only up to limit. There is no retry:
// a preview is cheap to ask for again. An artifact's file (ArtifactID set)
// whose signed URL has expired, or that has none (a manifest row), is
// asked for again by path once, as a download does; a reference is an
// error wrapping ErrReference. It ends when ctx does, and fails (wrapping
// no error sentinel, saying "no data received for too long") when the
// answer sends no byte for the downloads' stall time.
func (c *Client) Preview(ctx context.Context, f File, limit int64) ([]byte, bool, error) {
	return c.newDownloader(DownloadOptions{}).previewRefreshing(ctx, f, limit)
}

// preview is Preview with the downloader's stall timeout.
func (d *downloader) preview(ctx context.Context, f File, limit int64) ([]byte, bool, error) {
	c := d.c
	if limit <= 0 {
		return nil, f.SizeBytes != 0, nil
	}
	u, withKey, err := fileSource(f, "preview")
	if err != nil {
		return nil, false, err
	}
	stall := watchStall(ctx, d.stallTimeout, nil)
	defer stall.stop()
	req, err := http.NewRequestWithContext(stall.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false, fmt.Errorf("previewing %s: %w", f.Name, err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("Range", "bytes=0-"+strconv.FormatInt(limit-1, 10))
	c.prepareDownload(req, withKey)
	resp, err := c.downloadHTTP(withKey).Do(req)
	if err != nil {
		// Name only the host: the *url.Error's message holds the whole
		// URL, which for storage is signed.
		host, cause := unwrapURLError(err, u.Host)
		return nil, false, fmt.Errorf("previewing %s from %s: %w", f.Name, host, stall.explain(cause))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
		return nil, false, c.statusError("previewing", f.Name, resp)
	}
	// One byte more than the limit tells a 200 answer's length apart.
	body, err := io.ReadAll(io.LimitReader(stall.reader(resp.Body), limit+1))
	if err != nil {
		host, cause := unwrapURLError(err, resp.Request.URL.Host)
		return nil, false, fmt.Errorf("previewing %s from %s: %w", f.Name, host, stall.explain(cause))
	}
	truncated := int64(len(body)) > limit
	if truncated {
		body = body[:limit]
	}
	if resp.StatusCode == http.StatusPartialContent {
		_, size := parseContentRange(resp.Header.Get("Content-Range"))
		truncated = size > int64(len(body)) || (size < 0 && f.SizeBytes > int64(len(body)))
	}
	return body, truncated, nil
}
