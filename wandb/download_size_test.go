package wandb

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// progressLog records progress calls and fails on impossible ones.
type progressLog struct {
	mu    sync.Mutex
	t     *testing.T
	calls int
}

func (l *progressLog) record(p Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if p.Total >= 0 && p.Done > p.Total {
		l.t.Errorf("impossible progress %d B / %d B", p.Done, p.Total)
	}
}

// TestDownloadBodyLongerThanSize: storage sends more bytes than sizeBytes.
// With an md5 the download fails at once with a clear reason, without
// retries; without one the bytes on disk are the truth, and progress
// never shows more done than total.
func TestDownloadBodyLongerThanSize(t *testing.T) {
	const size, extra = 200 << 10, 50 << 10
	e := newDLEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: size})
	e.srv.SetBodyFaults(wandbtest.Storage, wandbtest.BodyFaults{ExtraBytes: extra})
	log := &progressLog{t: t}
	opts := DownloadOptions{Progress: log.record, ProgressInterval: 1}

	_, err := e.download(e.direct("x.bin"), opts)
	if err == nil || !strings.Contains(err.Error(), "server sent more bytes than the file's size") {
		t.Errorf("with md5: err %v, want the body refused as too long", err)
	}
	if n := e.srv.Stats().StorageRequests; n != 1 {
		t.Errorf("with md5: %d requests, want 1 (no retry)", n)
	}
	if p := partials(t, e.dest); len(p) != 0 {
		t.Errorf("with md5: left %v", p)
	}

	f := e.direct("x.bin")
	f.MD5 = ""
	r, err := e.download(f, opts)
	if err != nil || r.Bytes != size+extra {
		t.Errorf("without md5: %+v, %v; want the %d bytes sent", r, err, size+extra)
	}
}

// TestDownloadBodyShorterThanContentLength: storage announces more bytes
// than it sends, every time, and a Range from where it stopped gets 416.
// The download tries again once, then fails naming the shortfall.
func TestDownloadBodyShorterThanContentLength(t *testing.T) {
	const size = 2 << 20
	for _, sizeKnown := range []bool{false, true} {
		e := newDLEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: size})
		e.srv.SetBodyFaults(wandbtest.Storage, wandbtest.BodyFaults{ShortBy: 1000})
		f := e.direct("x.bin")
		if !sizeKnown {
			f.SizeBytes = -1 // the server's Content-Length is all there is to go by
		}
		_, err := e.download(f, DownloadOptions{})
		if err == nil || !strings.Contains(err.Error(), "the body ended after") {
			t.Errorf("size known %v: err %v, want an error naming the short body", sizeKnown, err)
		}
		if n := e.srv.Stats().StorageRequests; n > int64(testRetry.MaxAttempts) {
			t.Errorf("size known %v: %d requests for a body that is always short, want at most %d", sizeKnown, n, testRetry.MaxAttempts)
		}
		var se *downloadStatusError
		if errors.As(err, &se) {
			t.Errorf("err %v is an HTTP status error", err)
		}
	}
}
