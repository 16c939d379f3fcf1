package wandb

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestDownloadResumesAfterCut(t *testing.T) {
	for _, via := range []string{"url", "directUrl", "url redirected"} {
		e := newDLEnv(t, wandbtest.FileSpec{Name: "ckpt/big.pt", Size: 1<<20 + 123})
		target := wandbtest.Storage
		if via == "url" {
			target = wandbtest.FileURL
		}
		e.srv.SetRedirectFileURL(via == "url redirected")
		e.srv.SetFaults(target, wandbtest.Faults{CutBodyAfter: 300 << 10, CutBodyTimes: 3})
		f := e.file("ckpt/big.pt")
		if via == "directUrl" {
			f.URL = ""
		}
		r, err := e.download(f, DownloadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.checkFile("ckpt/big.pt")
		st := e.srv.Stats()
		// Cuts at 300 KiB of each body: 0→300K, 300K→600K, 600K→900K, rest.
		if st.CutBodies != 3 || st.RangeRequests != 3 || !r.Resumed || st.StorageAuthRejected != 0 {
			t.Errorf("via %s: stats %+v, resumed %v; want 3 cuts each continued with a Range request", via, st, r.Resumed)
		}
	}
}

func TestDownloadNoRangeStartsOver(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: 600 << 10})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{CutBodyAfter: 200 << 10, CutBodyTimes: 2, NoRange: true})
	r := e.mustDownload("big.bin", DownloadOptions{})
	st := e.srv.Stats()
	if st.CutBodies != 2 || st.FileRequests != 3 || r.Resumed {
		t.Errorf("stats %+v resumed %v: want 2 cuts, 3 full requests, nothing resumed", st, r.Resumed)
	}
}

func TestDownloadGivesUpAfterRepeatedCuts(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: 600 << 10})
	// Every body cut at the same point and no Range: no progress is ever made.
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{CutBodyAfter: 100 << 10, NoRange: true})
	_, err := e.download(e.file("big.bin"), DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "connection lost") || !strings.Contains(err.Error(), "gave up after 5 attempts") {
		t.Fatalf("err %v", err)
	}
	if st := e.srv.Stats(); st.FileRequests != int64(testRetry.MaxAttempts) {
		t.Errorf("%d requests, want MaxAttempts=%d", st.FileRequests, testRetry.MaxAttempts)
	}
	assertAbsent(t, filepath.Join(e.dest, "big.bin"))
}

func TestDownloadCutEveryFewKilobytesGivesUp(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: 600 << 10})
	// Range works, so every try moves on a little, but never by much.
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{CutBodyAfter: 8 << 10})
	_, err := e.download(e.file("big.bin"), DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "gave up after 5 attempts") {
		t.Fatalf("err %v", err)
	}
	if st := e.srv.Stats(); st.FileRequests != int64(testRetry.MaxAttempts) {
		t.Errorf("%d requests, want MaxAttempts=%d", st.FileRequests, testRetry.MaxAttempts)
	}
	assertAbsent(t, filepath.Join(e.dest, "big.bin"))
	// What it got is kept for a later call.
	if p := partials(t, e.dest); len(p) != 1 {
		t.Errorf("temporary files: %v", p)
	}
}

// writeTemp leaves a temporary file as an interrupted earlier call would.
func (e *dlEnv) writeTemp(name string, data []byte) string {
	e.t.Helper()
	p := filepath.Join(e.dest, tempName(filepath.FromSlash(name)))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func TestDownloadResumesLeftoverTemp(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "a/b/model.bin", Size: 900 << 10}
	e := newDLEnv(t, spec)
	tmp := e.writeTemp(spec.Name, prefixOf(t, spec, 400<<10))
	var first Progress
	r, err := e.download(e.file(spec.Name), DownloadOptions{Progress: func(p Progress) {
		if first.Total == 0 {
			first = p
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.checkFile(spec.Name)
	assertAbsent(t, tmp)
	if st := e.srv.Stats(); st.RangeRequests != 1 || st.FileRequests != 1 || !r.Resumed {
		t.Errorf("stats %+v resumed %v: want one Range request", st, r.Resumed)
	}
	if first.Done < 400<<10 || first.Total != spec.Size {
		t.Errorf("first progress %+v: should count the resumed bytes", first)
	}
}

func TestDownloadLeftoverTempCases(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "m.bin", Size: 500 << 10}
	t.Run("damaged", func(t *testing.T) {
		// Right length, wrong bytes: the md5 fails, one clean retry fixes it.
		e := newDLEnv(t, spec)
		junk := prefixOf(t, spec, 200<<10)
		junk[100] ^= 0xff
		e.writeTemp(spec.Name, junk)
		r := e.mustDownload(spec.Name, DownloadOptions{})
		if st := e.srv.Stats(); st.RangeRequests != 1 || st.FileRequests != 2 || r.Resumed {
			t.Errorf("stats %+v resumed %v: want a Range try, then one from zero", st, r.Resumed)
		}
	})
	t.Run("complete", func(t *testing.T) {
		// The whole file is already in the temporary file: no request.
		e := newDLEnv(t, spec)
		e.writeTemp(spec.Name, prefixOf(t, spec, spec.Size))
		r := e.mustDownload(spec.Name, DownloadOptions{})
		if st := e.srv.Stats(); st.FileRequests != 0 || !r.Resumed {
			t.Errorf("stats %+v resumed %v", st, r.Resumed)
		}
	})
	t.Run("no md5", func(t *testing.T) {
		// Nothing could verify old bytes: they are dropped, not resumed.
		e := newDLEnv(t, spec)
		e.writeTemp(spec.Name, []byte("stale bytes of another version"))
		f := e.file(spec.Name)
		f.MD5 = ""
		if _, err := e.download(f, DownloadOptions{}); err != nil {
			t.Fatal(err)
		}
		e.checkFile(spec.Name)
		if st := e.srv.Stats(); st.RangeRequests != 0 {
			t.Errorf("stats %+v: want no Range request", st)
		}
	})
	t.Run("longer than the file", func(t *testing.T) {
		// Size unknown, so only the server can say the range is past the end.
		e := newDLEnv(t, spec)
		e.writeTemp(spec.Name, make([]byte, spec.Size+10))
		f := e.file(spec.Name)
		f.SizeBytes = -1
		r, err := e.download(f, DownloadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.checkFile(spec.Name)
		if st := e.srv.Stats(); st.RangeRequests != 1 || st.FileRequests != 2 || r.Bytes != spec.Size {
			t.Errorf("stats %+v result %+v: want a 416 then a full request", st, r)
		}
	})
	t.Run("server ignores range", func(t *testing.T) {
		e := newDLEnv(t, spec)
		e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{NoRange: true})
		e.writeTemp(spec.Name, prefixOf(t, spec, 100<<10))
		r := e.mustDownload(spec.Name, DownloadOptions{})
		if st := e.srv.Stats(); st.FileRequests != 1 || r.Resumed {
			t.Errorf("stats %+v resumed %v: a 200 answer restarts in place", st, r.Resumed)
		}
	})
}

// TestDownloadCancelKeepsTemp cancels a slow download midway, then resumes
// it in a second call.
func TestDownloadCancelKeepsTemp(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "slow/body.bin", Size: 2 << 20}
	e := newDLEnv(t, spec)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 400 << 10})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := DownloadOptions{ProgressInterval: time.Millisecond, Progress: func(p Progress) {
		if p.Done >= 64<<10 {
			cancel()
		}
	}}
	_, err := e.c.Download(ctx, e.file(spec.Name), e.dest, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	final := filepath.Join(e.dest, "slow", "body.bin")
	assertAbsent(t, final)
	tmp := filepath.Join(e.dest, "slow", ".body.bin"+partialSuffix)
	fi, err := os.Stat(tmp)
	if err != nil {
		t.Fatalf("the temporary file is gone: %v", err)
	}
	// The body takes 5 s at this rate; stopping promptly leaves most of it.
	if fi.Size() < 64<<10 || fi.Size() > 1<<20 {
		t.Errorf("temporary file has %d bytes; want the part before the cancel", fi.Size())
	}

	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{})
	r := e.mustDownload(spec.Name, DownloadOptions{})
	if st := e.srv.Stats(); st.RangeRequests != 1 || !r.Resumed {
		t.Errorf("stats %+v resumed %v: the second call should resume", st, r.Resumed)
	}
	assertAbsent(t, tmp)
}

func TestDownloadStalledBodyRetried(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "s.txt", Content: []byte("abcd")})
	// One byte every 500 ms: each attempt stalls after its first byte.
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 2})
	d := e.c.newDownloader(DownloadOptions{})
	d.stallTimeout = 100 * time.Millisecond
	if _, err := d.download(context.Background(), e.file("s.txt"), e.dest); err != nil {
		t.Fatal(err)
	}
	e.checkFile("s.txt")
	if st := e.srv.Stats(); st.RangeRequests < 2 {
		t.Errorf("stats %+v: want stalled attempts resumed with Range", st)
	}
}

func TestDownloadStalledHeadersRetried(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "s.txt", Content: []byte("abcd")})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: 10 * time.Second})
	d := e.c.newDownloader(DownloadOptions{})
	d.stallTimeout = 50 * time.Millisecond
	_, err := d.download(context.Background(), e.file("s.txt"), e.dest)
	if err == nil || !strings.Contains(err.Error(), errStalled.Error()) {
		t.Fatalf("err %v, want a stall", err)
	}
	if st := e.srv.Stats(); st.FileRequests != int64(testRetry.MaxAttempts) {
		t.Errorf("%d requests, want each stalled one retried", st.FileRequests)
	}
}

func TestDownloadProgressBounded(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "p.bin", Size: 600 << 10}
	e := newDLEnv(t, spec)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 1 << 20})
	var calls atomic.Int64
	var last Progress
	mono := true
	const every = 50 * time.Millisecond
	start := time.Now()
	_ = e.mustDownload(spec.Name, DownloadOptions{ProgressInterval: every, Progress: func(p Progress) {
		calls.Add(1)
		if p.Done < last.Done || p.Name != spec.Name || p.Total != spec.Size {
			mono = false
		}
		last = p
	}})
	elapsed := time.Since(start)
	n := calls.Load()
	// One call at the start, at most one per interval, plus the final one.
	if limit := int64(elapsed/every) + 2; n > limit || n < 3 {
		t.Errorf("%d progress calls in %v; want 3..%d", n, elapsed, limit)
	}
	if !mono || last.Done != spec.Size || last.Total != spec.Size {
		t.Errorf("progress went backwards or ended at %+v", last)
	}
}

// TestDownloadResumeChecksDisk damages the first bytes written after a
// resume on their way to the disk: the stream's md5 is right, the file's
// is not, so the engine must read the file back, find out, and start over
// instead of putting a damaged file in place.
func TestDownloadResumeChecksDisk(t *testing.T) {
	spec := wandbtest.FileSpec{Name: "m.bin", Size: 900 << 10}
	e := newDLEnv(t, spec)
	e.writeTemp(spec.Name, prefixOf(t, spec, 400<<10))
	d := e.c.newDownloader(DownloadOptions{})
	damaged := false
	d.wrapWriter = func(w io.Writer) io.Writer {
		return writerFunc(func(b []byte) (int, error) {
			if !damaged && len(b) > 0 {
				damaged = true
				bad := append([]byte(nil), b...)
				bad[0] ^= 0xff
				return w.Write(bad)
			}
			return w.Write(b)
		})
	}
	if _, err := d.download(context.Background(), e.file(spec.Name), e.dest); err != nil {
		t.Fatal(err)
	}
	e.checkFile(spec.Name)
	if !damaged {
		t.Fatal("the seam never damaged a write")
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
