package wandb

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ExistingPolicy says what Download does when the target file already exists
// with content other than the run's file (or the server gave no md5 to
// compare with). A target with the same md5 is always left alone and
// reported as UpToDate.
type ExistingPolicy int

const (
	// KeepExisting keeps the existing file and fails the download with
	// ErrExists. It is the default because it never loses data; it is also
	// how the W&B SDK's File.download behaves without replace=True.
	KeepExisting ExistingPolicy = iota
	// Overwrite replaces the existing file (atomically, by rename), as
	// `wandb pull` does. The CLI offers it as --overwrite.
	Overwrite
)

// String returns "keep" or "overwrite".
func (p ExistingPolicy) String() string {
	if p == Overwrite {
		return "overwrite"
	}
	return "keep"
}

// Progress reports how far one file's download has come, and whether it
// is waiting to retry or has stalled.
type Progress struct {
	Name string // the run's file name
	Done int64  // bytes of the file now on disk (including resumed bytes)
	// Total is the file's size, or -1 when unknown. Done never exceeds
	// it: a size the bytes outgrow was only the server's guess, and the
	// call says -1 instead.
	Total int64
	// Retry is the try the download waits to make after a failure (2
	// for the first retry), 0 when it is not waiting. The count starts
	// afresh when a try got much further into the file than any before.
	Retry int
	// RetryOf is the most tries it makes (RetryPolicy.MaxAttempts); set
	// with Retry.
	RetryOf int
	// Reason says briefly why it waits or stalled ("503 Service
	// Unavailable", "connection reset by peer"): one printable line,
	// never the key or a URL; "" otherwise.
	Reason string
	// Stalled reports that no byte came for the stall time: the try is
	// being given up and another follows (a call with Retry set).
	Stalled bool
	// Slices is how many connections fetch slices of the file at once (a
	// large file, see DownloadOptions.SliceThreshold); 0 for one stream.
	Slices int
}

// DefaultProgressInterval is the least time between two progress calls for
// one file when DownloadOptions.ProgressInterval is zero.
const DefaultProgressInterval = 200 * time.Millisecond

// DownloadOptions tunes Download. The zero value is usable.
type DownloadOptions struct {
	// Existing is the policy for a target that exists with other content.
	Existing ExistingPolicy
	// Progress, when set, is called at most once per ProgressInterval per
	// file while bytes are written, once before each wait for a retry and
	// when a try stalls, plus one final call (Done == Total == the file's
	// size) when the file is in place or found up to date; none after a
	// failure. Calls for one file come one after another, from the
	// goroutines of that download; parallel downloads (wandb/runner) make
	// calls for different files concurrently. It must return quickly (send
	// on a channel, say).
	Progress func(Progress)
	// ProgressInterval is the least time between two progress calls for
	// one file; zero means DefaultProgressInterval.
	ProgressInterval time.Duration
	// SliceThreshold is the least size of a file fetched as HTTP Range
	// slices over several connections at once (when the server gives its
	// size and md5); zero means DefaultSliceThreshold, a negative value
	// never. See download_slices.go.
	SliceThreshold int64
	// MaxSlices is the most connections one sliced download uses at once;
	// zero means DefaultMaxSlices, 1 turns slicing off.
	MaxSlices int
	// Conns, when set, lends a sliced download its connections beyond the
	// first, from a budget shared with other downloads; nil lets it use
	// up to MaxSlices of its own.
	Conns Conns
	// Refresh asks the API for a file again (download_refresh.go): when
	// the storage host refuses its signed URL, or it has no URL. Nil means
	// an artifact's file is asked for by path and a run file is not asked
	// for again (Client.RunFileRefresher makes one for a run).
	Refresh func(ctx context.Context, f File) (File, error)
}

// DownloadStatus says what Download did with a file.
type DownloadStatus int

const (
	// NotDownloaded is the zero value: the file was not put in place (the
	// result of a failed download has it), so a result nobody filled in
	// never claims success.
	NotDownloaded DownloadStatus = iota
	// Downloaded means the file was fetched and put in place.
	Downloaded
	// UpToDate means an identical file (same md5) was already in place;
	// nothing was fetched.
	UpToDate
)

// String returns "not downloaded", "downloaded" or "up to date".
func (s DownloadStatus) String() string {
	switch s {
	case NotDownloaded:
		return "not downloaded"
	case Downloaded:
		return "downloaded"
	case UpToDate:
		return "up to date"
	}
	return "DownloadStatus(" + strconv.Itoa(int(s)) + ")"
}

// DownloadResult describes a finished download.
type DownloadResult struct {
	Name   string // the run's file name
	Path   string // where the file is: dest joined with the name
	Status DownloadStatus
	// Bytes is the size of the file now at Path.
	Bytes int64
	// Resumed reports that part of the file came from an earlier,
	// interrupted attempt (a leftover temporary file or a cut connection)
	// and the rest was fetched with an HTTP Range request.
	Resumed bool
}

// Errors returned by the download engine; test for them with errors.Is. The
// returned errors wrap them with a message naming the file or path.
var (
	// ErrUnsafeName is returned for a file name that could lead outside the
	// destination folder or is otherwise odd (empty, ".", "..", absolute,
	// backslashes, control characters, empty segments).
	ErrUnsafeName = errors.New("unsafe file name")
	// ErrChecksum is returned when the downloaded bytes do not have the md5
	// the server gave; the file is then not put in place.
	ErrChecksum = errors.New("md5 checksum mismatch")
	// ErrExists is returned under KeepExisting when the target exists with
	// other (or uncomparable) content; the existing file is kept.
	ErrExists = errors.New("file already exists")
)

// partialSuffix ends the name of the temporary file a download streams into;
// it sits beside the target as ".<base>.wbfiles-partial".
const partialSuffix = ".wbfiles-partial"

// copyBufferSize is the read size of a download: big enough that per-read
// costs vanish next to the copy, small enough to pool freely.
const copyBufferSize = 256 << 10

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, copyBufferSize); return &b }}

// Download fetches the run's file f into dest/<f.Name>, creating dest and
// the folders the name implies.
//
// The body comes from f.URL, sent with the API key only when it is on the
// API host (same scheme, host and port), or, when f.URL is empty, from
// f.DirectURL without credentials. Every redirect hop is checked the same
// way, so a signed storage URL never sees the key.
//
// The file is written only inside dest, through an os.Root, so neither a
// hostile name (ErrUnsafeName) nor a symbolic link inside dest can lead a
// write outside it. Bytes stream through at most 1 MiB of pooled buffers,
// whatever the size, into a temporary file beside the target
// (".<base>.wbfiles-partial"); they are hashed on the way (on helper
// goroutines, so the md5 and the disk overlap with the network), then the
// file is synced and renamed into place: the final name never holds a partial file. When
// f.MD5 is set the whole file must match it, else the temporary file is
// removed and the error wraps ErrChecksum.
//
// An existing target with the same md5 is left alone (Status UpToDate).
// Otherwise opts.Existing decides: KeepExisting fails with ErrExists,
// Overwrite replaces it. Without an md5 from the server the contents cannot
// be compared and the policy applies.
//
// A connection cut mid-body is continued with a Range request from the
// bytes already written (starting over when the server answers 200 or 416);
// 429 and 5xx answers except 501 are retried honouring Retry-After. The
// client's RetryPolicy bounds the tries; its budget starts afresh whenever
// a try got at least 1 MiB further into the file than any before it. If a
// resumed file fails the md5 check it is fetched once more from zero.
//
// When ctx ends the transfer stops promptly and the error wraps ctx.Err().
// The temporary file is kept when it can be resumed (it holds bytes and f
// has an md5 to verify the result), so a later call continues where this
// one stopped; otherwise it is removed. A temporary file is resumed across
// calls only when f.MD5 is set, since nothing else proves the old bytes
// belong to the same file. A full disk (ENOSPC, EDQUOT) removes the
// temporary file to give the space back; any local error names the path.
//
// Two concurrent calls for the same target within one process are
// serialised; the second then usually finds the file UpToDate. Across
// processes, the temporary file is locked while in use (flock, LockFileEx)
// and a download that finds it locked fails at once with ErrBusy. A
// temporary file with other hard links is dropped, never written. Bytes
// kept from an earlier attempt are read back from the disk and checked
// against the md5 before the rename.
//
// Under KeepExisting the final rename never replaces a file (renameat2
// RENAME_NOREPLACE on Linux, link and unlink elsewhere): a file that
// appeared at the target during the download is kept and the download
// fails with ErrExists, or is UpToDate when it has the run's md5. Under
// Overwrite such a file with the run's md5 is left alone too.
//
// A signed URL the storage host refuses (HTTP 400, 401, 403) is asked for
// again once (opts.Refresh) and the download goes on with the fresh one;
// a file without URLs gets them that way first. An artifact's reference
// entry is refused with ErrReference (download_refresh.go).
func (c *Client) Download(ctx context.Context, f File, dest string, opts DownloadOptions) (DownloadResult, error) {
	return c.newDownloader(opts).downloadRefreshing(ctx, f, dest)
}

// downloader carries the options of one Download and the seams tests use to
// provoke local failures that root cannot trigger with permissions.
type downloader struct {
	c            *Client
	opts         DownloadOptions
	stallTimeout time.Duration
	// openTemp opens (creating if needed) the temporary file.
	openTemp func(root *os.Root, name string) (*os.File, error)
	// wrapWriter wraps the temporary file's writer.
	wrapWriter func(io.Writer) io.Writer
	// wrapWriterAt, when set, wraps it for the workers of a sliced
	// download; minPiece and maxPiece bound its pieces.
	wrapWriterAt       func(io.WriterAt) io.WriterAt
	minPiece, maxPiece int64
}

func (c *Client) newDownloader(opts DownloadOptions) *downloader {
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = DefaultProgressInterval
	}
	return &downloader{
		c:            c,
		opts:         opts,
		stallTimeout: defaultStallTimeout,
		openTemp: func(root *os.Root, name string) (*os.File, error) {
			return root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		},
		wrapWriter: func(w io.Writer) io.Writer { return w },
		minPiece:   minSlice,
		maxPiece:   maxSlice,
	}
}

func (d *downloader) download(ctx context.Context, f File, dest string) (DownloadResult, error) {
	res := DownloadResult{Name: f.Name}
	if dest == "" {
		dest = "."
	}
	path, err := LocalPath(dest, f.Name)
	if err != nil {
		return res, err
	}
	res.Path = path
	src, withKey, err := fileSource(f, "download")
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("download of %s cancelled: %w", f.Name, err)
	}
	unlock, err := lockTarget(ctx, path)
	if err != nil {
		return res, fmt.Errorf("download of %s cancelled: %w", f.Name, err)
	}
	defer unlock()

	if err := os.MkdirAll(dest, 0o755); err != nil {
		return res, localError("cannot create the destination folder", dest, err)
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return res, localError("cannot open the destination folder", dest, err)
	}
	defer root.Close()

	rel := filepath.FromSlash(f.Name)
	if dir := filepath.Dir(rel); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			err = rootErr(err)
			if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTDIR) {
				err = fmt.Errorf("a file is in the way: %w", err)
			}
			return res, localError("cannot create a folder", filepath.Join(dest, dir), err)
		}
		// The file's own folder, opened once inside dest: every later
		// step (look, lock, write, rename) names one entry of it, instead
		// of walking the path from dest again each time, a few system
		// calls a folder. It is a root too, so nothing escapes it.
		sub, err := root.OpenRoot(dir)
		if err != nil {
			return res, localError("cannot open a folder", filepath.Join(dest, dir), rootErr(err))
		}
		defer sub.Close()
		root, rel = sub, filepath.Base(rel)
	}

	same, size, err := d.checkExisting(root, rel, path, f)
	if err != nil {
		return res, err
	}
	if same {
		// A temporary file left by an earlier attempt is of no use now.
		root.Remove(tempName(rel))
		res.Status, res.Bytes = UpToDate, size
		if d.opts.Progress != nil {
			d.opts.Progress(Progress{Name: f.Name, Done: size, Total: size})
		}
		return res, nil
	}

	t := &transfer{
		d: d, f: f, src: src, withKey: withKey, root: root,
		rel: rel, path: path,
		tmpRel:  tempName(rel),
		tmpPath: filepath.Join(filepath.Dir(path), tempName(rel)),
		total:   f.SizeBytes,
		prog:    progressTicker{fn: d.opts.Progress, name: f.Name, every: d.opts.ProgressInterval},
	}
	st, n, err := t.run(ctx)
	if err != nil {
		return res, err
	}
	res.Status, res.Bytes, res.Resumed = st, n, t.resumed && st == Downloaded
	return res, nil
}

// fileSource picks the URL to fetch f from, and whether it may carry the
// API key: url (API host, with the key) or, when null, directUrl (signed
// storage, without). what names the action in errors ("download").
func fileSource(f File, what string) (*url.URL, bool, error) {
	raw, withKey := f.URL, true
	if raw == "" {
		raw, withKey = f.DirectURL, false
	}
	if raw == "" {
		return nil, false, fmt.Errorf("cannot %s %s: the server gave neither a url nor a directUrl for it", what, f.Name)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Never echo the URL: a signed URL is a credential of sorts.
		return nil, false, fmt.Errorf("cannot %s %s: its URL is not a valid http(s) URL", what, f.Name)
	}
	return u, withKey, nil
}

// checkExisting reports whether the target already holds f (same md5), and
// applies the policy to a target with other or uncomparable content.
func (d *downloader) checkExisting(root *os.Root, rel, path string, f File) (same bool, size int64, err error) {
	fi, err := root.Lstat(rel)
	if errors.Is(err, os.ErrNotExist) {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, localError("cannot inspect", path, err)
	}
	status := LocalDifferent
	if fi.Mode().IsRegular() {
		status, err = compareLocal(root, rel, fi, f)
		if err != nil {
			return false, 0, localError("cannot read", path, err)
		}
	}
	if status == LocalSame {
		return true, fi.Size(), nil
	}
	if d.opts.Existing == Overwrite {
		if fi.IsDir() {
			return false, 0, fmt.Errorf("cannot overwrite: it is a folder: %s", shortPath(path))
		}
		return false, 0, nil
	}
	if status == LocalUnknown {
		return false, 0, fmt.Errorf("%w (the server gave no md5 to compare with; kept it; --overwrite replaces it): %s", ErrExists, shortPath(path))
	}
	return false, 0, fmt.Errorf("%w and differs from the run's file (kept it; --overwrite replaces it): %s", ErrExists, shortPath(path))
}

// md5Base64 returns the digest the way W&B sends md5s.
func md5Base64(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// hashPrefix feeds the first n bytes of r into h with a pooled buffer.
func hashPrefix(h io.Writer, r io.Reader, n int64) error {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	got, err := io.CopyBuffer(h, io.LimitReader(r, n), *bp)
	if err == nil && got != n {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// fileMD5 returns the base64 md5 of the regular file rel inside root.
func fileMD5(root *os.Root, rel string, size int64) (string, error) {
	fh, err := root.Open(rel)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := md5.New()
	if err := hashPrefix(h, fh, size); err != nil {
		return "", err
	}
	return md5Base64(h.Sum(nil)), nil
}
