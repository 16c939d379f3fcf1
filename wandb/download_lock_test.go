//go:build unix

package wandb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestDownloadRefusesHardLinkedPartial plants, at the temporary name, a
// hard link to a file outside dest: the download must neither append to it
// (a resume) nor truncate it (a restart).
func TestDownloadRefusesHardLinkedPartial(t *testing.T) {
	for _, withMD5 := range []bool{true, false} {
		e := newDLEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: 64 << 10})
		outside := filepath.Join(filepath.Dir(e.dest), "precious.txt")
		want := []byte("precious bytes outside the destination")
		if err := os.WriteFile(outside, want, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(e.dest, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(outside, filepath.Join(e.dest, tempName("x.bin"))); err != nil {
			t.Skipf("no hard links here: %v", err)
		}
		f := e.file("x.bin")
		if !withMD5 {
			f.MD5 = ""
		}
		if _, err := e.download(f, DownloadOptions{}); err != nil {
			t.Fatalf("md5 %v: %v", withMD5, err)
		}
		e.checkFile("x.bin")
		if got, _ := os.ReadFile(outside); !bytes.Equal(got, want) {
			t.Errorf("md5 %v: the file outside dest now holds %d bytes %q…", withMD5, len(got), got[:min(len(got), 20)])
		}
	}
}

// lockByHand opens and flocks path as another process's engine would.
func lockByHand(t *testing.T, path string, content []byte) *os.File {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
	if _, err := fh.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(int(fh.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	return fh
}

// TestDownloadBusyPartial: a temporary file locked by another engine fails
// the download at once with ErrBusy; nothing is fetched, the other
// engine's bytes are untouched and nothing appears at the target.
func TestDownloadBusyPartial(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "d/x.bin", Size: 64 << 10})
	tmp := filepath.Join(e.dest, tempName(filepath.FromSlash("d/x.bin")))
	theirs := prefixOf(t, e.specs["d/x.bin"], 1000)
	lockByHand(t, tmp, theirs)
	_, err := e.download(e.file("d/x.bin"), DownloadOptions{})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "being downloaded by another process") {
		t.Fatalf("err %v, want ErrBusy", err)
	}
	if got, _ := os.ReadFile(tmp); !bytes.Equal(got, theirs) {
		t.Errorf("the other download's temporary file changed: %d bytes", len(got))
	}
	assertAbsent(t, filepath.Join(e.dest, "d", "x.bin"))
	if st := e.srv.Stats(); st.FileRequests != 0 {
		t.Errorf("a busy file was fetched: %+v", st)
	}
}

// helperEnv carries a download to TestHelperDownloadProcess.
const helperEnv = "WBFILES_HELPER_DOWNLOAD"

type helperJob struct {
	BaseURL, APIKey, Dest string
	File                  File
	SliceThreshold        int64 // DownloadOptions.SliceThreshold
}

// TestHelperDownloadProcess is the second process of
// TestDownloadBusyAcrossProcesses; it does nothing in a normal run.
func TestHelperDownloadProcess(t *testing.T) {
	raw := os.Getenv(helperEnv)
	if raw == "" {
		t.Skip("helper process")
	}
	var job helperJob
	if err := json.Unmarshal([]byte(raw), &job); err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(Config{BaseURL: job.BaseURL, APIKey: job.APIKey, Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Download(context.Background(), job.File, job.Dest, DownloadOptions{SliceThreshold: job.SliceThreshold}); err != nil {
		t.Fatal(err)
	}
}

// TestDownloadBusyAcrossProcesses runs one download in a second process
// (this test binary, re-executed) on a slow body and starts the same one
// here while it runs: this one fails busy without a request, the other
// puts the byte-exact file in place.
func TestDownloadBusyAcrossProcesses(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("inside the helper")
	}
	e := newDLEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: 96 << 10})
	f := e.file("x.bin")
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 96 << 10})
	job, _ := json.Marshal(helperJob{BaseURL: e.srv.URL(), APIKey: e.srv.APIKey(), Dest: e.dest, File: f})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDownloadProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(job))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(e.dest, tempName("x.bin"))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if fi, err := os.Stat(tmp); err == nil && fi.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the helper never started writing; its output:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, err := e.download(f, DownloadOptions{})
	if !errors.Is(err, ErrBusy) {
		t.Errorf("err %v, want ErrBusy while the other process downloads", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the helper failed: %v\n%s", err, out.String())
	}
	e.checkFile("x.bin")
	if n := e.srv.Stats().FileRequests; n != 1 {
		t.Errorf("%d body requests, want the helper's one", n)
	}
	if p := partials(t, e.dest); len(p) != 0 {
		t.Errorf("left %v", p)
	}
}

// TestDownloadFileAppearsMidway plants a file at the target while the body
// streams: under KeepExisting it is never replaced (ErrExists, or up to
// date when it has the run's content); under Overwrite one with the run's
// content is left alone.
func TestDownloadFileAppearsMidway(t *testing.T) {
	cases := []struct {
		name     string
		policy   ExistingPolicy
		sameData bool
		wantErr  error
		want     DownloadStatus
	}{
		{"keep, other content", KeepExisting, false, ErrExists, NotDownloaded},
		{"keep, same content", KeepExisting, true, nil, UpToDate},
		{"overwrite, same content", Overwrite, true, nil, UpToDate},
		{"overwrite, other content", Overwrite, false, nil, Downloaded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newDLEnv(t, wandbtest.FileSpec{Name: "d/x.bin", Size: 600 << 10})
			target := filepath.Join(e.dest, "d", "x.bin")
			planted := []byte("a file the user wrote meanwhile")
			if tc.sameData {
				planted = prefixOf(t, e.specs["d/x.bin"], 600<<10)
			}
			d := e.c.newDownloader(DownloadOptions{Existing: tc.policy})
			d.wrapWriter = func(w io.Writer) io.Writer {
				return &plantOnWrite{w: w, plant: func() {
					if err := os.WriteFile(target, planted, 0o644); err != nil {
						t.Error(err)
					}
				}}
			}
			res, err := d.download(context.Background(), e.file("d/x.bin"), e.dest)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) || res.Status != tc.want {
				t.Fatalf("status %v, err %v; want %v, %v", res.Status, err, tc.want, tc.wantErr)
			}
			if tc.want == Downloaded {
				e.checkFile("d/x.bin")
				return
			}
			if got, _ := os.ReadFile(target); !bytes.Equal(got, planted) {
				t.Errorf("the planted file was replaced (%d bytes now)", len(got))
			}
		})
	}
}

// plantOnWrite calls plant before its first write.
type plantOnWrite struct {
	w       io.Writer
	plant   func()
	planted bool
}

func (p *plantOnWrite) Write(b []byte) (int, error) {
	if !p.planted {
		p.planted = true
		p.plant()
	}
	return p.w.Write(b)
}
