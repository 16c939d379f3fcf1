package wandbtest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wbfiles/wbfiles/internal/like"
)

// Page sizes of Run.files, as W&B: first defaults to 50, at most 1000.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// cursorPrefix marks this server's cursors. A cursor is the position's
// file name, base64-encoded: opaque to clients, stable when files are
// added, and paging resumes with a binary search instead of a scan.
const cursorPrefix = "wbfc1:"

func encodeCursor(name string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + name))
}

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return "", fmt.Errorf("invalid cursor %q", c)
	}
	return string(b[len(cursorPrefix):]), nil
}

// fileConn is a FileConnection: one page of files.
type fileConn struct {
	files            []*fileData
	hasNext, hasPrev bool
	total            func() int // totalCount, counted when asked
}

func (c *fileConn) Len() int       { return len(c.files) }
func (c *fileConn) At(i int) value { return vObject((*fileEdge)(c.files[i])) }

func (c *fileConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.files), func(i int) string { return c.files[i].cursor }), nil
	case "uploadHeaders":
		return vList(noStrings), nil
	case "totalCount":
		return vInt(int64(c.total())), nil
	}
	return null, unknownField("FileConnection", name)
}

// page answers files(first, after, names, pattern), ordered by name.
func (rd *runData) page(args map[string]any) (value, error) {
	first := int64(defaultPageSize)
	if v, ok := args["first"]; ok && v != nil {
		n, err := toInt(v)
		if err != nil {
			return null, err
		}
		first = n
	}
	if first < 0 {
		return null, errors.New("first must be non-negative")
	}
	if first > maxPageSize {
		return null, fmt.Errorf("first must be at most %d, got %d", maxPageSize, first)
	}
	names := argStrings(args, "names")
	pattern, hasPattern := argString(args, "pattern")
	hasPattern = hasPattern && pattern != ""
	if len(names) > 0 && hasPattern {
		return null, errors.New("names and pattern cannot be used together")
	}

	// start is the index of the first file after the cursor.
	start := 0
	after, hasAfter := argString(args, "after")
	hasAfter = hasAfter && after != ""
	if hasAfter {
		name, err := decodeCursor(after)
		if err != nil {
			return null, err
		}
		start = sort.Search(len(rd.files), func(i int) bool { return rd.files[i].spec.Name > name })
	}
	c := &fileConn{hasPrev: hasAfter, total: func() int { return rd.countFiles(names, pattern) }}
	limit := int(first)
	switch {
	case len(names) > 0:
		idx := make([]int, 0, len(names))
		for _, n := range names {
			if i, ok := rd.byName[n]; ok && i >= start {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		idx = dedupe(idx)
		if len(idx) > limit {
			idx, c.hasNext = idx[:limit], true
		}
		c.files = make([]*fileData, len(idx))
		for k, i := range idx {
			c.files[k] = rd.files[i]
		}
	case hasPattern:
		p := like.Compile(pattern)
		for i := start; i < len(rd.files); i++ {
			if !p.Match(rd.files[i].spec.Name) {
				continue
			}
			if len(c.files) == limit {
				c.hasNext = true
				break
			}
			c.files = append(c.files, rd.files[i])
		}
	default:
		end := min(start+limit, len(rd.files))
		c.files = rd.files[start:end:end]
		c.hasNext = end < len(rd.files)
	}
	return vObject(c), nil
}

func dedupe(s []int) []int {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// argString returns a string argument and whether it was given non-null.
func argString(args map[string]any, name string) (string, bool) {
	s, ok := args[name].(string)
	return s, ok
}

// argStrings returns a [String] argument without its nulls, whatever Go
// type the parser produced: []any from JSON or literals, []string when a
// single variable value was coerced to a list, or a string when a literal
// single value stands for a list of one.
func argStrings(args map[string]any, name string) []string {
	switch l := args[name].(type) {
	case []any:
		out := make([]string, 0, len(l))
		for _, v := range l {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return l
	case string:
		return []string{l}
	}
	return nil
}

// toInt converts an Int argument, whatever Go type the parser produced.
func toInt(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case float64:
		if n == float64(int64(n)) {
			return int64(n), nil
		}
	case interface{ Int64() (int64, error) }:
		return n.Int64()
	}
	return 0, fmt.Errorf("not an integer: %v", v)
}

// urlCache remembers a URL built for one base (and, for signed URLs, one
// server and signing hour: file data is shared between servers, and each
// server signs with its own secret).
type urlCache struct {
	base string
	srv  uint64
	hour int64
	url  string
}

// apiURL returns the file's url for the API base, cached per base.
func (f *fileData) apiURL(base string) string {
	if c := f.apiURLc.Load(); c != nil && c.base == base {
		return c.url
	}
	u := fileURL(base, f)
	f.apiURLc.Store(&urlCache{base: base, url: u})
	return u
}

// cachedDirectURL returns the file's signed URL, cached per storage base
// and signing hour.
func (s *Server) cachedDirectURL(f *fileData, now time.Time) string {
	if _, _, cacheable := s.signingWindow(now); !cacheable {
		return s.directURL(f, now)
	}
	base, hour := s.StorageURL(), now.Unix()/3600
	if c := f.directURLc.Load(); c != nil && c.base == base && c.srv == s.id && c.hour == hour {
		return c.url
	}
	u := s.directURL(f, now)
	f.directURLc.Store(&urlCache{base: base, srv: s.id, hour: hour, url: u})
	return u
}
