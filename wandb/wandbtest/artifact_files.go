package wandbtest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"
)

// maxArtifactFilesPage bounds first for an artifact's files. W&B takes
// more than the runs' 1000 here: the SDK's artifact.download() pages
// files(first: 5000).
const maxArtifactFilesPage = 10000

// artFileConn is a FileConnection of an artifact version: entries by path.
type artFileConn struct {
	v                *artVersion
	entries          []*artEntry
	total            int
	hasNext, hasPrev bool
}

func (c *artFileConn) Len() int       { return len(c.entries) }
func (c *artFileConn) At(i int) value { return vObject(artFileEdge{v: c.v, e: c.entries[i]}) }

func (c *artFileConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.entries), func(i int) string { return c.entries[i].cursor }), nil
	case "totalCount":
		return vInt(int64(c.total)), nil
	case "uploadHeaders":
		return vList(noStrings), nil
	}
	return null, unknownField("FileConnection", name)
}

// artFileEdge is a FileEdge of an artifact version.
type artFileEdge struct {
	v *artVersion
	e *artEntry
}

func (e artFileEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(e.e.cursor), nil
	case "node":
		return vObject(artFile{v: e.v, e: e.e}), nil
	}
	return null, unknownField("FileEdge", name)
}

// artFiles answers a version's files with the paging faults applied.
func (s *Server) artFiles(ec *execCtx, v *artVersion, args map[string]any) (value, error) {
	return s.withPagingFaults(ec, ArtifactFilesConnection, args, func(a map[string]any) (value, error) {
		return artFilesPage(v, a)
	})
}

// artFilesPage answers files(first, after, names) of a version or its
// membership: entries ordered by path, names exact paths (none or an empty
// list: all), totalCount every entry the names select.
func artFilesPage(v *artVersion, args map[string]any) (value, error) {
	first := int64(defaultPageSize)
	if a, ok := args["first"]; ok && a != nil {
		n, err := toInt(a)
		if err != nil {
			return null, err
		}
		first = n
	}
	if first < 0 || first > maxArtifactFilesPage {
		return null, fmt.Errorf("first must be between 0 and %d, got %d", maxArtifactFilesPage, first)
	}
	start := 0
	after, _ := argString(args, "after")
	if after != "" {
		p, err := decodeCursor(after)
		if err != nil {
			return null, err
		}
		start = sort.Search(len(v.entries), func(i int) bool { return v.entries[i].path > p })
	}
	c := &artFileConn{v: v, hasPrev: after != ""}
	limit := int(first)
	names := argStrings(args, "names")
	if len(names) == 0 {
		end := min(start+limit, len(v.entries))
		c.entries, c.total, c.hasNext = v.entries[start:end:end], len(v.entries), end < len(v.entries)
		return vObject(c), nil
	}
	idx := make([]int, 0, len(names))
	for _, n := range names {
		if i, ok := v.byPath[n]; ok {
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)
	idx = dedupe(idx)
	c.total = len(idx)
	for _, i := range idx {
		if i < start {
			continue
		}
		if len(c.entries) == limit {
			c.hasNext = true
			break
		}
		c.entries = append(c.entries, v.entries[i])
	}
	return vObject(c), nil
}

// artFilesByEntries answers filesByManifestEntries, which wandb-core's
// downloader sends with entries of the manifest it read: the files of
// those entries (all when none are given), on one page.
func artFilesByEntries(v *artVersion, args map[string]any) (value, error) {
	if mv, _ := argString(args, "manifestVersion"); mv != "1" {
		return null, fmt.Errorf("manifest version %q is not supported", mv)
	}
	if sl, _ := argString(args, "storageLayout"); sl != "V1" && sl != "V2" {
		return null, fmt.Errorf("storage layout %q is not supported", sl)
	}
	c := &artFileConn{v: v}
	list, given := args["entries"].([]any)
	if !given {
		c.entries = v.entries
	}
	for _, item := range list {
		m, _ := item.(map[string]any)
		n, _ := m["name"].(string)
		if i, ok := v.byPath[n]; ok {
			c.entries = append(c.entries, v.entries[i])
		}
	}
	c.total = len(c.entries)
	return vObject(c), nil
}

// artFile is a File of an artifact: an entry of the version v, or the
// version's manifest.
type artFile struct {
	v        *artVersion
	e        *artEntry
	manifest bool
}

func (f artFile) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	e := f.e
	switch name {
	case "id":
		return vString(opaqueID("File", f.v.numID, e.path)), nil
	case "name", "displayName":
		return vString(e.path), nil
	case "url":
		if up, _ := args["upload"].(bool); up || e.obj == nil || f.manifest {
			return null, nil
		}
		return vString(artV2URL(ec.base, f.v, e)), nil
	case "directUrl":
		if e.obj == nil {
			return vString(e.ref), nil
		}
		return vString(ec.s.signedURL(e.key, ec.now)), nil
	case "sizeBytes":
		return vInt(e.size), nil
	case "mimetype":
		if e.obj != nil {
			return vString(e.obj.spec.mimetype()), nil
		}
		return vString(FileSpec{Name: e.path}.mimetype()), nil
	case "md5":
		if e.obj == nil {
			return null, nil
		}
		return vString(ec.reportedMD5(e.obj.contentMD5())), nil
	case "digest":
		if e.obj == nil {
			return vString(e.refDigest), nil
		}
		return vString(ec.reportedMD5(e.obj.contentMD5())), nil
	case "createdAt", "updatedAt":
		return vTime(e.birth.createdOr(f.v)), nil
	case "deletedAt", "uploadUrl":
		return null, nil
	case "archived", "special":
		return vBool(false), nil
	case "exists":
		return vBool(true), nil
	case "isReference":
		return vBool(e.obj == nil), nil
	case "storageBucket":
		if e.obj == nil {
			return null, nil
		}
		return vString(bucket), nil
	case "storagePath":
		if e.obj == nil {
			return null, nil
		}
		return vString(e.key), nil
	case "uploadHeaders":
		return vList(noStrings), nil
	}
	return null, unknownField("File", name)
}

// createdOr returns when v was created, or when other was for a nil v (a
// reference has no birth version).
func (v *artVersion) createdOr(other *artVersion) time.Time {
	if v == nil {
		return other.created
	}
	return v.created
}

// reportedMD5 is the md5 GraphQL reports for content with md5 sum: the
// sum, or a wrong one under the WrongMD5 fault.
func (ec *execCtx) reportedMD5(sum string) string {
	if !ec.wrongMD5 {
		return sum
	}
	bad := md5.Sum([]byte("wrong:" + sum))
	return base64.StdEncoding.EncodeToString(bad[:])
}

// artV2PathPrefix is the API-host path of artifact files fetched with the
// key: the SDK's fallback when a file has no directUrl.
const artV2PathPrefix = "/artifactsV2/"

// artV2URL returns the API-host URL of a stored entry:
// {base}/artifactsV2/default/{entity}/{project}/{collection}/{artifact
// id}/{birth artifact id}/{hex md5}/{basename}, as the SDK builds it.
func artV2URL(base string, v *artVersion, e *artEntry) string {
	raw, _ := base64.StdEncoding.DecodeString(e.obj.contentMD5())
	c := v.coll
	return base + artV2PathPrefix + "default/" + url.PathEscape(c.entity) + "/" + url.PathEscape(c.project) + "/" +
		url.PathEscape(c.name) + "/" + url.PathEscape(v.id) + "/" + url.PathEscape(e.birth.id) + "/" +
		hex.EncodeToString(raw) + "/" + url.PathEscape(path.Base(e.path))
}

// serveArtifactV2 serves GET {API}/artifactsV2/... with the key.
func (s *Server) serveArtifactV2(w http.ResponseWriter, r *http.Request) {
	s.counters.file.Add(1)
	if s.injectFaults(w, r, FileURL) {
		return
	}
	if !s.requireKey(w, r) {
		return
	}
	obj, err := s.artV2Object(strings.TrimPrefix(r.URL.EscapedPath(), artV2PathPrefix))
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err.Error())
		return
	}
	s.serveBody(w, r, FileURL, obj)
}

// artV2Object finds the stored bytes an artifactsV2 path names.
func (s *Server) artV2Object(escaped string) (*fileData, error) {
	segs := strings.Split(escaped, "/")
	if len(segs) != 8 {
		return nil, errors.New("not an artifact file path")
	}
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil {
			return nil, errors.New("not an artifact file path")
		}
		segs[i] = u
	}
	v := s.artVersionByID(segs[4])
	if v == nil || v.coll.entity != segs[1] || v.coll.project != segs[2] || v.coll.name != segs[3] {
		return nil, errors.New("artifact not found")
	}
	for _, e := range v.entries {
		if e.obj == nil || e.birth.id != segs[5] || path.Base(e.path) != segs[7] {
			continue
		}
		raw, _ := base64.StdEncoding.DecodeString(e.obj.contentMD5())
		if hex.EncodeToString(raw) == segs[6] {
			return e.obj, nil
		}
	}
	return nil, errors.New("artifact file not found")
}
