package runner

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// The queue's state transitions, driven directly with chosen times (the
// runner drives them from its goroutines; runner_test.go covers that with
// the real client). Ported from model/jobs_test.go.

var t0 = time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)

func jobFiles(n int, size int64) []wandb.File {
	files := make([]wandb.File, n)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("f%03d", i), SizeBytes: size}
	}
	return files
}

// finish reports a successful download of j's current attempt.
func finish(q *queue, j *job, status wandb.DownloadStatus) bool {
	res := wandb.DownloadResult{Name: j.Name, Path: "/d/" + j.Name, Status: status, Bytes: j.File.SizeBytes}
	return q.finished(j, j.Attempt, res, nil, t0)
}

func TestQueueDedupeAndRestart(t *testing.T) {
	q := newQueue()
	f := wandb.File{Name: "a", SizeBytes: 10}
	if !q.add("/d", f, t0) || q.add("/d", f, t0) {
		t.Fatal("queuing a queued file queued it again")
	}
	j := q.start(t0)
	if q.add("/d", f, t0) || len(q.jobs) != 1 {
		t.Fatal("queuing a running file queued it")
	}
	finish(&q, j, wandb.Downloaded)
	if !q.add("/d", f, t0) || j.State != Queued || j.Done != 0 || len(q.jobs) != 1 {
		t.Fatalf("re-queuing a done file: %+v", j.Job)
	}
	if q.start(t0) != j || j.Attempt != 2 {
		t.Fatalf("restart attempt = %d", j.Attempt)
	}
	finish(&q, j, wandb.UpToDate)
	if tot := q.totals(); tot.Files != 1 || tot.UpToDate != 1 || tot.Done != 0 || tot.BytesDone != 10 {
		t.Fatalf("totals %+v", tot)
	}
}

func TestQueueFailureCancelRetry(t *testing.T) {
	q := newQueue()
	for _, f := range jobFiles(4, 100) {
		q.add("/d", f, t0)
	}
	a, b := q.start(t0), q.start(t0) // f000, f001 run; f002, f003 queued

	err := fmt.Errorf("download of f000: %w", wandb.ErrChecksum)
	if !q.finished(a, 1, wandb.DownloadResult{}, err, t0) || a.State != Failed || ShortReason(a.Err) != "md5 mismatch" {
		t.Fatalf("failed job %+v", a.Job)
	}
	// A running job cancelled: its late finish (a cancellation) changes
	// nothing.
	if !q.cancel(b, t0) || b.State != Cancelled || q.counts[Running] != 0 {
		t.Fatalf("after cancel: %v, %d running", b.State, q.counts[Running])
	}
	if q.finished(b, 1, wandb.DownloadResult{}, context.Canceled, t0) {
		t.Fatal("late cancellation error changed a cancelled job")
	}
	// A queued job cancelled leaves the line; cancelling twice does nothing.
	c := q.lookup("/d", "f002")
	if !q.cancel(c, t0) || q.cancel(c, t0) || c.State != Cancelled {
		t.Fatalf("cancel of a queued job: %v", c.State)
	}
	tot := q.totals()
	if tot.Failed != 1 || tot.Cancelled != 2 || tot.Queued != 1 || tot.BytesTotal != 400 || tot.BytesRemaining != 100 {
		t.Fatalf("totals %+v (cancelled and failed jobs stay in the bar's total, out of what remains)", tot)
	}

	// Queued again, f000 and f001 start after f003, which waited; the
	// cancelled f002's old place in the line is stale.
	q.add("/d", a.File, t0)
	q.add("/d", b.File, t0)
	if n := q.start(t0); n.Name != "f003" {
		t.Fatalf("first start after retry: %s", n.Name)
	}
	if n := q.start(t0); n != a {
		t.Fatalf("second start after retry: %s", n.Name)
	}
	if q.progressed(a, 1, wandb.Progress{Done: 50, Total: 100}, t0) {
		t.Fatal("progress of attempt 1 accepted during attempt 2")
	}
	if !q.progressed(a, 2, wandb.Progress{Done: 50, Total: 100}, t0) || a.Done != 50 {
		t.Fatal("progress of the current attempt ignored")
	}
	finish(&q, a, wandb.Downloaded)
	if a.State != Done || a.Err != nil || a.Attempt != 2 {
		t.Fatalf("retried job %+v", a.Job)
	}
}

func TestQueueCancelledButCompleted(t *testing.T) {
	q := newQueue()
	q.add("/d", wandb.File{Name: "x", SizeBytes: 7}, t0)
	j := q.start(t0)
	q.cancel(j, t0)
	// The engine finished just before the cancel reached it: the file is
	// in place, so the job says so.
	if !finish(&q, j, wandb.Downloaded) || j.State != Done {
		t.Fatalf("state = %v, want done", j.State)
	}
	if tot := q.totals(); tot.BytesDone != 7 || tot.BytesTotal != 7 || tot.Cancelled != 0 {
		t.Fatalf("totals %+v", tot)
	}
}

func TestQueueCancelAll(t *testing.T) {
	q := newQueue()
	for _, f := range jobFiles(20, 1) {
		q.add("/d", f, t0)
	}
	for range 4 {
		q.start(t0)
	}
	if n := q.cancelAll(t0); n != 20 || q.active() != 0 || len(q.running) != 0 {
		t.Fatalf("cancelAll cancelled %d; active %d", n, q.active())
	}
	if q.start(t0) != nil {
		t.Fatal("a job started after cancelAll")
	}
}

func TestQueueSpeedAndETA(t *testing.T) {
	q := newQueue()
	q.add("/d", wandb.File{Name: "big", SizeBytes: 10_000_000}, t0)
	q.add("/d", wandb.File{Name: "other", SizeBytes: 10_000_000}, t0)
	j, j2 := q.start(t0), q.start(t0)
	if s := j.snapshot(); s.Speed != 0 || s.ETA != UnknownETA {
		t.Fatalf("before any progress: speed %v eta %v", s.Speed, s.ETA)
	}
	// 1 MB/s for 10 s, reported five times a second.
	for i := 1; i <= 50; i++ {
		q.progressed(j, 1, wandb.Progress{Done: int64(i) * 200_000, Total: 10_000_000}, t0.Add(time.Duration(i)*200*time.Millisecond))
	}
	s := j.snapshot()
	if s.Speed < 999_000 || s.Speed > 1_001_000 || s.ETA != 0 {
		t.Fatalf("speed %v eta %v, want 1e6 and 0", s.Speed, s.ETA)
	}
	if f, ok := s.Fraction(); !ok || f != 1 {
		t.Fatalf("fraction = %v %v", f, ok)
	}

	// Then it slows to 100 kB/s: the window forgets the fast part within
	// SpeedWindow.
	at := t0.Add(10 * time.Second)
	done := int64(0)
	for range 10 {
		at, done = at.Add(200*time.Millisecond), done+200_000
		q.progressed(j2, 1, wandb.Progress{Done: done, Total: -1}, at) // -1 keeps the known total
	}
	for range 20 {
		at, done = at.Add(200*time.Millisecond), done+20_000
		q.progressed(j2, 1, wandb.Progress{Done: done, Total: -1}, at)
	}
	s2 := j2.snapshot()
	want := time.Duration(float64(10_000_000-done) / 100_000 * float64(time.Second)).Round(time.Second)
	if s2.Speed < 99_000 || s2.Speed > 101_000 || s2.ETA != want || s2.Total != 10_000_000 {
		t.Fatalf("after slowing down: speed %v eta %v total %d; want 1e5, %v", s2.Speed, s2.ETA, s2.Total, want)
	}
	tot := q.totals()
	// Only the second job moved within the window: the aggregate is its
	// speed.
	if tot.Speed < 99_000 || tot.Speed > 101_000 || tot.BytesDone != 10_000_000+done || tot.ETA <= 0 {
		t.Fatalf("totals %+v", tot)
	}
	// A restart from zero (progress going back) starts the meter over.
	q.progressed(j2, 1, wandb.Progress{Done: 0, Total: -1}, at.Add(time.Second))
	if sp := j2.snapshot().Speed; sp != 0 {
		t.Fatalf("speed after a restart = %v", sp)
	}
}

// The last report passes through whole, fields the engine may add included.
func TestQueueKeepsLastProgress(t *testing.T) {
	q := newQueue()
	q.add("/d", wandb.File{Name: "p", SizeBytes: 100}, t0)
	j := q.start(t0)
	p := wandb.Progress{Name: "p", Done: 40, Total: 100}
	q.progressed(j, 1, p, t0)
	if got := j.snapshot().Progress; !reflect.DeepEqual(got, p) {
		t.Fatalf("Progress = %+v, want %+v", got, p)
	}
}

func TestQueueUnknownAndAbsurdSizes(t *testing.T) {
	q := newQueue()
	q.add("/d", wandb.File{Name: "u", SizeBytes: -1}, t0)
	q.add("/d", wandb.File{Name: "huge", SizeBytes: 1 << 62}, t0)
	q.add("/d", wandb.File{Name: "huge2", SizeBytes: 1 << 62}, t0)
	j := q.start(t0)
	if s := j.snapshot(); s.Total != -1 || s.ETA != UnknownETA {
		t.Fatalf("job of unknown size %+v", s)
	}
	if _, ok := j.snapshot().Fraction(); ok {
		t.Fatal("fraction known for a file of unknown size")
	}
	if tot := q.totals(); tot.UnknownSize != 3 || tot.BytesTotal != 0 || tot.ETA != UnknownETA {
		t.Fatalf("totals %+v: absurd sizes must count as unknown", tot)
	}
	q.progressed(j, 1, wandb.Progress{Done: 5, Total: -1}, t0)
	q.finished(j, 1, wandb.DownloadResult{Status: wandb.Downloaded, Bytes: 9}, nil, t0)
	if tot := q.totals(); tot.UnknownSize != 2 || tot.BytesTotal != 9 || tot.BytesDone != 9 {
		t.Fatalf("totals after finish %+v", tot)
	}
}

// Byte sums never wrap: 10,000 files of MaxFileSize saturate them, and
// taking the files out of what remains (cancelling them) gives the exact
// sum back.
func TestQueueSumsSaturate(t *testing.T) {
	q := newQueue()
	for i := range 10_000 {
		q.add("/d", wandb.File{Name: fmt.Sprint(i), SizeBytes: MaxFileSize}, t0)
	}
	if tot := q.totals(); tot.BytesTotal != 1<<63-1 || tot.BytesRemaining != 1<<63-1 {
		t.Fatalf("totals %+v, want saturated sums", tot)
	}
	q.add("/d", wandb.File{Name: "small", SizeBytes: 5}, t0)
	q.cancelAll(t0)
	q.add("/d", wandb.File{Name: "small", SizeBytes: 5}, t0)
	if tot := q.totals(); tot.BytesTotal != 1<<63-1 || tot.BytesRemaining != 5 {
		t.Fatalf("totals after cancelling the huge files %+v, want the total saturated and 5 bytes remaining", tot)
	}
}

func TestWideSum(t *testing.T) {
	var s wideSum
	for range 4 {
		s.add(1 << 62)
	}
	if s.value() != 1<<63-1 {
		t.Fatalf("4 × 2^62 = %d, want saturated", s.value())
	}
	for range 4 {
		s.add(-(1 << 62))
	}
	s.add(-3)
	if s.value() != -3 {
		t.Fatalf("back to %d, want -3", s.value())
	}
}

func TestQueueRunningSetStaysConsistent(t *testing.T) {
	q := newQueue()
	for _, f := range jobFiles(50, 10) {
		q.add("/d", f, t0)
	}
	var started []*job
	for j := q.start(t0); j != nil; j = q.start(t0) {
		started = append(started, j)
	}
	for i, j := range started {
		switch {
		case i%3 == 0:
			q.cancel(j, t0)
		case i%5 == 0:
			finish(&q, j, wandb.Downloaded)
		}
	}
	n := 0
	for _, j := range q.jobs {
		if j.State == Running {
			n++
			if _, ok := q.running[j]; !ok {
				t.Fatalf("running job %s not in the running set", j.Name)
			}
		}
	}
	if len(q.running) != n || q.counts[Running] != n {
		t.Fatalf("running set %d, count %d; want %d", len(q.running), q.counts[Running], n)
	}
}

func TestQueueAggregateSpeedOfSmallFiles(t *testing.T) {
	q := newQueue()
	for _, f := range jobFiles(40, 1000) {
		q.add("/d", f, t0)
	}
	at := t0
	// Each file arrives whole in one report: no job has a speed of its
	// own, yet 10 files a second of 1000 bytes is 10 kB/s. The events of
	// parallel downloads come slightly out of time order.
	n, checked := 0, 0
	for q.active() > 0 {
		var batch []*job
		for range 4 {
			if j := q.start(at); j != nil {
				batch = append(batch, j)
			}
		}
		for _, j := range batch {
			n++
			at = at.Add(100 * time.Millisecond)
			late := at.Add(-30 * time.Millisecond * time.Duration(n%2))
			q.finished(j, j.Attempt, wandb.DownloadResult{Status: wandb.Downloaded, Bytes: 1000}, nil, late)
			if n >= 8 && q.counts[Running] > 0 {
				checked++
				if sp := q.totals().Speed; sp < 9_000 || sp > 11_500 {
					t.Fatalf("aggregate speed %v after %d files, want about 10,000", sp, n)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("speed checked only %d times", checked)
	}
	if sp := q.totals().Speed; sp != 0 {
		t.Fatalf("speed with nothing running = %v", sp)
	}
}

func TestShortReason(t *testing.T) {
	for err, want := range map[error]string{
		nil:                                           "",
		fmt.Errorf("x: %w", wandb.ErrUnsafeName):      "unsafe name",
		fmt.Errorf("x: %w", wandb.ErrExists):          "exists, differs",
		fmt.Errorf("x: %w", context.Canceled):         "cancelled",
		fmt.Errorf("x: %w", context.DeadlineExceeded): "timed out",
		errors.New("connection refused"):              "error",
	} {
		if got := ShortReason(err); got != want {
			t.Errorf("ShortReason(%v) = %q, want %q", err, got, want)
		}
	}
}
