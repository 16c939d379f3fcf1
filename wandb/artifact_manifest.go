package wandb

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Manifest is an artifact version's manifest: every entry in one document
// (one GraphQL request at most, and one storage GET), cheaper than paging
// files to count or size a whole artifact or folder. Its rows have no
// URLs: a download asks for them (DownloadOptions.Refresh).
type Manifest struct {
	// Version is the manifest format's version (1).
	Version       int
	StoragePolicy string // "wandb-storage-policy-v1"
	StorageLayout string // "V2"
	// Entries are sorted by path.
	Entries []ManifestEntry
}

// ManifestEntry is one entry of a manifest.
type ManifestEntry struct {
	Path string
	// Digest is the base64 md5 of a stored entry, a reference's checksum
	// (often its ETag).
	Digest string
	// Size is the size in bytes, or -1 when not given.
	Size int64
	// Ref is a reference entry's URI, "" for a stored one.
	Ref string
	// BirthArtifactID is the version that first stored the bytes.
	BirthArtifactID string
}

// maxManifest bounds a manifest document: about 200 bytes an entry, so
// five million entries.
const maxManifest = 1 << 30

// Entry returns the entry of path.
func (m Manifest) Entry(path string) (ManifestEntry, bool) {
	i := sort.Search(len(m.Entries), func(i int) bool { return m.Entries[i].Path >= path })
	if i < len(m.Entries) && m.Entries[i].Path == path {
		return m.Entries[i], true
	}
	return ManifestEntry{}, false
}

// Files returns the entries as File rows of the version artifactID: no
// URLs, MD5 the digest of a stored entry, Ref and BirthArtifactID set.
func (m Manifest) Files(artifactID string) []File {
	files := make([]File, len(m.Entries))
	for i, e := range m.Entries {
		f := File{Name: e.Path, SizeBytes: e.Size, Digest: e.Digest, Ref: e.Ref,
			BirthArtifactID: e.BirthArtifactID, ArtifactID: artifactID}
		if e.Ref == "" {
			f.MD5 = e.Digest
		}
		files[i] = f
	}
	return files
}

// ManifestTotals counts the entries under a folder.
type ManifestTotals struct {
	// Files and Bytes are the stored entries, which a download fetches;
	// UnknownSizes of them have no size.
	Files        int
	Bytes        int64
	UnknownSizes int
	// References and ReferenceBytes are the reference entries, which
	// are never downloaded.
	References     int
	ReferenceBytes int64
}

// Totals counts the entries whose path starts with prefix ("" for all,
// "data/" for a folder).
func (m Manifest) Totals(prefix string) ManifestTotals {
	var t ManifestTotals
	i := sort.Search(len(m.Entries), func(i int) bool { return m.Entries[i].Path >= prefix })
	for ; i < len(m.Entries) && strings.HasPrefix(m.Entries[i].Path, prefix); i++ {
		e := m.Entries[i]
		switch {
		case e.Ref != "":
			t.References++
			t.ReferenceBytes += max(e.Size, 0)
		case e.Size < 0:
			t.Files++
			t.UnknownSizes++
		default:
			t.Files++
			t.Bytes += e.Size
		}
	}
	return t
}

// Digest returns the artifact digest the manifest makes, the SDK's: the
// hex md5 of "wandb-artifact-manifest-v1\n" and "<path>:<digest>\n" of
// every entry in path order. It equals ArtifactInfo.Digest for an
// unchanged manifest.
func (m Manifest) Digest() string {
	h := md5.New()
	io.WriteString(h, "wandb-artifact-manifest-v1\n")
	for _, e := range m.Entries {
		io.WriteString(h, e.Path+":"+e.Digest+"\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ArtifactManifest fetches the manifest of the version info: from
// info.ManifestURL (asking for it when empty) without credentials, with
// the download retries for 429, 5xx and cut connections; a URL the
// storage host refuses (expired) is asked for again once. A manifest of a
// version other than 1 is an error.
func (c *Client) ArtifactManifest(ctx context.Context, info ArtifactInfo) (Manifest, error) {
	raw, refreshed := info.ManifestURL, false
	if raw == "" {
		u, err := c.manifestURL(ctx, info.ID)
		if err != nil {
			return Manifest{}, err
		}
		raw, refreshed = u, true
	}
	for {
		m, err := c.fetchManifest(ctx, info.Name(), raw)
		var se *downloadStatusError
		if err == nil || !errors.As(err, &se) || !refusedStatus(se.Code) {
			return m, err
		}
		if refreshed {
			return Manifest{}, fmt.Errorf("%w, also with a fresh URL from the API", err)
		}
		if raw, err = c.manifestURL(ctx, info.ID); err != nil {
			return Manifest{}, err
		}
		refreshed = true
	}
}

// refusedStatus reports the statuses of an expired signed URL.
func refusedStatus(code int) bool {
	return code == http.StatusBadRequest || code == http.StatusUnauthorized || code == http.StatusForbidden
}

// manifestURL asks for a fresh signed URL of the version's manifest.
func (c *Client) manifestURL(ctx context.Context, id string) (string, error) {
	var data struct {
		Artifact *struct {
			CurrentManifest *struct {
				File *struct {
					DirectURL string `json:"directUrl"`
				} `json:"file"`
			} `json:"currentManifest"`
		} `json:"artifact"`
	}
	gqlErr := c.graphql(ctx, opArtifactManifestURL, queryArtifactManifestURL, map[string]any{"id": id}, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return "", gqlErr
	}
	a := data.Artifact
	if a == nil {
		return "", artifactNotFound("id "+fmt.Sprintf("%q", id), gqlErr)
	}
	if a.CurrentManifest == nil || a.CurrentManifest.File == nil || a.CurrentManifest.File.DirectURL == "" {
		return "", fmt.Errorf("the server gave no manifest URL for artifact %s", id)
	}
	return a.CurrentManifest.File.DirectURL, nil
}

// fetchManifest GETs and parses a manifest, retrying what downloads retry
// within the client's RetryPolicy.
func (c *Client) fetchManifest(ctx context.Context, name, raw string) (Manifest, error) {
	f := File{Name: "the manifest of " + name, DirectURL: raw}
	u, _, err := fileSource(f, "fetch")
	if err != nil {
		return Manifest{}, err
	}
	p := c.retry
	start := time.Now()
	for failures := 0; ; {
		m, retry, wait, err := c.manifestAttempt(ctx, f.Name, u)
		if err == nil || !retry {
			return m, err
		}
		failures++
		wait = p.wait(failures, wait)
		if failures >= p.MaxAttempts || (p.MaxElapsed > 0 && time.Since(start)+wait > p.MaxElapsed) {
			return Manifest{}, fmt.Errorf("%w (gave up after %d attempts)", err, failures)
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return Manifest{}, fmt.Errorf("fetching %s: %w", f.Name, err)
		}
	}
}

// manifestAttempt makes one GET of the manifest: the manifest, or whether
// the failure is worth another try and the wait the server asked for.
func (c *Client) manifestAttempt(ctx context.Context, what string, u *url.URL) (m Manifest, retry bool, wait time.Duration, err error) {
	stall := watchStall(ctx, defaultStallTimeout, nil)
	defer stall.stop()
	req, err := http.NewRequestWithContext(stall.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Manifest{}, false, 0, fmt.Errorf("fetching %s: %w", what, err)
	}
	c.prepareDownload(req, false)
	resp, err := c.downloadHTTP(false).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Manifest{}, false, 0, fmt.Errorf("fetching %s: %w", what, ctx.Err())
		}
		host, cause := unwrapURLError(err, u.Host)
		cause = stall.explain(cause)
		return Manifest{}, retryableError(cause), 0, fmt.Errorf("fetching %s from %s: %w", what, host, cause)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.CopyN(io.Discard, resp.Body, 4<<10)
		return Manifest{}, retryableStatus(resp.StatusCode), retryAfter(resp, time.Now()), c.statusError("fetching", what, resp)
	}
	m, err = parseManifest(capped(stall.reader(resp.Body), maxManifest))
	if err != nil {
		host := resp.Request.URL.Host
		cause := stall.explain(err)
		var syntax *json.SyntaxError
		if errors.As(cause, &syntax) || errors.Is(cause, errBadManifest) {
			return Manifest{}, false, 0, fmt.Errorf("%s from %s: %w", what, host, cause)
		}
		return Manifest{}, retryableError(cause), 0, fmt.Errorf("fetching %s from %s: %w", what, host, cause)
	}
	return m, false, 0, nil
}

// errBadManifest marks a manifest that parses but cannot be used.
var errBadManifest = errors.New("not a usable manifest")

// parseManifest reads a manifest document.
func parseManifest(r io.Reader) (Manifest, error) {
	var doc struct {
		Version             *int   `json:"version"`
		StoragePolicy       string `json:"storagePolicy"`
		StoragePolicyConfig struct {
			StorageLayout string `json:"storageLayout"`
		} `json:"storagePolicyConfig"`
		Contents map[string]struct {
			Digest          string   `json:"digest"`
			Ref             string   `json:"ref"`
			Size            optInt64 `json:"size"`
			BirthArtifactID string   `json:"birthArtifactID"`
		} `json:"contents"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Manifest{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return Manifest{}, fmt.Errorf("%w: it holds more than one JSON document", errBadManifest)
	}
	if doc.Version == nil || *doc.Version != 1 {
		v := "none"
		if doc.Version != nil {
			v = fmt.Sprint(*doc.Version)
		}
		return Manifest{}, fmt.Errorf("%w: its version is %s; this client reads version 1", errBadManifest, v)
	}
	m := Manifest{Version: 1, StoragePolicy: doc.StoragePolicy, StorageLayout: doc.StoragePolicyConfig.StorageLayout,
		Entries: make([]ManifestEntry, 0, len(doc.Contents))}
	for path, e := range doc.Contents {
		me := ManifestEntry{Path: path, Digest: e.Digest, Size: -1, Ref: e.Ref, BirthArtifactID: e.BirthArtifactID}
		if e.Size.ok {
			me.Size = e.Size.v
		}
		m.Entries = append(m.Entries, me)
	}
	sort.Slice(m.Entries, func(i, j int) bool { return m.Entries[i].Path < m.Entries[j].Path })
	return m, nil
}

// capped reads r and fails with errBadManifest after n bytes.
func capped(r io.Reader, n int64) io.Reader {
	left := n
	return readerFunc(func(p []byte) (int, error) {
		if left <= 0 {
			return 0, fmt.Errorf("%w: it is larger than %d MiB", errBadManifest, n>>20)
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
		k, err := r.Read(p)
		left -= int64(k)
		return k, err
	})
}
