package wandb

import (
	"crypto/md5"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// fileMD5Of returns the base64 md5 of a local file.
func fileMD5Of(t testing.TB, path string) string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	h := md5.New()
	if _, err := io.Copy(h, fh); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// byName returns the named file of a listing.
func byName(t testing.TB, files []File, name string) File {
	t.Helper()
	for _, f := range files {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("%s is not listed", name)
	return File{}
}

// TestArtifactDownload: an artifact's files download from their signed
// URLs without the key, md5 checked, into dest/NAME/vN keeping their
// paths; a second time they are up to date.
func TestArtifactDownload(t *testing.T) {
	e := newArtEnv(t)
	info := e.artifact(t, demoModel+":best")
	dest, err := info.LocalDir(t.TempDir())
	if err != nil || !strings.HasSuffix(dest, filepath.Join(wandbtest.DemoModelArtifact, "v3")) {
		t.Fatalf("LocalDir: %q, %v", dest, err)
	}
	files := e.allFiles(t, info.ID, 4)
	for _, name := range []string{"README.md", "adapter/adapter_config.json", "tokenizer/tokenizer.json", "adapter/adapter_model.safetensors"} {
		f := byName(t, files, name)
		res, err := e.c.Download(e.ctx, f, dest, DownloadOptions{})
		if err != nil || res.Status != Downloaded || res.Bytes != f.SizeBytes {
			t.Fatalf("%s: %+v, %v", name, res, err)
		}
		if got := fileMD5Of(t, filepath.Join(dest, filepath.FromSlash(name))); got != f.MD5 {
			t.Errorf("%s: md5 %s on disk, listed %s", name, got, f.MD5)
		}
		if res, err := e.c.Download(e.ctx, f, dest, DownloadOptions{}); err != nil || res.Status != UpToDate {
			t.Errorf("%s again: %+v, %v", name, res, err)
		}
	}
	if st := e.srv.Stats(); st.StorageAuthRejected != 0 || st.FileRequests != 0 {
		t.Errorf("the key went to storage %d times; %d requests to the API host's file URLs", st.StorageAuthRejected, st.FileRequests)
	}
	bad := ArtifactInfo{Collection: "../x", Version: 1}
	if _, err := bad.LocalDir(t.TempDir()); !errors.Is(err, ErrUnsafeName) {
		t.Errorf("LocalDir of %q: %v", bad.Collection, err)
	}
}

// TestArtifactDownloadFaults: a wrong md5 fails the file and leaves
// nothing; cut bodies resume to the right bytes.
func TestArtifactDownloadFaults(t *testing.T) {
	e := newArtEnv(t)
	info := e.artifact(t, demoModel+":v1")
	dest := t.TempDir()
	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	f := byName(t, e.allFiles(t, info.ID, 50), "adapter/adapter_model.safetensors")
	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{})
	if _, err := e.c.Download(e.ctx, f, dest, DownloadOptions{}); !errors.Is(err, ErrChecksum) {
		t.Errorf("wrong md5: %v", err)
	}
	if got := tree(t, dest); len(got) != 1 || got[0] != "adapter" {
		t.Errorf("after a wrong md5 the destination holds %q", got)
	}
	e.srv.SetFaults(wandbtest.Storage, wandbtest.Faults{CutBodyAfter: 3 << 20, CutBodyTimes: 2})
	f = byName(t, e.allFiles(t, info.ID, 50), "adapter/adapter_model.safetensors")
	res, err := e.c.Download(e.ctx, f, dest, DownloadOptions{})
	if err != nil || !res.Resumed || fileMD5Of(t, res.Path) != f.MD5 {
		t.Errorf("cut bodies: %+v, %v", res, err)
	}
	if e.srv.Stats().CutBodies != 2 {
		t.Errorf("%d bodies cut, want 2", e.srv.Stats().CutBodies)
	}
}

// TestArtifactReferencesNeverDownloaded: a reference entry, listed or from
// the manifest, is refused with ErrReference before any request.
func TestArtifactReferencesNeverDownloaded(t *testing.T) {
	e := newArtEnv(t)
	info := e.artifact(t, demoRefs+":latest")
	m, err := e.c.ArtifactManifest(e.ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir()
	rows := append(e.allFiles(t, info.ID, 50), m.Files(info.ID)...)
	e.srv.ResetStats()
	refs := 0
	for _, f := range rows {
		if !f.IsReference() {
			continue
		}
		refs++
		if _, err := e.c.Download(e.ctx, f, dest, DownloadOptions{}); !errors.Is(err, ErrReference) || !strings.Contains(err.Error(), f.Ref) {
			t.Errorf("%s: %v; want ErrReference naming %s", f.Name, err, f.Ref)
		}
	}
	if refs != 2*wandbtest.DemoRefsEntries {
		t.Errorf("%d references, want %d", refs, 2*wandbtest.DemoRefsEntries)
	}
	if st := e.srv.Stats(); st.StorageRequests+st.GraphQLRequests+st.FileRequests != 0 || len(tree(t, dest)) != 0 {
		t.Errorf("references made requests (%+v) or files (%q)", st, tree(t, dest))
	}
}

// TestArtifactHostilePaths: entries whose paths would leave the
// destination or carry control characters are refused; the others land.
func TestArtifactHostilePaths(t *testing.T) {
	e := newArtEnv(t)
	paths := []string{"../escape.txt", "/abs.txt", `a\b.txt`, "dir//x.txt", "./dot.txt", "ctl\x1b[31m.txt", "ok/日本語 データ.csv", "ok/%41_b.txt"}
	var files []wandbtest.ArtifactFile
	for _, p := range paths {
		files = append(files, wandbtest.ArtifactFile{Path: p, Size: 7})
	}
	if err := e.srv.AddArtifact(wandbtest.ArtifactSpec{Entity: "e", Project: "p", Name: "hostile", Type: "dataset",
		Versions: []wandbtest.ArtifactVersion{{Files: files}}}); err != nil {
		t.Fatal(err)
	}
	info := e.artifact(t, "e/p/hostile:v0")
	root := t.TempDir()
	dest, _ := info.LocalDir(filepath.Join(root, "dest"))
	var landed []string
	for _, f := range e.allFiles(t, info.ID, 50) {
		_, err := e.c.Download(e.ctx, f, dest, DownloadOptions{})
		switch {
		case err == nil:
			landed = append(landed, f.Name)
		case !errors.Is(err, ErrUnsafeName):
			t.Errorf("%q: %v; want ErrUnsafeName", f.Name, err)
		}
	}
	slices.Sort(landed)
	if want := []string{"ok/%41_b.txt", "ok/日本語 データ.csv"}; !slices.Equal(landed, want) {
		t.Errorf("landed %q, want %q", landed, want)
	}
	got := tree(t, root)
	want := []string{"dest", "dest/hostile", "dest/hostile/v0", "dest/hostile/v0/ok", "dest/hostile/v0/ok/%41_b.txt", "dest/hostile/v0/ok/日本語 データ.csv"}
	if !slices.Equal(got, want) {
		t.Errorf("files under the root: %q, want %q", got, want)
	}
}

// TestExpiredURLRefreshedOnce: a file listed with an expired signed URL
// downloads: storage refuses it, the API gives the file again with a
// fresh URL, and the download goes on; the caller sees no error.
func TestExpiredURLRefreshedOnce(t *testing.T) {
	e := newArtEnv(t)
	info := e.artifact(t, demoDataset+":v1")
	e.srv.SetURLLifetime(-1)
	files := e.allFiles(t, info.ID, 1000)
	e.srv.SetURLLifetime(0)
	e.srv.ResetStats()
	f := byName(t, files, "README.md")
	var calls int
	res, err := e.c.Download(e.ctx, f, t.TempDir(), DownloadOptions{Progress: func(Progress) { calls++ }})
	if err != nil || res.Status != Downloaded || fileMD5Of(t, res.Path) != f.MD5 {
		t.Fatalf("expired URL: %+v, %v", res, err)
	}
	if st := e.srv.Stats(); st.StorageRequests != 2 || st.GraphQLRequests != 1 {
		t.Errorf("%d storage requests (want the refused one and one more), %d GraphQL (want one refresh)", st.StorageRequests, st.GraphQLRequests)
	}
	// A row of the manifest has no URL: the download asks for it.
	m, err := e.c.ArtifactManifest(e.ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	row := m.Files(info.ID)[0]
	if res, err := e.c.Download(e.ctx, row, t.TempDir(), DownloadOptions{}); err != nil || fileMD5Of(t, res.Path) != row.MD5 {
		t.Errorf("manifest row %s: %+v, %v", row.Name, res, err)
	}
}

// TestExpiredURLRefreshedTwiceFails: when the fresh URL is refused too,
// the download fails clearly after one refresh and leaves nothing.
func TestExpiredURLRefreshedTwiceFails(t *testing.T) {
	e := newArtEnv(t)
	info := e.artifact(t, demoModel+":v2")
	e.srv.SetURLLifetime(-1)
	f := byName(t, e.allFiles(t, info.ID, 50), "adapter/adapter_config.json")
	e.srv.ResetStats()
	dest := t.TempDir()
	_, err := e.c.Download(e.ctx, f, dest, DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "expired?") || !strings.Contains(err.Error(), "also with a fresh URL from the API") ||
		!strings.Contains(err.Error(), "HTTP 403") {
		t.Fatalf("twice expired: %v", err)
	}
	if st := e.srv.Stats(); st.StorageRequests != 2 || st.GraphQLRequests != 1 {
		t.Errorf("%d storage requests, %d GraphQL; want 2 and 1", st.StorageRequests, st.GraphQLRequests)
	}
	if got := tree(t, dest); len(got) != 1 {
		t.Errorf("left %q", got)
	}
	// A refresh that finds the file gone says so.
	gone := f
	gone.Name = "adapter/gone.json"
	if _, err := e.c.Download(e.ctx, gone, dest, DownloadOptions{}); !errors.Is(err, ErrNotListed) || !strings.Contains(err.Error(), "fresh URL") {
		t.Errorf("refresh of a file no longer listed: %v", err)
	}
}

// TestManifestURLRefreshed: an expired manifest URL is asked for again
// once; refused twice it fails clearly.
func TestManifestURLRefreshed(t *testing.T) {
	e := newArtEnv(t)
	e.srv.SetURLLifetime(-1)
	info := e.artifact(t, demoModel+":v0")
	e.srv.SetURLLifetime(0)
	e.srv.ResetStats()
	m, err := e.c.ArtifactManifest(e.ctx, info)
	if err != nil || len(m.Entries) != 9 {
		t.Fatalf("expired manifest URL: %d entries, %v", len(m.Entries), err)
	}
	if st := e.srv.Stats(); st.GraphQLRequests != 1 || st.StorageRequests != 2 {
		t.Errorf("%+v: want one refresh and two storage requests", st)
	}
	e.srv.SetURLLifetime(-1)
	if _, err := e.c.ArtifactManifest(e.ctx, info); err == nil || !strings.Contains(err.Error(), "also with a fresh URL") || !strings.Contains(err.Error(), "manifest") {
		t.Errorf("twice expired manifest: %v", err)
	}
	e.srv.SetURLLifetime(0)
	e.srv.SetFaults(wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 2})
	if _, err := e.c.ArtifactManifest(e.ctx, info); err != nil {
		t.Errorf("manifest through 503s: %v", err)
	}
	e.srv.SetFaults(wandbtest.Storage, wandbtest.Faults{CutBodyAfter: 100, CutBodyTimes: 1})
	if m, err := e.c.ArtifactManifest(e.ctx, info); err != nil || len(m.Entries) != 9 {
		t.Errorf("manifest cut once: %v", err)
	}
}

// TestRunFileRefresh: a run file fetched by its signed URL is asked for
// again with RunFileRefresher; without it, the expiry is the error.
func TestRunFileRefresh(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "ckpt/model.bin", Size: 300 << 10})
	e.srv.SetURLLifetime(-1)
	f := e.direct("ckpt/model.bin")
	e.srv.SetURLLifetime(0)
	if _, err := e.download(f, DownloadOptions{}); err == nil || !strings.Contains(err.Error(), "expired?") {
		t.Fatalf("without a refresher: %v", err)
	}
	run := RunRef{Entity: e.run.Entity, Project: e.run.Project, RunID: e.run.ID}
	res, err := e.download(f, DownloadOptions{Refresh: e.c.RunFileRefresher(run)})
	if err != nil || res.Status != Downloaded {
		t.Fatalf("with a refresher: %+v, %v", res, err)
	}
	e.checkFile("ckpt/model.bin")
}

// TestExpiredMidDownloadResumes: a URL that expires while the body comes
// slowly and is cut is refreshed, and the download resumes from the bytes
// it has rather than starting over.
func TestExpiredMidDownloadResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("takes three seconds: a slow body")
	}
	e := newArtEnv(t)
	info := e.artifact(t, demoModel+":v0")
	e.srv.SetURLLifetime(time.Second) // valid for one to two seconds
	f := byName(t, e.allFiles(t, info.ID, 50), "tokenizer/tokenizer.json")
	e.srv.SetFaults(wandbtest.Storage, wandbtest.Faults{BytesPerSecond: 3 << 20, CutBodyAfter: 7 << 20, CutBodyTimes: 1})
	e.srv.ResetStats()
	res, err := e.c.Download(e.ctx, f, t.TempDir(), DownloadOptions{})
	if err != nil || !res.Resumed || fileMD5Of(t, res.Path) != f.MD5 {
		t.Fatalf("%+v, %v", res, err)
	}
	if st := e.srv.Stats(); st.GraphQLRequests != 1 || st.RangeRequests != 1 || st.CutBodies != 1 {
		t.Errorf("%+v: want one cut, one refresh and one ranged request", st)
	}
}

// TestExpiredURLSlicedDownload: a file big enough to come in slices is
// refreshed the same way when its URL expired.
func TestExpiredURLSlicedDownload(t *testing.T) {
	e := newArtEnv(t)
	info := e.artifact(t, demoModel+":v0")
	e.srv.SetURLLifetime(-1)
	f := byName(t, e.allFiles(t, info.ID, 50), "base/model-00001-of-00002.safetensors")
	e.srv.SetURLLifetime(0)
	e.srv.ResetStats()
	res, err := e.c.Download(e.ctx, f, t.TempDir(), DownloadOptions{SliceThreshold: 1 << 20, MaxSlices: 4})
	if err != nil || res.Status != Downloaded || fileMD5Of(t, res.Path) != f.MD5 {
		t.Fatalf("%+v, %v", res, err)
	}
	if st := e.srv.Stats(); st.GraphQLRequests != 1 || st.RangeRequests < 2 {
		t.Errorf("%+v: want one refresh and ranged slices", st)
	}
}
