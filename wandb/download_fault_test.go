package wandb

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestDownloadRetriesRateLimitsAndServerErrors(t *testing.T) {
	cases := []struct {
		name   string
		target wandbtest.Target
		faults wandbtest.Faults
	}{
		{"429", wandbtest.FileURL, wandbtest.Faults{RateLimitEvery: 1}},
		{"503", wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 1}},
		{"500 on storage", wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 1, ServerErrorStatus: 500}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newDLEnv(t, wandbtest.FileSpec{Name: "r.bin", Size: 64 << 10})
			f := e.file("r.bin")
			if tc.target == wandbtest.Storage {
				f.URL = ""
			}
			e.srv.SetFaults(tc.target, tc.faults)
			// Every request fails until two have, then the server heals.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var progressed bool
			go func() {
				for ctx.Err() == nil {
					st := e.srv.Stats()
					if st.FileRequests+st.StorageRequests >= 2 {
						e.srv.SetFaults(tc.target, wandbtest.Faults{})
						return
					}
					time.Sleep(time.Millisecond)
				}
			}()
			slow := *e.c
			slow.retry = RetryPolicy{MaxAttempts: 50, MinWait: 10 * time.Millisecond, MaxWait: 20 * time.Millisecond, MaxElapsed: 5 * time.Second}
			if _, err := slow.Download(ctx, f, e.dest, DownloadOptions{Progress: func(Progress) { progressed = true }}); err != nil {
				t.Fatal(err)
			}
			e.checkFile("r.bin")
			st := e.srv.Stats()
			if n := st.FileRequests + st.StorageRequests; n < 3 || !progressed {
				t.Errorf("stats %+v: want failed tries before the success", st)
			}
		})
	}
}

func TestDownloadRetryBudget(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "r.bin", Size: 10})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 1})
	_, err := e.download(e.file("r.bin"), DownloadOptions{})
	var se *downloadStatusError
	if !errors.As(err, &se) || se.Code != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "gave up after 5 attempts") {
		t.Errorf("err %v, want a 503 after 5 attempts", err)
	}
	if st := e.srv.Stats(); st.FileRequests != 5 {
		t.Errorf("%d requests, want MaxAttempts = 5", st.FileRequests)
	}

	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 1, ServerErrorStatus: http.StatusNotImplemented})
	before := e.srv.Stats().FileRequests
	_, err = e.download(e.file("r.bin"), DownloadOptions{})
	if !errors.As(err, &se) || se.Code != http.StatusNotImplemented {
		t.Errorf("err %v, want 501", err)
	}
	if n := e.srv.Stats().FileRequests - before; n != 1 {
		t.Errorf("501 was tried %d times, want once", n)
	}
	if got := tree(t, e.dest); len(got) != 0 {
		t.Errorf("failed downloads left %v", got)
	}
}

func TestDownloadHonoursRetryAfter(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "r.bin", Size: 10})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{RateLimitEvery: 1, RetryAfter: time.Second})
	c := *e.c
	c.retry = RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Minute, MaxElapsed: time.Minute}
	// The server asks for a second; a deadline shorter than that must end
	// the wait (so the wait really was the server's, not MinWait's).
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	_, err := c.Download(ctx, e.file("r.bin"), e.dest, DownloadOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want the deadline to end the Retry-After wait", err)
	}
	if st := e.srv.Stats(); st.FileRequests != 1 {
		t.Errorf("%d requests; the retry came before Retry-After", st.FileRequests)
	}
}

func TestDownloadBackoffAndRetryAfter(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, MinWait: 100 * time.Millisecond, MaxWait: time.Second}
	for failures, hi := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 9: time.Second} {
		for range 20 {
			if w := p.wait(failures, 0); w < hi/2 || w > hi {
				t.Errorf("wait(%d) = %v, want in [%v, %v]", failures, w, hi/2, hi)
			}
		}
	}
	if w := p.wait(1, 700*time.Millisecond); w != 700*time.Millisecond {
		t.Errorf("Retry-After not honoured: %v", w)
	}
	if w := p.wait(1, time.Hour); w != time.Second {
		t.Errorf("Retry-After not capped: %v", w)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":     0,
		"3":    3 * time.Second,
		"-1":   0,
		"soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		if got := retryAfter(&http.Response{Header: http.Header{"Retry-After": {v}}}, now); got != want {
			t.Errorf("Retry-After %q = %v, want %v", v, got, want)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	for v, want := range map[string][2]int64{
		"bytes 100-199/200": {100, 200},
		"bytes 0-9/*":       {0, -1},
		"bytes */200":       {-1, 200},
		"bytes */x":         {-1, -1},
		"items 1-2/3":       {-1, -1},
		"":                  {-1, -1},
	} {
		if s, n := parseContentRange(v); s != want[0] || n != want[1] {
			t.Errorf("%q = %d, %d; want %v", v, s, n, want)
		}
	}
}

// TestDownloadDiskFull writes to /dev/full, where every write fails with a
// real ENOSPC from the kernel.
func TestDownloadDiskFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("this test needs /dev/full: %v", err)
	}
	defer full.Close()
	e := newDLEnv(t, wandbtest.FileSpec{Name: "data/huge.bin", Size: 300 << 10})
	d := e.c.newDownloader(DownloadOptions{})
	d.wrapWriter = func(io.Writer) io.Writer { return full }
	_, err = d.download(context.Background(), e.file("data/huge.bin"), e.dest)
	path := filepath.Join(e.dest, "data", "huge.bin")
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "removed the temporary file") {
		t.Fatalf("err %v, want ENOSPC naming %s", err, path)
	}
	assertAbsent(t, path)
	if p := partials(t, e.dest); len(p) != 0 {
		t.Errorf("the temporary file was kept on a full disk: %v", p)
	}
}

// TestDownloadPermissionDenied makes the destination unwritable: for real
// when not running as root, and through the file-creation seam as root,
// which permission bits do not stop.
func TestDownloadPermissionDenied(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "ro/x.txt", Size: 100})
	d := e.c.newDownloader(DownloadOptions{})
	if os.Geteuid() == 0 {
		d.openTemp = func(root *os.Root, name string) (*os.File, error) {
			return nil, &fs.PathError{Op: "openat", Path: name, Err: syscall.EACCES}
		}
	} else {
		if err := os.MkdirAll(filepath.Join(e.dest, "ro"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(e.dest, "ro"), 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(filepath.Join(e.dest, "ro"), 0o755) })
	}
	_, err := d.download(context.Background(), e.file("ro/x.txt"), e.dest)
	path := filepath.Join(e.dest, "ro", "x.txt")
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err %v, want permission denied naming %s", err, path)
	}
	assertAbsent(t, path)
	if st := e.srv.Stats(); st.FileRequests != 0 {
		t.Errorf("fetched although nothing could be written: %+v", st)
	}
}

// TestDownloadRetryNoElapsedBound: a policy without MaxElapsed means no
// bound on the total time, for downloads as for GraphQL calls; both paths
// then stop at MaxAttempts.
func TestDownloadRetryNoElapsedBound(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "r.bin", Size: 10})
	c, err := NewClient(Config{BaseURL: e.srv.URL(), APIKey: e.srv.APIKey(),
		Retry: RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if c.retry.MaxElapsed != 0 {
		t.Fatalf("NewClient set MaxElapsed %v on a policy that had none", c.retry.MaxElapsed)
	}
	f := e.file("r.bin")
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 1})
	_, err = c.Download(t.Context(), f, e.dest, DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("download: err %v, want it to give up after 4 attempts", err)
	}
	if n := e.srv.Stats().FileRequests; n != 4 {
		t.Errorf("download: %d requests, want MaxAttempts = 4", n)
	}

	e.srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{ServerErrorEvery: 1})
	before := e.srv.Stats().GraphQLRequests
	_, err = c.Run(t.Context(), RunRef{Entity: e.run.Entity, Project: e.run.Project, RunID: e.run.ID})
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 4 || re.OutOfTime {
		t.Errorf("GraphQL: err %v, want a *RetryError after 4 tries", err)
	}
	if n := e.srv.Stats().GraphQLRequests - before; n != 4 {
		t.Errorf("GraphQL: %d requests, want 4", n)
	}
}

// TestDownloadErrorCauseFirst: under a destination with a very long path,
// a local failure says what failed and why before the (shortened) path.
func TestDownloadErrorCauseFirst(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "x.txt", Size: 100})
	e.dest = filepath.Join(e.dest, strings.Repeat("L", 200), strings.Repeat("M", 200))
	d := e.c.newDownloader(DownloadOptions{})
	d.openTemp = func(root *os.Root, name string) (*os.File, error) {
		return nil, &fs.PathError{Op: "openat", Path: name, Err: syscall.EACCES}
	}
	_, err := d.download(context.Background(), e.file("x.txt"), e.dest)
	msg := err.Error()
	if !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(msg, "cannot create its temporary file: permission denied: …") ||
		!strings.HasSuffix(msg, "x.txt") || len([]rune(msg)) > 200 {
		t.Errorf("err %q, want the cause first and a short path ending in the name", msg)
	}
}
