package wandb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Run returns the header of the run ref. An unknown project or run (W&B
// answers null) is an error wrapping ErrRunNotFound. When the server sends
// GraphQL errors along with the run, the info is returned with a
// *GraphQLError whose Partial is set.
func (c *Client) Run(ctx context.Context, ref RunRef) (RunInfo, error) {
	if err := ref.check(); err != nil {
		return RunInfo{}, err
	}
	var data struct {
		Project *struct {
			Run *struct {
				ID          string   `json:"id"`
				Name        string   `json:"name"`
				DisplayName string   `json:"displayName"`
				State       string   `json:"state"`
				FileCount   optInt64 `json:"fileCount"`
			} `json:"run"`
		} `json:"project"`
	}
	gqlErr := c.graphql(ctx, opRunInfo, queryRunInfo, runVars(ref), &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return RunInfo{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return RunInfo{}, notFound(ref, gqlErr)
	}
	r := data.Project.Run
	info := RunInfo{Ref: ref, DisplayName: r.DisplayName, State: r.State, FileCount: -1}
	if r.Name != "" {
		info.Ref.RunID = r.Name
	}
	if r.FileCount.ok {
		info.FileCount = int(r.FileCount.v)
	}
	return info, gqlErr
}

// Files returns one page of the run's files: q.First files (DefaultPageSize
// when 0) after the cursor q.After, limited to q.Names or to the LIKE
// pattern q.Pattern (not both). Continue with After set to the page's
// EndCursor while HasNextPage is true.
//
// Nulls the server sends are tolerated: a null sizeBytes gives SizeBytes
// -1, a null url, md5, mimetype or updatedAt the zero value, an edge with a
// null node is skipped, and a null endCursor is replaced by the last edge's
// cursor (what the SDK continues from). When the server sends GraphQL errors
// along with the page, the page is returned with a *GraphQLError whose
// Partial is set.
func (c *Client) Files(ctx context.Context, ref RunRef, q FilesQuery) (FilesPage, error) {
	if err := ref.check(); err != nil {
		return FilesPage{}, err
	}
	if q.First == 0 {
		q.First = DefaultPageSize
	}
	if q.First < 1 || q.First > MaxPageSize {
		return FilesPage{}, fmt.Errorf("page size %d is out of range: want 1 to %d", q.First, MaxPageSize)
	}
	if len(q.Names) > 0 && q.Pattern != "" {
		return FilesPage{}, errors.New("querying files by both names and pattern is not supported: give one or the other")
	}
	var data filesData
	gqlErr := c.graphql(ctx, opRunFiles, queryRunFiles, filesVars(ref, q), &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return FilesPage{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return FilesPage{}, notFound(ref, gqlErr)
	}
	conn := data.Project.Run.Files
	if conn == nil {
		return FilesPage{}, gqlErr
	}
	page := FilesPage{Files: make([]File, 0, len(conn.Edges)), HasNextPage: conn.PageInfo.HasNextPage}
	for i := range conn.Edges {
		if n := conn.Edges[i].Node; n != nil {
			page.Files = append(page.Files, n.file())
		}
	}
	switch {
	case conn.PageInfo.EndCursor != nil:
		page.EndCursor = *conn.PageInfo.EndCursor
	case len(conn.Edges) > 0:
		page.EndCursor = conn.Edges[len(conn.Edges)-1].Cursor
	default:
		// Nothing to continue from: asking again would return this
		// same page forever.
		page.HasNextPage = false
	}
	return page, gqlErr
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
			Files *struct {
				Edges []struct {
					Cursor string    `json:"cursor"`
					Node   *fileNode `json:"node"`
				} `json:"edges"`
				PageInfo struct {
					EndCursor   *string `json:"endCursor"`
					HasNextPage bool    `json:"hasNextPage"`
				} `json:"pageInfo"`
			} `json:"files"`
		} `json:"run"`
	} `json:"project"`
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
	UpdatedAt string   `json:"updatedAt"`
	MD5       string   `json:"md5"`
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
	}
	if n.SizeBytes.ok {
		f.SizeBytes = n.SizeBytes.v
	}
	if n.UpdatedAt != "" {
		f.UpdatedAt, _ = ParseTime(n.UpdatedAt)
	}
	return f
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

// timeLayouts are the forms of updatedAt seen from W&B servers, most
// common first. time.Parse accepts a fraction of a second in all of them.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
}

// ParseTime reads a W&B timestamp leniently: RFC 3339 with or without a
// zone and a fraction of a second, and with a space instead of the T. A
// time without a zone is UTC, as W&B stores it.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognized time %.40q", s)
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
