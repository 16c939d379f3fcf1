package wandb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Files returns one page of the run's files: q.First files (DefaultPageSize
// when 0) after the cursor q.After, limited to q.Names or to the LIKE
// pattern q.Pattern (not both). Continue with After set to the page's
// EndCursor while HasNextPage is true.
//
// Nulls the server sends are tolerated: a null sizeBytes gives SizeBytes
// -1, a null url, md5, mimetype or updatedAt the zero value, an edge with a
// null node is skipped, and a null or empty endCursor is replaced by the
// last edge's cursor (what the SDK continues from); with no cursor at all
// the page is the last.
//
// GraphQL errors the server sends along with the page are the page's
// Warnings, with a nil error: the data is kept. A page that claims more
// but ends at the cursor it was sent is an error wrapping ErrCursorStuck.
func (c *Client) Files(ctx context.Context, ref RunRef, q FilesQuery) (FilesPage, error) {
	if err := ref.check(); err != nil {
		return FilesPage{}, err
	}
	q, err := q.checked()
	if err != nil {
		return FilesPage{}, err
	}
	var data filesData
	gqlErr := c.graphql(ctx, opRunFiles, queryRunFiles, filesVars(ref, q), &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return FilesPage{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return FilesPage{}, notFound(ref, gqlErr)
	}
	return filesResult(data.Project.Run.Files, q.After, gqlErr)
}

// checked returns q with its page size defaulted, or why it cannot be sent.
func (q FilesQuery) checked() (FilesQuery, error) {
	var err error
	if q.First, err = pageSize(q.First); err != nil {
		return q, err
	}
	if len(q.Names) > 0 && q.Pattern != "" {
		return q, errors.New("querying files by both names and pattern is not supported: give one or the other")
	}
	return q, nil
}

// filesResult is the page of conn, the answer to a request that sent the
// cursor after, with the GraphQL errors that came beside it (gqlErr, a
// partial *GraphQLError or nil) as its warnings. A null connection is no
// page: its errors are the error. A cursor that does not advance is an
// error wrapping ErrCursorStuck.
func filesResult(conn *fileConnJSON, after string, gqlErr error) (FilesPage, error) {
	if conn == nil {
		return FilesPage{}, gqlErr
	}
	page := conn.page()
	var trail CursorTrail
	if err := trail.Check(after, page.Info()); err != nil {
		return FilesPage{}, err
	}
	var ge *GraphQLError
	if errors.As(gqlErr, &ge) {
		page.Warnings = ge.Messages
	}
	return page, nil
}

// page converts a files connection.
func (conn *fileConnJSON) page() FilesPage {
	page := FilesPage{Files: make([]File, 0, len(conn.Edges)), HasNextPage: conn.PageInfo.HasNextPage}
	for i := range conn.Edges {
		if n := &conn.Edges[i].Node; n.Name != "" {
			page.Files = append(page.Files, n.file())
		}
	}
	switch {
	case conn.PageInfo.EndCursor != nil && *conn.PageInfo.EndCursor != "":
		page.EndCursor = *conn.PageInfo.EndCursor
	case len(conn.Edges) > 0:
		page.EndCursor = decodeCursor(conn.Edges[len(conn.Edges)-1].Cursor)
	}
	if page.EndCursor == "" {
		// Nothing to continue from: asking again would return the
		// first page.
		page.HasNextPage = false
	}
	return page
}

// decodeCursor turns a raw cursor into its string value, undoing JSON
// escapes should a server use any.
func decodeCursor(raw rawCursor) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
		return string(raw)
	}
	return s
}

// ViewerInfo is the user an API key belongs to.
type ViewerInfo struct {
	ID       string
	Username string
	// Entity is the user's default entity.
	Entity string
}

// Viewer returns the user the API key belongs to. It is a cheap check of
// the key and the host at start-up. A null viewer (the key has no user) is
// an error wrapping ErrUnauthorized.
func (c *Client) Viewer(ctx context.Context) (ViewerInfo, error) {
	var data struct {
		Viewer *struct {
			ID       string `json:"id"`
			Entity   string `json:"entity"`
			Username string `json:"username"`
		} `json:"viewer"`
	}
	if err := c.graphql(ctx, opViewer, queryViewer, nil, &data); err != nil && !isPartial(err) {
		return ViewerInfo{}, err
	}
	if data.Viewer == nil {
		return ViewerInfo{}, fmt.Errorf("%w by %s: it belongs to no user", ErrUnauthorized, c.Host())
	}
	v := data.Viewer
	return ViewerInfo{ID: v.ID, Username: v.Username, Entity: v.Entity}, nil
}

// filesData is the data of GetRunFiles.
type filesData struct {
	Project *struct {
		Run *struct {
			Files *fileConnJSON `json:"files"`
		} `json:"run"`
	} `json:"project"`
}

// fileConnJSON is a FileConnection as the server sends it.
type fileConnJSON struct {
	Edges []struct {
		Cursor rawCursor `json:"cursor"`
		// A null node leaves the zero value, told apart by its empty
		// name (name is String!).
		Node fileNode `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		EndCursor   *string `json:"endCursor"`
		HasNextPage bool    `json:"hasNextPage"`
	} `json:"pageInfo"`
}

// fileNode is a File as the server sends it. A JSON null leaves a string
// empty, which is the zero value File promises.
type fileNode struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	URL       string   `json:"url"`
	DirectURL string   `json:"directUrl"`
	SizeBytes optInt64 `json:"sizeBytes"`
	Mimetype  string   `json:"mimetype"`
	UpdatedAt optTime  `json:"updatedAt"`
	MD5       string   `json:"md5"`
	// Artifact files only (queryArtifactFiles).
	Digest      string `json:"digest"`
	IsReference bool   `json:"isReference"`
}

// file converts a node.
func (n *fileNode) file() File {
	f := File{
		ID:        n.ID,
		Name:      n.Name,
		URL:       n.URL,
		DirectURL: n.DirectURL,
		SizeBytes: -1,
		Mimetype:  n.Mimetype,
		MD5:       n.MD5,
		PathURI:   PathURI(n.DirectURL),
		UpdatedAt: n.UpdatedAt.t,
	}
	if n.SizeBytes.ok {
		f.SizeBytes = n.SizeBytes.v
	}
	if n.Digest != "" || n.IsReference {
		artifactNode(&f, n)
	}
	return f
}

// optTime is a nullable, leniently parsed time; null or an unreadable
// value is the zero time.
type optTime struct{ t time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (o *optTime) UnmarshalJSON(b []byte) error {
	o.t = time.Time{}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		o.t, _ = parseTime(b[1 : len(b)-1])
	}
	return nil
}

// rawCursor keeps an edge's cursor undecoded: only the last edge's is ever
// used. It points into the answer's buffer, which graphql keeps unchanged
// while the page is converted. W&B cursors are plain base64, so the bytes
// between the quotes are the value.
type rawCursor []byte

// UnmarshalJSON implements json.Unmarshaler.
func (c *rawCursor) UnmarshalJSON(b []byte) error {
	*c = nil
	if len(b) >= 2 && b[0] == '"' {
		*c = b[1 : len(b)-1]
	}
	return nil
}

// optInt64 is a nullable integer. W&B's Int64 scalar comes as a JSON
// number; a quoted number is accepted too.
type optInt64 struct {
	v  int64
	ok bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *optInt64) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = optInt64{}
		return nil
	}
	b = bytes.Trim(b, `"`)
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		// A float such as 1.0e3: keep the integer part.
		f, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil {
			return fmt.Errorf("not an integer: %.40q", b)
		}
		v = int64(f)
	}
	*o = optInt64{v: v, ok: true}
	return nil
}

// ParseTime reads a W&B timestamp leniently: RFC 3339 with or without a
// zone ("Z", "+02:00", "+0200", "+02") and a fraction of a second, with a
// space or a T between date and time. A time without a zone is UTC, as W&B
// stores it. The result is in UTC.
func ParseTime(s string) (time.Time, error) {
	t, ok := parseTime(strings.TrimSpace(s))
	if !ok {
		return time.Time{}, fmt.Errorf("unrecognized time %.40q", s)
	}
	return t, nil
}

// parseTime parses by hand so that a page of files costs no allocation for
// its times (time.Parse needs a string, and zones a *time.Location).
func parseTime[T string | []byte](s T) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || s[4] != '-' || s[7] != '-' ||
		(s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	i, nsec := 19, 0
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		i++
		digits := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if digits < 9 {
				nsec = nsec*10 + int(s[i]-'0')
				digits++
			}
		}
		if digits == 0 {
			return time.Time{}, false
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
	}
	offset := 0
	switch {
	case i == len(s):
	case (s[i] == 'Z' || s[i] == 'z') && i+1 == len(s):
	case s[i] == '+' || s[i] == '-':
		oh, ok := num(i+1, 2)
		om := 0
		switch rest := len(s) - (i + 3); {
		case ok && rest == 0:
		case ok && rest == 3 && s[i+3] == ':':
			om, ok = num(i+4, 2)
		case ok && rest == 2:
			om, ok = num(i+3, 2)
		default:
			ok = false
		}
		if !ok || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if s[i] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 April and the like
	}
	return t.Add(-time.Duration(offset) * time.Second), true
}

// s3URL is the SDK's test for an S3 URL (wandb/apis/public/utils.py,
// parse_s3_url_to_s3_uri).
var s3URL = regexp.MustCompile(`^https?://.*s3.*amazonaws\.com.*`)

// PathURI returns the SDK's File.path_uri of a directUrl: s3://bucket/key
// for an S3 URL (the bucket is the host's first label, the key the raw path
// without its leading slash), "" otherwise.
func PathURI(directURL string) string {
	if !strings.Contains(directURL, "amazonaws.com") || !s3URL.MatchString(directURL) {
		return ""
	}
	// Split as Python's urlparse does, on the raw text, so the key keeps
	// its percent-encoding like the SDK's.
	rest := directURL[strings.Index(directURL, "://")+3:]
	netloc, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		netloc, path = rest[:i], rest[i:]
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	// urlparse also splits ;params off the last path segment.
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		if j := strings.IndexByte(path[i:], ';'); j >= 0 {
			path = path[:i+j]
		}
	}
	bucket, _, _ := strings.Cut(netloc, ".")
	return "s3://" + bucket + "/" + strings.TrimLeft(path, "/")
}

// isPartial reports a GraphQL error that came with data.
func isPartial(err error) bool {
	var ge *GraphQLError
	return errors.As(err, &ge) && ge.Partial
}

// notFound returns the error for a null project or run, joined with the
// GraphQL errors that may explain it.
func notFound(ref RunRef, gqlErr error) error {
	err := fmt.Errorf("%w: %s", ErrRunNotFound, ref)
	if gqlErr != nil {
		return fmt.Errorf("%w (%v)", err, gqlErr)
	}
	return err
}
