package wandb

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestDownloadByteForByte(t *testing.T) {
	files := []wandbtest.FileSpec{
		{Name: "config.yaml", Content: []byte("lr:\n  value: 0.0002\n")},
		{Name: "empty.txt", Content: []byte{}},
		{Name: "media/with space ünïcode 100% _x_.txt", Size: 1000},
		{Name: "a/b/c/d/e/f/g/deep.bin", Size: 300 << 10},
		{Name: "big.bin", Size: 3<<20 + 17},
	}
	e := newDLEnv(t, files...)
	var want []string
	for _, f := range files {
		r := e.mustDownload(f.Name, DownloadOptions{})
		wantPath := filepath.Join(e.dest, filepath.FromSlash(f.Name))
		if r.Status != Downloaded || r.Path != wantPath || r.Bytes != f.Len() || r.Resumed || r.Name != f.Name {
			t.Errorf("%s: result %+v, want Downloaded %d bytes at %s", f.Name, r, f.Len(), wantPath)
		}
		want = append(want, f.Name)
	}
	// Only the files and their folders: no temporary files left behind.
	for _, p := range tree(t, e.dest) {
		if fi, _ := os.Stat(filepath.Join(e.dest, p)); fi.IsDir() {
			continue
		}
		if !slices.Contains(want, p) {
			t.Errorf("unexpected file %s in dest", p)
		}
	}
	if st := e.srv.Stats(); st.FileRequests != int64(len(files)) || st.StorageRequests != 0 {
		t.Errorf("stats %+v, want %d file requests and no storage request", st, len(files))
	}
}

func TestDownloadDirectURLOnly(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "out/model.bin", Size: 700 << 10})
	f := e.direct("out/model.bin")
	r, err := e.download(f, DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.checkFile("out/model.bin")
	st := e.srv.Stats()
	if r.Status != Downloaded || st.StorageRequests != 1 || st.FileRequests != 0 || st.StorageAuthRejected != 0 {
		t.Errorf("result %+v stats %+v: want one clean storage request", r, st)
	}

	none := File{Name: "nowhere.txt", SizeBytes: 3}
	if _, err := e.download(none, DownloadOptions{}); err == nil || !strings.Contains(err.Error(), "neither a url nor a directUrl") {
		t.Errorf("no URL at all: err %v", err)
	}
}

// TestDownloadRedirectDropsKey follows the API file URL's 302 to the storage
// host, another port on the same 127.0.0.1: the storage host refuses any
// request with an Authorization header, so success proves the key stayed
// home. The control shows net/http alone would have leaked it.
func TestDownloadRedirectDropsKey(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "weights.bin", Size: 200 << 10})
	e.srv.SetRedirectFileURL(true)
	f := e.file("weights.bin")
	if !strings.HasPrefix(f.URL, e.srv.URL()) {
		t.Fatalf("url %q is not on the API host %s", f.URL, e.srv.URL())
	}
	if _, err := e.download(f, DownloadOptions{}); err != nil {
		t.Fatal(err)
	}
	e.checkFile("weights.bin")
	st := e.srv.Stats()
	if st.FileRequests != 1 || st.StorageRequests != 1 || st.StorageAuthRejected != 0 || st.AuthRejected != 0 {
		t.Fatalf("stats %+v: want one API hop, one storage hop, no key at storage", st)
	}

	// Control: the default redirect policy keeps Authorization across ports.
	req, _ := http.NewRequest(http.MethodGet, f.URL, nil)
	req.SetBasicAuth("api", e.srv.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := e.srv.Stats().StorageAuthRejected; got != 1 || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("control: status %d, StorageAuthRejected %d; want 403 and 1 (the check must catch a leak)", resp.StatusCode, got)
	}
}

func TestDownloadHTTPErrors(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "a.txt", Size: 10})
	f := e.file("a.txt")
	host := strings.TrimPrefix(e.srv.URL(), "http://")

	bad, err := NewClient(Config{BaseURL: e.srv.URL(), APIKey: "wrong-key", Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Download(context.Background(), f, e.dest, DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "API key was rejected by "+host) || strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("wrong key: %v", err)
	}

	missing := f
	missing.URL = strings.Replace(f.URL, "a.txt", "b.txt", 1)
	missing.MD5 = ""
	if _, err := e.download(missing, DownloadOptions{}); err == nil || !strings.Contains(err.Error(), "not found at "+host) {
		t.Errorf("missing file: %v", err)
	}

	expired := e.direct("a.txt")
	expired.DirectURL = strings.Replace(expired.DirectURL, "X-Goog-Signature=", "X-Goog-Signature=00", 1)
	_, err = e.download(expired, DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "signed URL was refused") || strings.Contains(err.Error(), "X-Goog-Signature") {
		t.Errorf("bad signature: %v", err)
	}
	before := e.srv.Stats()
	if before.FileRequests != 2 || before.StorageRequests != 1 {
		t.Errorf("stats %+v: 4xx answers must not be retried", before)
	}
	if got := tree(t, e.dest); len(got) != 0 {
		t.Errorf("failed downloads left %v", got)
	}
}

func TestDownloadChecksumMismatch(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "ckpt/model.pt", Size: 100 << 10})
	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	f := e.file("ckpt/model.pt")
	_, err := e.download(f, DownloadOptions{})
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err %v, want ErrChecksum", err)
	}
	path := filepath.Join(e.dest, "ckpt", "model.pt")
	want := e.specs["ckpt/model.pt"].MD5()
	for _, s := range []string{path, "expected " + f.MD5, "got " + want} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	assertAbsent(t, path)
	if p := partials(t, e.dest); len(p) != 0 {
		t.Errorf("temporary files left: %v", p)
	}
}

func TestDownloadUpToDateSkips(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "logs/output.log", Size: 50 << 10})
	e.mustDownload("logs/output.log", DownloadOptions{})
	stale := filepath.Join(e.dest, "logs", ".output.log"+partialSuffix)
	if err := os.WriteFile(stale, []byte("left over"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := e.srv.Stats()
	var last Progress
	r, err := e.download(e.file("logs/output.log"), DownloadOptions{Progress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	after := e.srv.Stats()
	if r.Status != UpToDate || r.Bytes != 50<<10 {
		t.Errorf("result %+v, want UpToDate", r)
	}
	if after.FileRequests != before.FileRequests || after.StorageRequests != before.StorageRequests {
		t.Errorf("an up-to-date file was fetched again: %+v → %+v", before, after)
	}
	assertAbsent(t, stale)
	if last.Done != 50<<10 || last.Total != 50<<10 {
		t.Errorf("final progress %+v", last)
	}
	if got := r.Status.String(); got != "up to date" {
		t.Errorf("String() = %q", got)
	}
}

func TestDownloadExistingDifferent(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "config.yaml", Content: []byte("lr: 0.1\n")})
	path := filepath.Join(e.dest, "config.yaml")
	if err := os.MkdirAll(e.dest, 0o755); err != nil {
		t.Fatal(err)
	}
	// Same size, other bytes: only the md5 can tell.
	if err := os.WriteFile(path, []byte("lr: 0.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := e.file("config.yaml")
	_, err := e.download(f, DownloadOptions{})
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), path) {
		t.Fatalf("keep: err %v, want ErrExists naming %s", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "lr: 0.2\n" {
		t.Fatalf("KeepExisting changed the file: %q", b)
	}
	noMD5 := f
	noMD5.MD5 = ""
	if _, err := e.download(noMD5, DownloadOptions{}); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "no md5") {
		t.Errorf("keep without md5: %v", err)
	}
	if st := e.srv.Stats(); st.FileRequests != 0 {
		t.Errorf("kept files were fetched: %+v", st)
	}
	r, err := e.download(f, DownloadOptions{Existing: Overwrite})
	if err != nil || r.Status != Downloaded {
		t.Fatalf("overwrite: %+v %v", r, err)
	}
	e.checkFile("config.yaml")

	// A folder where the file should go is never replaced.
	dirFile := File{Name: "sub", URL: f.URL, MD5: f.MD5, SizeBytes: f.SizeBytes}
	if err := os.MkdirAll(filepath.Join(e.dest, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := e.download(dirFile, DownloadOptions{Existing: Overwrite}); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("overwrite a folder: %v", err)
	}
	if Overwrite.String() != "overwrite" || KeepExisting.String() != "keep" {
		t.Error("ExistingPolicy.String")
	}
}

// TestDownloadStatusOfFailure: a failed download's result must not claim
// the file was downloaded, neither by its Status nor by its text.
func TestDownloadStatusOfFailure(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "r.bin", Size: 10})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 1, ServerErrorStatus: http.StatusNotImplemented})
	res, err := e.download(e.file("r.bin"), DownloadOptions{})
	if err == nil {
		t.Fatal("a download answered 501 succeeded")
	}
	if res.Status != NotDownloaded || res.Status.String() != "not downloaded" {
		t.Errorf("failed download: status %d %q, want NotDownloaded", res.Status, res.Status)
	}
	var zero DownloadResult
	if zero.Status == Downloaded || zero.Status == UpToDate {
		t.Error("the zero DownloadResult says the file is there")
	}

	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{})
	res, err = e.download(e.file("r.bin"), DownloadOptions{})
	if err != nil || res.Status != Downloaded || res.Status.String() != "downloaded" {
		t.Errorf("download: status %q, err %v; want downloaded", res.Status, err)
	}
	res, err = e.download(e.file("r.bin"), DownloadOptions{})
	if err != nil || res.Status != UpToDate || res.Status.String() != "up to date" {
		t.Errorf("second download: status %q, err %v; want up to date", res.Status, err)
	}
	if s := DownloadStatus(42).String(); s == "downloaded" || s == "up to date" {
		t.Errorf("an unknown status prints %q", s)
	}
}
