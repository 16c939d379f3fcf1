package wandb

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// progressEvents collects progress calls.
type progressEvents struct {
	mu  sync.Mutex
	all []Progress
}

func (p *progressEvents) add(pr Progress) {
	p.mu.Lock()
	p.all = append(p.all, pr)
	p.mu.Unlock()
}

func (p *progressEvents) list() []Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Progress(nil), p.all...)
}

// TestDownloadProgressReportsRetries: while a download waits for a retry,
// progress says which try it waits for, of how many, and why; the calls
// after it recovers say nothing of retries.
func TestDownloadProgressReportsRetries(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "r.bin", Size: 64 << 10})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{ServerErrorEvery: 1})
	go func() {
		for e.srv.Stats().FileRequests < 2 {
			time.Sleep(time.Millisecond)
		}
		e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{})
	}()
	c := *e.c
	c.retry = RetryPolicy{MaxAttempts: 50, MinWait: 10 * time.Millisecond, MaxWait: 20 * time.Millisecond, MaxElapsed: 5 * time.Second}
	ev := &progressEvents{}
	if _, err := c.Download(t.Context(), e.file("r.bin"), e.dest, DownloadOptions{Progress: ev.add, ProgressInterval: 1}); err != nil {
		t.Fatal(err)
	}
	all := ev.list()
	var first *Progress
	for i := range all {
		if all[i].Retry > 0 {
			first = &all[i]
			break
		}
	}
	if first == nil || first.Retry != 2 || first.RetryOf != 50 || !strings.Contains(first.Reason, "503") {
		t.Fatalf("progress %+v: want a call waiting for try 2 of 50 because of a 503", all)
	}
	if last := all[len(all)-1]; last.Retry != 0 || last.Reason != "" || last.Stalled || last.Done != 64<<10 {
		t.Errorf("last progress %+v: want a clean final call", last)
	}
}

// TestDownloadProgressReportsStall: a body that goes quiet is reported as
// stalled before it is retried.
func TestDownloadProgressReportsStall(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "s.txt", Content: []byte("abcd")})
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 2})
	ev := &progressEvents{}
	d := e.c.newDownloader(DownloadOptions{Progress: ev.add, ProgressInterval: 1})
	d.stallTimeout = 100 * time.Millisecond
	if _, err := d.download(context.Background(), e.file("s.txt"), e.dest); err != nil {
		t.Fatal(err)
	}
	stalled := false
	for _, p := range ev.list() {
		stalled = stalled || (p.Stalled && p.Reason != "")
		if strings.ContainsFunc(p.Reason, func(r rune) bool { return r < 0x20 }) || strings.Contains(p.Reason, e.srv.APIKey()) {
			t.Errorf("reason %q is not a clean short text", p.Reason)
		}
	}
	if !stalled {
		t.Errorf("progress %+v: no stall reported", ev.list())
	}
}
