package wandb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// apiRetry keeps the retries of API tests quick.
var apiRetry = RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond, MaxElapsed: 20 * time.Second}

// apiTestKey is the key of the API tests' server.
const apiTestKey = "api-test-key-5f2c9d0e7b1a4c3d8e6f"

// newAPIEnv starts a server with runs and returns it with a client that
// has quick retries.
func newAPIEnv(t testing.TB, runs ...wandbtest.RunSpec) (*wandbtest.Server, *Client) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: apiTestKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for _, r := range runs {
		srv.AddRun(r)
	}
	return srv, newTestClient(t, srv.URL(), apiTestKey, apiRetry)
}

// newTestClient returns a client of base with key and policy.
func newTestClient(t testing.TB, base, key string, p RetryPolicy) *Client {
	t.Helper()
	c, err := NewClient(Config{BaseURL: base, APIKey: key, Retry: p, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// manyFiles is a run of n files with names that sort in generation order.
func manyFiles(entity, project, id string, n int) wandbtest.RunSpec {
	r := wandbtest.RunSpec{Entity: entity, Project: project, ID: id, State: "finished", DisplayName: "many-" + id}
	r.Files = make([]wandbtest.FileSpec, n)
	for i := range r.Files {
		r.Files[i] = wandbtest.FileSpec{Name: fmt.Sprintf("media/images/step_%06d.png", i), Size: int64(i % 4096)}
	}
	return r
}

// nullsRef is the reference of wandbtest.NullsRun, the server's scenario
// of every null real servers send.
func nullsRef() RunRef {
	r := wandbtest.NullsRun()
	return RunRef{Entity: r.Entity, Project: r.Project, RunID: r.ID}
}

func TestRunInfo(t *testing.T) {
	_, c := newAPIEnv(t,
		wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", DisplayName: "brisk-sun-42", State: "running",
			Files: []wandbtest.FileSpec{{Name: "a.txt", Size: 1}, {Name: "b.txt", Size: 2}, {Name: "c/d.txt", Size: 3}}},
		wandbtest.NullsRun(), // fileCount: null
		wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "empty", State: "crashed"},
	)
	ctx := context.Background()
	nulls := nullsRef()
	tests := []struct {
		entity, project, id, display, state string
		count                               int
	}{
		{"ent", "proj", "run1", "brisk-sun-42", "running", 3},
		{nulls.Entity, nulls.Project, nulls.RunID, "", "finished", -1},
		{"ent", "proj", "empty", "", "crashed", 0},
	}
	for _, tt := range tests {
		ref := RunRef{Entity: tt.entity, Project: tt.project, RunID: tt.id, Host: "wandb.ai"}
		info, err := c.Run(ctx, ref)
		if err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		if info.Ref != ref || info.State != tt.state || info.FileCount != tt.count {
			t.Errorf("%s: got %+v", tt.id, info)
		}
		if tt.display != "" && info.DisplayName != tt.display {
			t.Errorf("%s: display name %q, want %q", tt.id, info.DisplayName, tt.display)
		}
	}
}

func TestRunNotFound(t *testing.T) {
	srv, c := newAPIEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1"})
	ctx := context.Background()
	for _, ref := range []RunRef{
		{Entity: "ent", Project: "proj", RunID: "nope"},
		{Entity: "ent", Project: "nope", RunID: "run1"},
		{Entity: "nope", Project: "proj", RunID: "run1"},
	} {
		before := srv.Stats().GraphQLRequests
		_, err := c.Run(ctx, ref)
		if !errors.Is(err, ErrRunNotFound) || err.Error() != "run not found: "+ref.String() {
			t.Errorf("Run(%s): err = %v, want run not found: %s", ref, err, ref)
		}
		_, err = c.Files(ctx, ref, FilesQuery{})
		if !errors.Is(err, ErrRunNotFound) || !strings.Contains(err.Error(), ref.String()) {
			t.Errorf("Files(%s): err = %v, want run not found", ref, err)
		}
		if n := srv.Stats().GraphQLRequests - before; n != 2 {
			t.Errorf("%s: %d requests, want 2 (a null is an answer, not retried)", ref, n)
		}
	}
}

// TestFilesFields lists the server's nulls scenario (wandbtest.NullsRun)
// with two files of given metadata added: every null is tolerated, and
// only the edge with a null node is dropped.
func TestFilesFields(t *testing.T) {
	updated := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	run := wandbtest.NullsRun()
	run.Files = append(run.Files,
		wandbtest.FileSpec{Name: "config.yaml", Content: []byte("lr: 0.1\n"), UpdatedAt: updated},
		wandbtest.FileSpec{Name: "media/images/x.png", Size: 12345, Mimetype: "image/png"},
	)
	specs := run.Files
	srv, c := newAPIEnv(t, run)
	page, err := c.Files(context.Background(), nullsRef(), FilesQuery{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]File{}
	for _, f := range page.Files {
		got[f.Name] = f
	}
	if _, ok := got["nulls/node"]; ok || len(page.Files) != len(specs)-1 {
		t.Errorf("got %d files; the edge with a null node must be skipped, the others kept", len(page.Files))
	}
	for _, s := range specs {
		f, ok := got[s.Name]
		if s.NullNode || !ok {
			continue
		}
		if f.ID == "" {
			t.Errorf("%s: empty id", s.Name)
		}
		wantSize := s.Size
		if s.Content != nil {
			wantSize = int64(len(s.Content))
		}
		switch {
		case s.NullSize:
			if f.SizeBytes != -1 || f.SizeKnown() {
				t.Errorf("%s: null sizeBytes gave %d, want -1", s.Name, f.SizeBytes)
			}
		case f.SizeBytes != wantSize:
			t.Errorf("%s: size %d, want %d", s.Name, f.SizeBytes, wantSize)
		}
		if (f.URL == "") != s.NullURL {
			t.Errorf("%s: url %q (null: %v)", s.Name, f.URL, s.NullURL)
		}
		if s.NullURL == false && !strings.HasPrefix(f.URL, srv.URL()+"/") {
			t.Errorf("%s: url %q is not on the API host", s.Name, f.URL)
		}
		if (f.DirectURL == "") != s.EmptyDirectURL {
			t.Errorf("%s: directUrl %q (empty: %v)", s.Name, f.DirectURL, s.EmptyDirectURL)
		}
		if !s.EmptyDirectURL && !strings.HasPrefix(f.DirectURL, srv.StorageURL()+"/") {
			t.Errorf("%s: directUrl %q is not on the storage host", s.Name, f.DirectURL)
		}
		if f.PathURI != "" {
			t.Errorf("%s: path URI %q for a non-S3 URL", s.Name, f.PathURI)
		}
		if want := s.MD5(); (s.NullMD5 && f.MD5 != "") || (!s.NullMD5 && f.MD5 != want) {
			t.Errorf("%s: md5 %q, want %q (null: %v)", s.Name, f.MD5, want, s.NullMD5)
		}
		if (f.Mimetype == "") != s.NullMimetype {
			t.Errorf("%s: mimetype %q (null: %v)", s.Name, f.Mimetype, s.NullMimetype)
		}
		if (f.UpdatedAt.IsZero()) != s.NullUpdatedAt {
			t.Errorf("%s: updatedAt %v (null: %v)", s.Name, f.UpdatedAt, s.NullUpdatedAt)
		}
	}
	if f := got["config.yaml"]; !f.UpdatedAt.Equal(updated) {
		t.Errorf("config.yaml updatedAt %v, want %v", f.UpdatedAt, updated)
	}
	if f := got["media/images/x.png"]; f.Mimetype != "image/png" {
		t.Errorf("x.png mimetype %q", f.Mimetype)
	}
}

// allNames pages through the run with q and returns the names in order and
// the number of pages.
func allNames(t testing.TB, c *Client, ref RunRef, q FilesQuery) ([]string, int) {
	t.Helper()
	var names []string
	pages := 0
	for {
		page, err := c.Files(context.Background(), ref, q)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		for _, f := range page.Files {
			names = append(names, f.Name)
		}
		if !page.HasNextPage {
			return names, pages
		}
		if page.EndCursor == "" || page.EndCursor == q.After {
			t.Fatalf("page %d: cursor %q does not advance", pages, page.EndCursor)
		}
		q.After = page.EndCursor
	}
}

func TestFilesPaging(t *testing.T) {
	const n = 2500
	run := manyFiles("ent", "proj", "big", n)
	srv, c := newAPIEnv(t, run)
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "big"}
	want := make([]string, n)
	for i, f := range run.Files {
		want[i] = f.Name
	}
	for _, size := range []int{0, 41, 333, 1000} {
		before := srv.Stats().GraphQLRequests
		got, pages := allNames(t, c, ref, FilesQuery{First: size})
		if !slices.Equal(got, want) {
			t.Errorf("page size %d: got %d names, want exactly the %d in order", size, len(got), n)
		}
		eff := size
		if eff == 0 {
			eff = DefaultPageSize
		}
		if wantPages := (n + eff - 1) / eff; pages != wantPages {
			t.Errorf("page size %d: %d pages, want %d", size, pages, wantPages)
		}
		if reqs := srv.Stats().GraphQLRequests - before; reqs != int64(pages) {
			t.Errorf("page size %d: %d requests for %d pages", size, reqs, pages)
		}
	}
}

func TestFilesNames(t *testing.T) {
	_, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 300))
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "big"}
	names := []string{"media/images/step_000299.png", "media/images/step_000007.png", "missing.txt", "media/images/step_000100.png"}
	got, _ := allNames(t, c, ref, FilesQuery{First: 2, Names: names})
	want := []string{"media/images/step_000007.png", "media/images/step_000100.png", "media/images/step_000299.png"}
	if !slices.Equal(got, want) {
		t.Errorf("names: got %q, want %q", got, want)
	}
	// An empty list means all files, as in the SDK.
	all, _ := allNames(t, c, ref, FilesQuery{First: 1000, Names: []string{}})
	if len(all) != 300 {
		t.Errorf("empty names: %d files, want all 300", len(all))
	}
}

func TestFilesPattern(t *testing.T) {
	_, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 300))
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "big"}
	got, _ := allNames(t, c, ref, FilesQuery{First: 3, Pattern: GlobToLike("*_0001?0.PNG")})
	var want []string
	for i := 100; i < 200; i += 10 {
		want = append(want, fmt.Sprintf("media/images/step_%06d.png", i))
	}
	if !slices.Equal(got, want) {
		t.Errorf("pattern: got %q, want %q", got, want)
	}
}

func TestFilesBadQueries(t *testing.T) {
	srv, c := newAPIEnv(t, manyFiles("ent", "proj", "big", 120))
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "big"}
	ctx := context.Background()
	page, err := c.Files(ctx, ref, FilesQuery{})
	if err != nil || len(page.Files) != DefaultPageSize || !page.HasNextPage {
		t.Fatalf("default page: %d files, more %v, err %v", len(page.Files), page.HasNextPage, err)
	}
	before := srv.Stats().GraphQLRequests
	bad := []struct {
		ref RunRef
		q   FilesQuery
		why string
	}{
		{ref, FilesQuery{First: -1}, "page size"},
		{ref, FilesQuery{First: MaxPageSize + 1}, "page size"},
		{ref, FilesQuery{Names: []string{"a"}, Pattern: "%a%"}, "names and pattern"},
		{RunRef{Entity: "ent", Project: "proj"}, FilesQuery{}, "run id is empty"},
		{RunRef{Entity: "ent", Project: "a b", RunID: "x"}, FilesQuery{}, "project"},
	}
	for _, b := range bad {
		_, err := c.Files(ctx, b.ref, b.q)
		if err == nil || !strings.Contains(err.Error(), b.why) {
			t.Errorf("Files(%+v, %+v): err = %v, want one about %s", b.ref, b.q, err, b.why)
		}
	}
	if _, err := c.Run(ctx, RunRef{Entity: "ent", RunID: "x"}); !errors.Is(err, ErrInvalidRunRef) {
		t.Errorf("Run with no project: err = %v", err)
	}
	if n := srv.Stats().GraphQLRequests - before; n != 0 {
		t.Errorf("bad queries sent %d requests, want none", n)
	}
}

func TestViewer(t *testing.T) {
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: apiTestKey, Viewer: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newTestClient(t, srv.URL(), apiTestKey, apiRetry)
	v, err := c.Viewer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v.Username != "alice" || v.ID == "" {
		t.Errorf("viewer %+v", v)
	}
}

func TestPathURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://my-bucket.s3.amazonaws.com/path/to/file.txt?X-Amz-Signature=abc", "s3://my-bucket/path/to/file.txt"},
		{"https://my-bucket.s3.us-west-2.amazonaws.com/a/b%20c.json", "s3://my-bucket/a/b%20c.json"},
		{"http://bucket.s3.amazonaws.com//double/lead", "s3://bucket/double/lead"},
		{"https://bucket.s3.amazonaws.com", "s3://bucket/"},
		{"https://bucket.s3.amazonaws.com/k#frag", "s3://bucket/k"},
		{"https://bucket.s3.amazonaws.com/dir/k;params?q", "s3://bucket/dir/k"},
		{"https://storage.googleapis.com/wandb-production.appspot.com/a/b", ""},
		{"https://account.blob.core.windows.net/c/k", ""},
		{"http://127.0.0.1:1234/bucket/key", ""},
		{"ftp://bucket.s3.amazonaws.com/k", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := PathURI(tt.in); got != tt.want {
			t.Errorf("PathURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 8, 14, 9, 12, 3, 0, time.UTC)
	wantFrac := want.Add(456789 * time.Microsecond)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-08-14T09:12:03Z", want},
		{"2026-08-14T09:12:03", want},
		{"2026-08-14 09:12:03", want},
		{"2026-08-14T09:12:03.456789", wantFrac},
		{"2026-08-14T09:12:03.456789Z", wantFrac},
		{"2026-08-14 09:12:03.456789+00:00", wantFrac},
		{"2026-08-14T11:12:03+02:00", want},
		{"2026-08-14T11:12:03+0200", want},
		{"2026-08-14T04:12:03-05", want},
		{"2026-08-14t09:12:03z", want},
		{" 2026-08-14T09:12:03Z\n", want},
		{"2026-08-14T09:12:03.4567891234Z", want.Add(456789123)},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-08-14", "14/08/2026 09:12", "2026-02-30T00:00:00",
		"2026-13-01T00:00:00", "2026-08-14T24:00:00", "2026-08-14T09:12:03.Z", "2026-08-14T09:12:03+2",
		"2026-08-14T09:12:03+02:0", "2026-08-14T09:12:03Zjunk", "2026-08-14X09:12:03", "２026-08-14T09:12:03"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) succeeded", bad)
		}
	}
}

// TestPageFromJSON checks the conversion of answers the local server does
// not send: a null or empty endCursor (the last edge's cursor is used, JSON
// escapes undone), no edges at all, null nodes.
func TestPageFromJSON(t *testing.T) {
	for _, tc := range []struct {
		body   string
		cursor string
		more   bool
		names  []string
	}{
		{`{"edges":[{"cursor":"a","node":{"name":"x"}},{"cursor":"YWJj","node":null}],"pageInfo":{"endCursor":null,"hasNextPage":true}}`, "YWJj", true, []string{"x"}},
		{`{"edges":[{"cursor":"ab\/c\u002b","node":{"name":"x","sizeBytes":"12"}}],"pageInfo":{"hasNextPage":true}}`, "ab/c+", true, []string{"x"}},
		{`{"edges":[{"cursor":"z","node":{"name":"x"}}],"pageInfo":{"endCursor":"e","hasNextPage":true}}`, "e", true, []string{"x"}},
		{`{"edges":[{"cursor":"z","node":{"name":"x"}}],"pageInfo":{"endCursor":"","hasNextPage":true}}`, "z", true, []string{"x"}},
		{`{"edges":[],"pageInfo":{"endCursor":null,"hasNextPage":true}}`, "", false, nil},
		{`{"edges":[],"pageInfo":{"endCursor":"","hasNextPage":true}}`, "", false, nil},
		{`{"edges":[{"cursor":"c","node":null}],"pageInfo":{"endCursor":null,"hasNextPage":false}}`, "c", false, nil},
	} {
		var conn fileConnJSON
		if err := json.Unmarshal([]byte(tc.body), &conn); err != nil {
			t.Fatal(err)
		}
		p := conn.page()
		var names []string
		for _, f := range p.Files {
			names = append(names, f.Name)
		}
		if p.EndCursor != tc.cursor || p.HasNextPage != tc.more || !slices.Equal(names, tc.names) {
			t.Errorf("%s: got cursor %q more %v names %q", tc.body, p.EndCursor, p.HasNextPage, names)
		}
	}
}
