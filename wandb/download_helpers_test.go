package wandb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// dlEnv is a wandbtest server with one run, a client with short retry
// waits, and a fresh destination folder.
type dlEnv struct {
	t     testing.TB
	srv   *wandbtest.Server
	c     *Client
	run   wandbtest.RunSpec
	specs map[string]wandbtest.FileSpec
	dest  string
}

// testRetry keeps retries quick in tests.
var testRetry = RetryPolicy{MaxAttempts: 5, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond, MaxElapsed: 10 * time.Second}

func newDLEnv(t testing.TB, files ...wandbtest.FileSpec) *dlEnv {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: "download-test-key-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", Files: files}
	srv.AddRun(run)
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	e := &dlEnv{t: t, srv: srv, c: c, run: run, specs: map[string]wandbtest.FileSpec{}, dest: filepath.Join(t.TempDir(), "dest")}
	for _, f := range files {
		e.specs[f.Name] = f
	}
	return e
}

// file returns the run's file name as the server lists it over GraphQL
// (url, directUrl, md5 and size as sent, faults such as WrongMD5 included).
func (e *dlEnv) file(name string) File {
	e.t.Helper()
	const q = `query F($e: String!, $p: String!, $r: String!, $n: [String]) {
  project(name: $p, entityName: $e) { run(name: $r) { files(first: 1000, names: $n) {
    edges { node { id name url(upload: false) directUrl sizeBytes md5 } } } } } }`
	body, _ := json.Marshal(map[string]any{"query": q, "operationName": "F",
		"variables": map[string]any{"e": e.run.Entity, "p": e.run.Project, "r": e.run.ID, "n": []string{name}}})
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/graphql", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("api", e.srv.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Project struct {
				Run struct {
					Files struct {
						Edges []struct {
							Node struct {
								ID, Name  string
								URL       *string
								DirectURL string
								SizeBytes *int64
								MD5       *string
							}
						}
					}
				}
			}
		}
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		e.t.Fatalf("listing %q: %v %v", name, err, out.Errors)
	}
	edges := out.Data.Project.Run.Files.Edges
	if len(edges) != 1 {
		e.t.Fatalf("listing %q: %d edges", name, len(edges))
	}
	n := edges[0].Node
	f := File{ID: n.ID, Name: n.Name, DirectURL: n.DirectURL, SizeBytes: -1}
	if n.URL != nil {
		f.URL = *n.URL
	}
	if n.SizeBytes != nil {
		f.SizeBytes = *n.SizeBytes
	}
	if n.MD5 != nil {
		f.MD5 = *n.MD5
	}
	return f
}

// direct returns the file with only its signed directUrl.
func (e *dlEnv) direct(name string) File {
	f := e.file(name)
	if f.DirectURL == "" {
		e.t.Fatalf("no directUrl for %q", name)
	}
	f.URL = ""
	return f
}

// download runs Download into e.dest with a test deadline.
func (e *dlEnv) download(f File, opts DownloadOptions) (DownloadResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return e.c.Download(ctx, f, e.dest, opts)
}

// mustDownload downloads and checks the bytes on disk.
func (e *dlEnv) mustDownload(name string, opts DownloadOptions) DownloadResult {
	e.t.Helper()
	r, err := e.download(e.file(name), opts)
	if err != nil {
		e.t.Fatalf("Download(%q): %v", name, err)
	}
	e.checkFile(name)
	return r
}

// checkFile asserts dest/name holds exactly the spec's content.
func (e *dlEnv) checkFile(name string) {
	e.t.Helper()
	checkContent(e.t, filepath.Join(e.dest, filepath.FromSlash(name)), e.specs[name].Open())
}

// checkContent compares a file with a reader, streaming both.
func checkContent(t testing.TB, path string, want io.Reader) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatalf("open result: %v", err)
	}
	defer fh.Close()
	got, exp := bufio.NewReaderSize(fh, 64<<10), bufio.NewReaderSize(want, 64<<10)
	var off int64
	a, b := make([]byte, 32<<10), make([]byte, 32<<10)
	for {
		n, errA := io.ReadFull(got, a)
		m, errB := io.ReadFull(exp, b)
		if !bytes.Equal(a[:n], b[:m]) {
			t.Fatalf("%s differs from the server's content near byte %d (got %d, want %d bytes in this block)", path, off, n, m)
		}
		off += int64(n)
		if errA != nil || errB != nil {
			if (errA == nil) != (errB == nil) {
				t.Fatalf("%s: length differs from the server's content after %d bytes", path, off)
			}
			return
		}
	}
}

// tree lists every path under dir (relative, "/"-separated, sorted).
func tree(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// partials lists the temporary files under dir.
func partials(t testing.TB, dir string) []string {
	var out []string
	for _, p := range tree(t, dir) {
		if strings.HasSuffix(p, partialSuffix) {
			out = append(out, p)
		}
	}
	return out
}

// assertAbsent asserts nothing exists at path.
func assertAbsent(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("%s exists (err %v); want nothing there", path, err)
	}
}

// prefixOf returns the first n bytes of a spec's content.
func prefixOf(t testing.TB, spec wandbtest.FileSpec, n int64) []byte {
	t.Helper()
	b, err := io.ReadAll(io.LimitReader(spec.Open(), n))
	if err != nil || int64(len(b)) != n {
		t.Fatalf("prefix: %d bytes, %v", len(b), err)
	}
	return b
}
