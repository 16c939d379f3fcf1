package wandb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

var hostileNames = []struct{ name, why string }{
	{"", "empty"},
	{".", `"."`},
	{"..", `".."`},
	{"../evil.txt", `".."`},
	{"a/../../evil.txt", `".."`},
	{"a/..", `".."`},
	{"./a.txt", `"."`},
	{"a/./b.txt", `"."`},
	{"/etc/passwd", "absolute"},
	{"//server/share/x", "absolute"},
	{`..\evil.txt`, "backslash"},
	{`a\b.txt`, "backslash"},
	{`C:\evil.txt`, "backslash"},
	{"a//b.txt", "empty path segment"},
	{"a/", "empty path segment"},
	{"nul\x00byte", "control character"},
	{"line\nbreak", "control character"},
	{"esc\x1b[31m", "control character"},
	{"del\x7f.txt", "control character"},
	{"csi\u009b31m.txt", "control character"},
	{"nel\u0085.txt", "control character"},
	{"c1\u0080.txt", "control character"},
	{"c1\u009f.txt", "control character"},
	{"bad\xffutf8.txt", "UTF-8"},
	{"half\xc3.txt", "UTF-8"},
	{"x.bin" + partialSuffix, "reserved"},
}

func TestLocalPathRefusesHostileNames(t *testing.T) {
	for _, tc := range hostileNames {
		_, err := LocalPath("/dest", tc.name)
		if !errors.Is(err, ErrUnsafeName) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("LocalPath(%q): %v; want ErrUnsafeName mentioning %s", tc.name, err, tc.why)
		}
	}
	ok := map[string]string{
		"config.yaml":                 "config.yaml",
		"media/images/a b ü%_.png":    "media/images/a b ü%_.png",
		".hidden":                     ".hidden",
		"...":                         "...",
		"a..b/c":                      "a..b/c",
		"deep/er/and/deeper/file.txt": "deep/er/and/deeper/file.txt",
	}
	for name, rel := range ok {
		got, err := LocalPath("/dest", name)
		if err != nil || got != filepath.Join("/dest", filepath.FromSlash(rel)) {
			t.Errorf("LocalPath(%q) = %q, %v", name, got, err)
		}
	}
}

// TestDownloadRefusesHostileNames serves files under hostile names and
// checks nothing is fetched or created, inside or outside dest.
func TestDownloadRefusesHostileNames(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "ok.txt", Size: 10})
	base := filepath.Dir(e.dest)
	good := e.file("ok.txt")
	for _, tc := range hostileNames {
		f := good
		f.Name = tc.name
		_, err := e.download(f, DownloadOptions{Existing: Overwrite})
		if !errors.Is(err, ErrUnsafeName) {
			t.Errorf("Download(%q): %v; want ErrUnsafeName", tc.name, err)
		}
	}
	if got := tree(t, base); len(got) != 0 {
		t.Errorf("hostile names created %v", got)
	}
	if st := e.srv.Stats(); st.FileRequests != 0 {
		t.Errorf("hostile names were fetched: %+v", st)
	}
}

// TestDownloadSymlinksStayInside plants links inside dest that point out of
// it: a folder link, a link at the target and one at the temporary file.
func TestDownloadSymlinksStayInside(t *testing.T) {
	e := newDLEnv(t,
		wandbtest.FileSpec{Name: "link/x.txt", Size: 100},
		wandbtest.FileSpec{Name: "target.txt", Size: 100},
		wandbtest.FileSpec{Name: "tmp.txt", Size: 100},
	)
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(e.dest, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ old, new string }{
		{outside, "link"},
		{victim, "target.txt"},
		{victim, ".tmp.txt" + partialSuffix},
	} {
		if err := os.Symlink(l.old, filepath.Join(e.dest, l.new)); err != nil {
			t.Fatal(err)
		}
	}

	_, err := e.download(e.file("link/x.txt"), DownloadOptions{Existing: Overwrite})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(e.dest, "link")) || !strings.Contains(err.Error(), "escapes") {
		t.Errorf("a download through a folder link leading out of dest: %v", err)
	}
	if _, err := e.download(e.file("target.txt"), DownloadOptions{}); !errors.Is(err, ErrExists) {
		t.Errorf("a link at the target must count as a different file: %v", err)
	}
	// Overwrite replaces the link itself, never the file it points to.
	if _, err := e.download(e.file("target.txt"), DownloadOptions{Existing: Overwrite}); err != nil {
		t.Error(err)
	}
	if fi, err := os.Lstat(filepath.Join(e.dest, "target.txt")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("target.txt: %v %v, want a regular file", fi, err)
	}
	e.checkFile("target.txt")
	// A link planted as the temporary file is replaced, not written through.
	e.mustDownload("tmp.txt", DownloadOptions{})

	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the file outside dest changed: %q", b)
	}
	if got := tree(t, outside); len(got) != 1 {
		t.Errorf("files appeared outside dest: %v", got)
	}
}

func TestLocalState(t *testing.T) {
	e := newDLEnv(t,
		wandbtest.FileSpec{Name: "a/same.txt", Size: 1000},
		wandbtest.FileSpec{Name: "diff.txt", Content: []byte("abc")},
		wandbtest.FileSpec{Name: "missing.txt", Size: 5},
	)
	state := func(f File) LocalStatus {
		t.Helper()
		s, err := LocalState(e.dest, f)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	same := e.file("a/same.txt")
	if s := state(same); s != LocalMissing {
		t.Errorf("before download: %v (dest does not exist yet)", s)
	}
	e.mustDownload("a/same.txt", DownloadOptions{})
	if s := state(same); s != LocalSame {
		t.Errorf("after download: %v", s)
	}
	diff := e.file("diff.txt")
	if err := os.WriteFile(filepath.Join(e.dest, "diff.txt"), []byte("abd"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := state(diff); s != LocalDifferent {
		t.Errorf("same size, other bytes: %v", s)
	}
	diff.MD5 = ""
	if s := state(diff); s != LocalUnknown {
		t.Errorf("no md5: %v", s)
	}
	if s := state(e.file("missing.txt")); s != LocalMissing {
		t.Errorf("missing: %v", s)
	}
	folder := same
	folder.Name = "a"
	if s := state(folder); s != LocalDifferent {
		t.Errorf("a folder: %v", s)
	}
	under := same
	under.Name = "diff.txt/x"
	if s := state(under); s != LocalMissing {
		t.Errorf("below a file: %v", s)
	}
	if _, err := LocalState(e.dest, File{Name: "../x"}); !errors.Is(err, ErrUnsafeName) {
		t.Errorf("hostile: %v", err)
	}
	names := []string{LocalMissing.String(), LocalSame.String(), LocalDifferent.String(), LocalUnknown.String()}
	if strings.Join(names, ",") != "missing,same,different,unknown" {
		t.Errorf("String: %v", names)
	}
}

func TestTempNameLongBase(t *testing.T) {
	long := strings.Repeat("é", 120) // 240 bytes: fine as a name, too long with the suffix
	got := tempName(filepath.Join("d", long))
	if filepath.Dir(got) != "d" || len(filepath.Base(got)) > 255 || !strings.HasSuffix(got, partialSuffix) {
		t.Errorf("tempName: %q", got)
	}
	if got := tempName("x.txt"); got != ".x.txt"+partialSuffix {
		t.Errorf("tempName: %q", got)
	}
}
