package wandb

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// transfer streams one file into its temporary file and puts it in place.
type transfer struct {
	d       *downloader
	f       File
	src     *url.URL
	withKey bool
	root    *os.Root
	rel     string // target, relative to root
	path    string // target, as the user sees it (for messages)
	tmpRel  string
	tmpPath string

	file    *os.File
	w       io.Writer // file, possibly wrapped by a test seam
	hash    hash.Hash // md5 of the bytes 0..offset of file
	offset  int64     // bytes in the temporary file
	flushed int64     // bytes whose write-out was started (Linux)
	total   int64     // the file's size, -1 while unknown
	// announced is where the last body's Content-Length said it ends
	// (offset + length), 0 when it gave none.
	announced int64
	resumed   bool // bytes before offset came from an earlier attempt
	prog      progressTicker
}

// attemptOutcome says what the fetch loop does after one HTTP attempt.
type attemptOutcome int

const (
	attemptDone  attemptOutcome = iota // the whole body is in the file
	attemptRetry                       // wait, then try again from offset
	attemptFatal                       // give up with the error
)

// run downloads the file and returns what it did and the file's size.
func (t *transfer) run(ctx context.Context) (DownloadStatus, int64, error) {
	if t.d.sliceable(t.f) {
		st, n, fellBack, err := t.runSliced(ctx)
		if !fellBack {
			return st, n, err
		}
	} else if err := t.openTemp(); err != nil {
		return NotDownloaded, 0, err
	}
	retriedFromZero := false
	for {
		leftoverComplete := t.resumed && t.f.SizeKnown() && t.offset == t.f.SizeBytes
		if !leftoverComplete {
			if err := t.fetch(ctx); err != nil {
				return NotDownloaded, 0, t.abandon(err)
			}
		}
		err := t.verify()
		if err == nil {
			break
		}
		if errors.Is(err, errDiskRead) {
			return NotDownloaded, 0, t.abandon(err)
		}
		if t.resumed && !retriedFromZero {
			// The kept bytes may be stale or damaged: one clean try.
			retriedFromZero = true
			if err := t.restart(); err != nil {
				return NotDownloaded, 0, t.abandon(err)
			}
			continue
		}
		t.discard()
		return NotDownloaded, 0, err
	}
	if err := t.file.Sync(); err != nil {
		return NotDownloaded, 0, t.abandon(t.writeError(err))
	}
	return t.finish()
}

// finish puts the verified, synced temporary file in place (see
// putInPlace) and closes it, which releases its lock only now, so no other
// download can take the name over before the rename.
func (t *transfer) finish() (DownloadStatus, int64, error) {
	same, err := t.putInPlace()
	switch {
	case same:
		t.discard()
		t.prog.final(t.offset)
		return UpToDate, t.offset, nil
	case errors.Is(err, ErrExists):
		return NotDownloaded, 0, t.abandon(err)
	case err != nil:
		t.discard()
		return NotDownloaded, 0, localError("cannot put it in place", t.path, err)
	}
	err = t.file.Close()
	t.file = nil
	if err != nil {
		return NotDownloaded, 0, t.writeError(err)
	}
	t.prog.final(t.offset)
	return Downloaded, t.offset, nil
}

// openTemp opens and locks the temporary file and takes over what a
// previous attempt left in it when that can be verified later.
func (t *transfer) openTemp() error {
	file, err := t.openLockedTemp()
	if err != nil {
		return err
	}
	t.file, t.w, t.hash = file, t.d.wrapWriter(file), md5.New()
	fi, err := file.Stat()
	if err != nil {
		return t.abandon(localError("cannot inspect", t.tmpPath, err))
	}
	n := fi.Size()
	if n == 0 {
		return nil
	}
	if t.f.MD5 == "" || (t.f.SizeKnown() && n > t.f.SizeBytes) {
		return t.restart()
	}
	if err := hashPrefix(t.hash, file, n); err != nil {
		return t.abandon(localError("cannot read", t.tmpPath, err))
	}
	t.offset, t.flushed, t.resumed = n, n, true
	return nil
}

// restart empties the temporary file.
func (t *transfer) restart() error {
	if err := t.file.Truncate(0); err != nil {
		return t.writeError(err)
	}
	if _, err := t.file.Seek(0, io.SeekStart); err != nil {
		return t.writeError(err)
	}
	t.hash.Reset()
	t.offset, t.flushed, t.resumed = 0, 0, false
	return nil
}

// errDiskRead marks a verify failure that is about reading the disk, not
// about the bytes: fetching again would not help.
var errDiskRead = errors.New("cannot read back")

// verify checks the md5 of the whole file when the server gave one, and
// what is on disk: its size always and, when bytes came from an earlier
// attempt, its md5 read back from the disk, so a file changed under us
// (another writer, a damaged leftover) never goes into place.
// checkTemp checks the md5 sum computed of the bytes written (when the
// server gave one) and that the temporary file holds the size written:
// the one check before a file is put in place, one stream or sliced.
func (t *transfer) checkTemp(sum []byte, size int64) error {
	if t.f.MD5 != "" {
		if got := md5Base64(sum); got != t.f.MD5 {
			return fmt.Errorf("%w: expected %s, got %s; the file was not put in place: %s", ErrChecksum, t.f.MD5, got, shortPath(t.path))
		}
	}
	fi, err := t.file.Stat()
	if err != nil {
		return fmt.Errorf("%w: %w: %s", errDiskRead, rootErr(err), shortPath(t.tmpPath))
	}
	if fi.Size() != size {
		return fmt.Errorf("%w: the temporary file holds %d bytes, %d were written; the file was not put in place: %s", ErrChecksum, fi.Size(), size, shortPath(t.path))
	}
	return nil
}

func (t *transfer) verify() error {
	if err := t.checkTemp(t.hash.Sum(nil), t.offset); err != nil {
		return err
	}
	if t.f.MD5 == "" || !t.resumed {
		return nil
	}
	h := md5.New()
	if err := hashPrefix(h, io.NewSectionReader(t.file, 0, t.offset), t.offset); err != nil {
		return fmt.Errorf("%w: %w: %s", errDiskRead, rootErr(err), shortPath(t.tmpPath))
	}
	if got := md5Base64(h.Sum(nil)); got != t.f.MD5 {
		return fmt.Errorf("%w: the bytes on disk have md5 %s, expected %s; the file was not put in place: %s", ErrChecksum, got, t.f.MD5, shortPath(t.path))
	}
	return nil
}

// abandon closes the temporary file after a failure, keeps it when a later
// call can resume and verify it, removes it otherwise (always on a full
// disk, to give the space back, and after a body longer than the file,
// whose bytes are suspect), and returns err.
func (t *transfer) abandon(err error) error {
	if isNoSpace(err) {
		t.discard()
		return fmt.Errorf("%w (removed the temporary file to free the space)", err)
	}
	if t.offset > 0 && t.f.MD5 != "" && !errors.Is(err, errTooLong) {
		if t.file != nil {
			t.file.Close()
			t.file = nil
		}
		return err
	}
	t.discard()
	return err
}

// discard removes and closes the temporary file: removed first, while the
// lock is held, so it can never remove another download's file.
func (t *transfer) discard() {
	t.root.Remove(t.tmpRel)
	t.root.Remove(sidecarName(t.rel)) // a sliced download's progress
	if t.file != nil {
		t.file.Close()
		t.file = nil
	}
}

// writeError names the target in a local write failure.
func (t *transfer) writeError(err error) error {
	return localError("cannot write", t.path, err)
}

// progressForRetries is how much further into the file than ever before a
// failed attempt must have got for the retry budget to start afresh. It
// keeps a connection that is cut every few kilobytes from turning one file
// into thousands of requests, while a long download over a flaky link that
// moves on between cuts is never abandoned.
const progressForRetries = 1 << 20

// fetch brings the temporary file to the whole body, retrying transient
// failures. The retry budget (attempts, elapsed time) restarts whenever an
// attempt gets progressForRetries further into the file than any before it.
func (t *transfer) fetch(ctx context.Context) error {
	p := t.d.c.retry
	return retryBody(p, func() int64 { return t.offset },
		func() (attemptOutcome, time.Duration, error) { return t.attempt(ctx) },
		func(try int, lastErr error, wait time.Duration) error {
			t.prog.send(Progress{Done: t.offset, Total: t.total, Retry: try, RetryOf: p.MaxAttempts, Reason: t.d.c.shortReason(lastErr)})
			if err := sleepCtx(ctx, wait); err != nil {
				return t.cancelled(ctx)
			}
			return nil
		})
}

// retryBody is the one retry rule of a body's bytes, a whole file's or
// one slice's: try makes an attempt; at says how far the body has got;
// before runs before each retry (try is its number) to report it and wait
// (an error stops). It gives up after the policy's attempts or elapsed
// time (MaxElapsed 0: no bound, as for GraphQL calls), and the budget
// starts afresh whenever an attempt got progressForRetries further than
// any before it.
func retryBody(p RetryPolicy, at func() int64, try func() (attemptOutcome, time.Duration, error), before func(try int, lastErr error, wait time.Duration) error) error {
	failures, since, best := 0, time.Now(), at()
	var wait time.Duration
	var lastErr error
	for {
		if failures > 0 {
			if failures >= p.MaxAttempts || (p.MaxElapsed > 0 && time.Since(since)+wait > p.MaxElapsed) {
				return fmt.Errorf("%w (gave up after %d attempts)", lastErr, failures)
			}
			if err := before(failures+1, lastErr, wait); err != nil {
				return err
			}
		}
		outcome, retryAfter, err := try()
		switch outcome {
		case attemptDone:
			return nil
		case attemptFatal:
			return err
		}
		if at() >= best+progressForRetries {
			failures, since, best = 0, time.Now(), at()
		}
		failures++
		lastErr = err
		wait = p.wait(failures, retryAfter)
	}
}

func (t *transfer) cancelled(ctx context.Context) error {
	return fmt.Errorf("download of %s cancelled: %w", t.f.Name, ctx.Err())
}

// attempt makes one request from offset and copies its body.
func (t *transfer) attempt(ctx context.Context) (attemptOutcome, time.Duration, error) {
	stall := watchStall(ctx, t.d.stallTimeout, func() { t.prog.stalled(errStalled.Error()) })
	defer stall.stop()
	req, err := http.NewRequestWithContext(stall.ctx, http.MethodGet, t.src.String(), nil)
	if err != nil {
		return attemptFatal, 0, fmt.Errorf("cannot download %s: %w", t.f.Name, err)
	}
	// identity: the Go transport would otherwise ask for gzip and undo it,
	// and Range offsets would then count compressed bytes.
	req.Header.Set("Accept-Encoding", "identity")
	if t.offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(t.offset, 10)+"-")
	}
	t.d.c.prepareDownload(req, t.withKey)
	resp, err := t.d.c.downloadHTTP(t.withKey).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return attemptFatal, 0, t.cancelled(ctx)
		}
		err = stall.explain(err)
		if !retryableError(err) {
			return attemptFatal, 0, t.netError(err)
		}
		return attemptRetry, 0, t.netError(err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL

	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		if t.offset > 0 {
			// The server ignored the Range header: start over.
			if err := t.restart(); err != nil {
				return attemptFatal, 0, err
			}
		}
	case code == http.StatusPartialContent:
		start, size := parseContentRange(resp.Header.Get("Content-Range"))
		if start != t.offset {
			if err := t.restart(); err != nil {
				return attemptFatal, 0, err
			}
			return attemptRetry, 0, fmt.Errorf("downloading %s from %s: asked for bytes from %d, got a part from %d", t.f.Name, final.Host, t.offset, start)
		}
		if size >= 0 && t.total < 0 {
			t.total = size
		}
		t.resumed = t.offset > 0 || t.resumed
	case code == http.StatusRequestedRangeNotSatisfiable && t.offset > 0:
		return t.rangeRefused(resp)
	case retryableStatus(code):
		io.CopyN(io.Discard, resp.Body, 4<<10) // lets the connection be reused
		return attemptRetry, retryAfter(resp, time.Now()), t.d.c.statusError("downloading", t.f.Name, resp)
	default:
		return attemptFatal, 0, t.d.c.statusError("downloading", t.f.Name, resp)
	}
	t.announced = 0
	if resp.ContentLength >= 0 {
		t.announced = t.offset + resp.ContentLength
		if t.total < 0 {
			t.total = t.announced
		}
	}
	return t.copyBody(ctx, stall, resp)
}

// rangeRefused handles a 416 to a Range from offset. When the last body
// ended short of its Content-Length and the server now says the file ends
// where that body did, its Content-Length lied: retrying cannot help.
// Otherwise our bytes do not fit the file as it is now: start over, which
// counts as a failed attempt so a server that keeps doing this cannot
// keep the download going for ever.
func (t *transfer) rangeRefused(resp *http.Response) (attemptOutcome, time.Duration, error) {
	host := resp.Request.URL.Host
	if _, size := parseContentRange(resp.Header.Get("Content-Range")); size == t.offset && t.announced > t.offset {
		return attemptFatal, 0, fmt.Errorf("%w: downloading %s from %s: the body ended after %d of the %d bytes its Content-Length announced, and the server has no more (HTTP 416)",
			errShortBody, t.f.Name, host, t.offset, t.announced)
	}
	from := t.offset
	if err := t.restart(); err != nil {
		return attemptFatal, 0, err
	}
	return attemptRetry, 0, fmt.Errorf("downloading %s from %s: a Range from byte %d was refused (HTTP 416); starting over", t.f.Name, host, from)
}

// errShortBody marks a body that keeps ending before its Content-Length.
var errShortBody = errors.New("the server's Content-Length is longer than its file")

// errTooLong marks a body longer than the file's size from the listing.
var errTooLong = errors.New("server sent more bytes than the file's size")

// sizeLimit is the most bytes the file may have: its size from the
// listing when an md5 is there to check the whole, else -1 (no limit: the
// size alone is only a hint, and the bytes on disk are the truth).
func (t *transfer) sizeLimit() int64 {
	if t.f.MD5 != "" && t.f.SizeKnown() {
		return t.f.SizeBytes
	}
	return -1
}

// tooLong explains a body longer than sizeLimit.
func (t *transfer) tooLong(host string) error {
	return fmt.Errorf("%w: downloading %s from %s: more than %d bytes", errTooLong, t.f.Name, host, t.f.SizeBytes)
}

// netError describes a failed request without echoing its URL, which may
// be a signed one.
func (t *transfer) netError(err error) error {
	host, err := unwrapURLError(err, t.src.Host)
	return fmt.Errorf("downloading %s from %s: %w", t.f.Name, host, err)
}

// unwrapURLError takes the cause out of the *url.Error net/http returns,
// whose message holds the whole URL (a signed one carries its signature),
// and returns the host it was for (fallback when there is no *url.Error,
// or its URL cannot be parsed) with that cause.
func unwrapURLError(err error, fallback string) (string, error) {
	host := fallback
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			host = u.Host
		}
		err = ue.Err
	}
	return host, err
}

// parseContentRange reads "bytes start-end/size" (size may be "*") or a
// 416's "bytes */size"; start is -1 when the header is unusable or has
// none, size -1 when unknown.
func parseContentRange(v string) (start, size int64) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !ok {
		return -1, -1
	}
	rng, total, ok := strings.Cut(spec, "/")
	if ok && rng == "*" {
		// "bytes */size": the answer of a 416.
		if size, err := strconv.ParseInt(total, 10, 64); err == nil && size >= 0 {
			return -1, size
		}
		return -1, -1
	}
	first, _, ok2 := strings.Cut(rng, "-")
	if !ok || !ok2 {
		return -1, -1
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return -1, -1
	}
	size, err = strconv.ParseInt(total, 10, 64)
	if err != nil {
		size = -1
	}
	return start, size
}
