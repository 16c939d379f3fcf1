package wandb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Signed storage URLs expire: a listing fetched an hour ago may hold URLs
// the storage host now refuses (HTTP 403, or 400 on some hosts). A
// download asks the API for that one file again and tries once more with
// the fresh URL, from the bytes it has (the temporary file is kept when it
// can be resumed), so the user never sees the expiry. The same asking
// gives a row read from a manifest, which has no URL, its URL.

// ErrReference is returned for an artifact's reference entry (File.Ref
// set): its bytes live outside W&B, at the reference's URI, and are never
// downloaded through W&B.
var ErrReference = errors.New("a reference to an object outside W&B")

// downloadRefreshing is Download: it refuses references, gives a file
// without URLs its URLs first, and runs the download again once with a
// fresh URL when the storage host refused the signed one.
func (d *downloader) downloadRefreshing(ctx context.Context, f File, dest string) (DownloadResult, error) {
	if f.IsReference() {
		return DownloadResult{Name: f.Name}, fmt.Errorf("%w, not downloaded: %s (%s)", ErrReference, f.Name, oneLine(f.Ref, 200))
	}
	refresh := d.refresher(f)
	refreshed := false
	if f.URL == "" && f.DirectURL == "" && refresh != nil {
		g, err := refresh(ctx, f)
		if err != nil {
			return DownloadResult{Name: f.Name}, fmt.Errorf("cannot download %s: asking the API for its URL failed: %w", f.Name, err)
		}
		f, refreshed = withURLs(f, g), true
	}
	res, err := d.download(ctx, f, dest)
	if err == nil || refresh == nil || refreshed || !refusedSignedURL(f, err) {
		return res, err
	}
	g, rerr := refresh(ctx, f)
	if rerr != nil {
		return res, fmt.Errorf("%w; asking the API for a fresh URL failed: %w", err, rerr)
	}
	res, err = d.download(ctx, withURLs(f, g), dest)
	if err != nil && refusedSignedURL(f, err) {
		err = fmt.Errorf("%w, also with a fresh URL from the API", err)
	}
	return res, err
}

// refresher returns the way to ask for f again: DownloadOptions.Refresh,
// else, for an artifact's file, its files(names: [path]); nil for a run
// file without DownloadOptions.Refresh.
func (d *downloader) refresher(f File) func(context.Context, File) (File, error) {
	switch {
	case d.opts.Refresh != nil:
		return d.opts.Refresh
	case f.ArtifactID != "":
		return d.c.refreshArtifactFile
	}
	return nil
}

// refusedSignedURL reports a download whose signed URL (f's DirectURL,
// fetched without the key) the storage host refused as expired ones are:
// 400, 401 or 403.
func refusedSignedURL(f File, err error) bool {
	var se *downloadStatusError
	if f.URL != "" || !errors.As(err, &se) {
		return false
	}
	return se.Code == http.StatusBadRequest || se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden
}

// withURLs returns f with the URLs of g, the same file asked for again;
// f's other fields (md5, size) stay what the caller chose to download.
func withURLs(f, g File) File {
	f.URL, f.DirectURL, f.PathURI = g.URL, g.DirectURL, g.PathURI
	return f
}
