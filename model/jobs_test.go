package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

var jobsT0 = time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)

func jobFiles(n int, size int64) []wandb.File {
	files := make([]wandb.File, n)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("f%03d", i), SizeBytes: size}
	}
	return files
}

// finish reports a successful download of s.
func finish(q *Jobs, s Start, status wandb.DownloadStatus) bool {
	res := wandb.DownloadResult{Name: s.File.Name, Path: "/d/" + s.File.Name, Status: status, Bytes: s.File.SizeBytes}
	return q.Finished(s.ID, s.Attempt, res, nil, jobsT0)
}

func TestJobsAtMostParallelRun(t *testing.T) {
	var q Jobs
	if ids := q.Enqueue(jobFiles(10, 100)...); len(ids) != 10 {
		t.Fatalf("Enqueue queued %d, want 10", len(ids))
	}
	starts := q.Next(3)
	if len(starts) != 3 || q.Count(Running) != 3 || q.Count(Queued) != 7 {
		t.Fatalf("Next(3) started %d; running %d queued %d", len(starts), q.Count(Running), q.Count(Queued))
	}
	if more := q.Next(3); len(more) != 0 {
		t.Fatalf("Next with 3 running started %d more", len(more))
	}
	for i, s := range starts {
		if s.ID != JobID(i) || s.Attempt != 1 {
			t.Fatalf("start %d = %+v; want oldest first, attempt 1", i, s)
		}
	}
	done := 0
	for q.Active() {
		if q.Count(Running) > 3 {
			t.Fatalf("%d running", q.Count(Running))
		}
		s := starts[0]
		starts = starts[1:]
		if !finish(&q, s, wandb.Downloaded) {
			t.Fatalf("Finished(%v) ignored", s)
		}
		done++
		starts = append(starts, q.Next(3)...)
	}
	tot := q.Totals()
	if done != 10 || tot.Done != 10 || tot.BytesDone != 1000 || tot.BytesTotal != 1000 || tot.Fraction() != 1 {
		t.Fatalf("after all: done %d totals %+v", done, tot)
	}
	// Next(0) still runs one job at a time.
	q.Enqueue(wandb.File{Name: "late", SizeBytes: 1})
	if got := q.Next(0); len(got) != 1 {
		t.Fatalf("Next(0) started %d", len(got))
	}
}

func TestJobsDedupeAndRestart(t *testing.T) {
	var q Jobs
	f := wandb.File{Name: "a", SizeBytes: 10}
	q.Enqueue(f)
	if ids := q.Enqueue(f); len(ids) != 0 {
		t.Fatalf("queuing a queued file queued %v", ids)
	}
	s := q.Next(4)[0]
	if ids := q.Enqueue(f); len(ids) != 0 || q.Len() != 1 {
		t.Fatalf("queuing a running file queued %v (len %d)", ids, q.Len())
	}
	finish(&q, s, wandb.Downloaded)
	if ids := q.Enqueue(f); len(ids) != 1 || ids[0] != s.ID {
		t.Fatalf("re-queuing a done file = %v, want a restart of %d", ids, s.ID)
	}
	j := q.At(s.ID)
	if j.State != Queued || j.Done != 0 || q.Len() != 1 {
		t.Fatalf("restarted job %+v, len %d", j, q.Len())
	}
	s2 := q.Next(4)[0]
	if s2.Attempt != 2 {
		t.Fatalf("restart attempt = %d", s2.Attempt)
	}
	finish(&q, s2, wandb.UpToDate)
	if j := q.At(s.ID); j.State != UpToDate {
		t.Fatalf("state = %v, want up to date", j.State)
	}
	if tot := q.Totals(); tot.Files != 1 || tot.UpToDate != 1 || tot.Done != 0 || tot.BytesDone != 10 {
		t.Fatalf("totals %+v", tot)
	}
}

func TestJobsFailureCancelRetry(t *testing.T) {
	var q Jobs
	q.Enqueue(jobFiles(4, 100)...)
	starts := q.Next(2) // f000, f001 run; f002, f003 queued

	err := fmt.Errorf("download of f000: %w", wandb.ErrChecksum)
	if !q.Finished(starts[0].ID, starts[0].Attempt, wandb.DownloadResult{}, err, jobsT0) {
		t.Fatal("failure ignored")
	}
	j := q.At(starts[0].ID)
	if j.State != Failed || !strings.Contains(j.Reason, "md5") || !errors.Is(j.Err, wandb.ErrChecksum) || ShortReason(j.Err) != "md5 mismatch" {
		t.Fatalf("failed job %+v", j)
	}

	// Cancel a running job: the caller must cancel its context; its late
	// finish (a cancellation error) changes nothing.
	if !q.Cancel(starts[1].ID) {
		t.Fatal("Cancel of a running job did not say so")
	}
	if q.At(starts[1].ID).State != Cancelled || q.Count(Running) != 0 {
		t.Fatalf("after cancel: %v, %d running", q.At(starts[1].ID).State, q.Count(Running))
	}
	if q.Finished(starts[1].ID, starts[1].Attempt, wandb.DownloadResult{}, context.Canceled, jobsT0) {
		t.Fatal("late cancellation error changed a cancelled job")
	}
	// Cancel a queued job: nothing to cancel outside.
	if q.Cancel(2) || q.At(2).State != Cancelled {
		t.Fatalf("cancel of queued job: %v", q.At(2).State)
	}
	if q.Cancel(2) {
		t.Fatal("second cancel reported a running job")
	}
	tot := q.Totals()
	if tot.Failed != 1 || tot.Cancelled != 2 || tot.Queued != 1 || tot.BytesTotal != 200 {
		t.Fatalf("totals %+v (cancelled jobs leave the byte totals)", tot)
	}

	// Retry the failed and the cancelled running job; stale events of the
	// first attempt are ignored.
	if !q.Retry(starts[0].ID) || !q.Retry(starts[1].ID) || q.Retry(3) {
		t.Fatal("Retry: want true for failed and cancelled, false for queued")
	}
	next := q.Next(2)
	if len(next) != 2 || next[0].ID != 3 || next[1].ID != starts[0].ID {
		t.Fatalf("Next after retry = %+v; want f003 then the retried f000", next)
	}
	if q.Progressed(starts[0].ID, starts[0].Attempt, 50, 100, jobsT0) {
		t.Fatal("progress of attempt 1 accepted during attempt 2")
	}
	if !q.Progressed(next[1].ID, next[1].Attempt, 50, 100, jobsT0) {
		t.Fatal("progress of the current attempt ignored")
	}
	finish(&q, next[1], wandb.Downloaded)
	if j := q.At(starts[0].ID); j.State != Done || j.Reason != "" || j.Err != nil || j.Attempt != 2 {
		t.Fatalf("retried job %+v", j)
	}
}

func TestJobsCancelledButCompleted(t *testing.T) {
	var q Jobs
	q.Enqueue(jobFiles(1, 7)...)
	s := q.Next(1)[0]
	q.Cancel(s.ID)
	// The engine finished just before the cancel reached it: the file is
	// in place, so the job says so.
	if !finish(&q, s, wandb.Downloaded) || q.At(s.ID).State != Done {
		t.Fatalf("state = %v, want done", q.At(s.ID).State)
	}
	if tot := q.Totals(); tot.BytesDone != 7 || tot.BytesTotal != 7 || tot.Cancelled != 0 {
		t.Fatalf("totals %+v", tot)
	}
}

func TestJobsCancelAll(t *testing.T) {
	var q Jobs
	q.Enqueue(jobFiles(20, 1)...)
	starts := q.Next(4)
	running := q.CancelAll()
	if len(running) != 4 {
		t.Fatalf("CancelAll returned %d running, want 4", len(running))
	}
	if q.Active() || q.Count(Cancelled) != 20 {
		t.Fatalf("after CancelAll: active %v, %d cancelled", q.Active(), q.Count(Cancelled))
	}
	if got := q.Next(4); len(got) != 0 {
		t.Fatalf("Next after CancelAll started %v", got)
	}
	for _, s := range starts {
		q.Finished(s.ID, s.Attempt, wandb.DownloadResult{}, fmt.Errorf("x: %w", context.Canceled), jobsT0)
	}
	sum := q.Summary()
	if sum.Cancelled != 20 || sum.Downloaded != 0 {
		t.Fatalf("summary %+v", sum)
	}
}

func TestJobsSpeedAndETA(t *testing.T) {
	var q Jobs
	q.Enqueue(wandb.File{Name: "big", SizeBytes: 10_000_000}, wandb.File{Name: "other", SizeBytes: 10_000_000})
	s := q.Next(2)
	id := s[0].ID
	q.Started(id, 1, jobsT0)
	if sp := q.At(id).Speed(); sp != 0 {
		t.Fatalf("speed before any progress = %v", sp)
	}
	// 1 MB/s for 10 s, reported five times a second.
	for i := 1; i <= 50; i++ {
		q.Progressed(id, 1, int64(i)*200_000, 10_000_000, jobsT0.Add(time.Duration(i)*200*time.Millisecond))
	}
	j := q.At(id)
	if sp := j.Speed(); sp < 999_000 || sp > 1_001_000 {
		t.Fatalf("speed = %v, want 1e6", sp)
	}
	if eta, ok := j.ETA(); !ok || eta != 0 {
		t.Fatalf("eta at 100%% = %v, %v", eta, ok)
	}
	if f, ok := j.Fraction(); !ok || f != 1 {
		t.Fatalf("fraction = %v %v", f, ok)
	}

	// Then it slows to 100 kB/s: the window forgets the fast part within
	// SpeedWindow.
	id2 := s[1].ID
	at := jobsT0.Add(10 * time.Second) // after the first job's reports
	done := int64(0)
	for range 10 {
		at = at.Add(200 * time.Millisecond)
		done += 200_000
		q.Progressed(id2, 1, done, -1, at) // total -1 keeps the known total
	}
	for range 20 {
		at = at.Add(200 * time.Millisecond)
		done += 20_000
		q.Progressed(id2, 1, done, -1, at)
	}
	j2 := q.At(id2)
	if sp := j2.Speed(); sp < 99_000 || sp > 101_000 {
		t.Fatalf("speed after slowing down = %v, want 1e5", sp)
	}
	eta, ok := j2.ETA()
	want := time.Duration(float64(10_000_000-done) / 100_000 * float64(time.Second)).Round(time.Second)
	if !ok || eta != want {
		t.Fatalf("eta = %v %v, want %v", eta, ok, want)
	}
	tot := q.Totals()
	// Only the second job moved within the window: the aggregate is its
	// speed.
	if tot.Speed < 99_000 || tot.Speed > 101_000 || tot.BytesDone != 10_000_000+done {
		t.Fatalf("totals %+v", tot)
	}
	if _, ok := tot.ETA(); !ok {
		t.Fatal("overall ETA unknown with known sizes and speed")
	}

	// A restart from zero (progress going back) starts the meter over.
	q.Progressed(id2, 1, 0, -1, at.Add(time.Second))
	if sp := q.At(id2).Speed(); sp != 0 {
		t.Fatalf("speed after a restart = %v", sp)
	}
}

func TestJobsUnknownSize(t *testing.T) {
	var q Jobs
	q.Enqueue(wandb.File{Name: "u", SizeBytes: -1})
	s := q.Next(1)[0]
	j := q.At(s.ID)
	if _, ok := j.Fraction(); ok {
		t.Fatal("fraction known for a file of unknown size")
	}
	if _, ok := j.ETA(); ok {
		t.Fatal("eta known for a file of unknown size")
	}
	if tot := q.Totals(); tot.UnknownSize != 1 || tot.BytesTotal != 0 {
		t.Fatalf("totals %+v", tot)
	}
	q.Progressed(s.ID, s.Attempt, 5, -1, jobsT0)
	q.Finished(s.ID, s.Attempt, wandb.DownloadResult{Status: wandb.Downloaded, Bytes: 9}, nil, jobsT0)
	if tot := q.Totals(); tot.UnknownSize != 0 || tot.BytesTotal != 9 || tot.BytesDone != 9 {
		t.Fatalf("totals after finish %+v", tot)
	}
}

func TestJobsSummary(t *testing.T) {
	var q Jobs
	if s := q.Summary(); !s.Empty() || s.String() != "" {
		t.Fatalf("empty summary = %q", s.String())
	}
	q.Enqueue(jobFiles(5, 1000)...)
	starts := q.Next(5)
	finish(&q, starts[0], wandb.Downloaded)
	finish(&q, starts[1], wandb.Downloaded)
	finish(&q, starts[2], wandb.UpToDate)
	q.Finished(starts[3].ID, starts[3].Attempt, wandb.DownloadResult{}, fmt.Errorf("%w %q: bad", wandb.ErrUnsafeName, "../evil"), jobsT0)
	s := q.Summary()
	if s.Downloaded != 2 || s.Bytes != 2000 || s.UpToDate != 1 || len(s.Failed) != 1 || s.Unfinished != 1 {
		t.Fatalf("summary %+v", s)
	}
	want := "2 files downloaded (2.0 KiB), 1 skipped (up to date), 1 failed, 1 not finished.\n" +
		"  failed: f003: unsafe file name \"../evil\": bad"
	if got := s.String(); got != want {
		t.Fatalf("summary text:\n%s\nwant:\n%s", got, want)
	}
}

func TestBatchPlan(t *testing.T) {
	if NeedsConfirm(jobFiles(100, 1)) {
		t.Fatal("100 files need confirmation")
	}
	if !NeedsConfirm(jobFiles(101, 1)) {
		t.Fatal("101 files need none")
	}
	if NeedsConfirm(jobFiles(2, ConfirmBytes/2)) {
		t.Fatal("exactly 1 GiB needs confirmation")
	}
	if !NeedsConfirm(jobFiles(2, ConfirmBytes/2+1)) {
		t.Fatal("over 1 GiB needs none")
	}
	files := append(jobFiles(3, 1_000_000_000), wandb.File{Name: "u", SizeBytes: -1})
	p := PlanBatch(files, 3_500_000_000, 0)
	if !p.Fits() || p.Known != 3_000_000_000 || p.Unknown != 1 {
		t.Fatalf("plan %+v", p)
	}
	if got := p.Describe(); got != "4 files, 2.8 GiB + 1 of unknown size (3.3 GiB free)" {
		t.Fatalf("Describe = %q", got)
	}
	p = PlanBatch(files, 3_500_000_000, 600_000_000)
	if p.Fits() {
		t.Fatal("a batch that fits only without the queued jobs fits")
	}
	if got := p.Refusal(); got != "not enough space: 3.4 GiB needed, 3.3 GiB free" {
		t.Fatalf("Refusal = %q", got)
	}
	if !PlanBatch(files, -1, 0).Fits() {
		t.Fatal("unknown free space refused")
	}

	var q Jobs
	q.Enqueue(jobFiles(3, 100)...)
	s := q.Next(1)[0]
	q.Progressed(s.ID, s.Attempt, 40, 100, jobsT0)
	if got := q.Remaining(); got != 260 {
		t.Fatalf("Remaining = %d, want 260", got)
	}
	if fresh := q.Fresh(append(jobFiles(4, 100), wandb.File{Name: "new"})); len(fresh) != 2 {
		t.Fatalf("Fresh = %v", fresh)
	}
}

func TestJobsRunningListStaysConsistent(t *testing.T) {
	var q Jobs
	q.Enqueue(jobFiles(50, 10)...)
	starts := q.Next(50)
	for i, s := range starts {
		switch {
		case i%3 == 0:
			q.Cancel(s.ID)
		case i%5 == 0:
			finish(&q, s, wandb.Downloaded)
		}
	}
	want := map[JobID]bool{}
	for id := range q.Len() {
		if q.At(JobID(id)).State == Running {
			want[JobID(id)] = true
		}
	}
	if len(q.running) != len(want) || len(q.runPos) != len(want) || q.Count(Running) != len(want) {
		t.Fatalf("running list %d, positions %d, count %d; want %d", len(q.running), len(q.runPos), q.Count(Running), len(want))
	}
	for i, id := range q.running {
		if !want[id] || q.runPos[id] != i {
			t.Fatalf("running list entry %d = %d (pos %d) is wrong", i, id, q.runPos[id])
		}
	}
}

func TestJobsAggregateSpeedOfSmallFiles(t *testing.T) {
	var q Jobs
	q.Enqueue(jobFiles(40, 1000)...)
	at := jobsT0
	// Each file arrives whole in one report: no job has a speed of its
	// own, yet 10 files a second of 1000 bytes is 10 kB/s. The events of
	// parallel downloads come slightly out of time order.
	n, checked := 0, 0
	for q.Active() {
		for _, s := range q.Next(4) {
			n++
			at = at.Add(100 * time.Millisecond)
			late := at.Add(-30 * time.Millisecond * time.Duration(n%2))
			q.Finished(s.ID, s.Attempt, wandb.DownloadResult{Status: wandb.Downloaded, Bytes: 1000}, nil, late)
			if n >= 8 && q.Count(Running) > 0 {
				checked++
				if sp := q.Totals().Speed; sp < 9_000 || sp > 11_500 {
					t.Fatalf("aggregate speed %v after %d files, want about 10,000", sp, n)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("speed checked only %d times", checked)
	}
	if sp := q.Totals().Speed; sp != 0 {
		t.Fatalf("speed with nothing running = %v", sp)
	}
}

// The summary is printed on the normal screen after exit: a file name or
// reason from the server must not clear the screen or ring the bell.
func TestSummaryStringIsPrintable(t *testing.T) {
	var q Jobs
	q.Enqueue(wandb.File{Name: "evil\x1b[2J\a\u009b31m.bin", SizeBytes: 5})
	s := q.Next(1)[0]
	q.Finished(s.ID, s.Attempt, wandb.DownloadResult{}, errors.New("server said \x1b]0;pwned\a\nbye"), jobsT0)
	text := q.Summary().String()
	for _, bad := range []string{"\x1b", "\a", "\u009b"} {
		if strings.Contains(text, bad) {
			t.Fatalf("summary holds %q: %q", bad, text)
		}
	}
	if !strings.Contains(text, "failed: evil?[2J??31m.bin: ") || strings.Count(text, "\n") != 1 {
		t.Fatalf("summary %q", text)
	}
}

// TestSummaryCountsEarlierDownload checks that a file downloaded, queued
// again and then found up to date counts once, as downloaded.
func TestSummaryCountsEarlierDownload(t *testing.T) {
	var q Jobs
	q.Enqueue(jobFiles(2, 1000)...)
	starts := q.Next(2)
	finish(&q, starts[0], wandb.Downloaded)
	finish(&q, starts[1], wandb.Downloaded)
	q.Enqueue(jobFiles(2, 1000)...)
	for _, st := range q.Next(2) {
		finish(&q, st, wandb.UpToDate)
	}
	s := q.Summary()
	if s.Downloaded != 2 || s.Bytes != 2000 || s.UpToDate != 0 {
		t.Fatalf("summary %+v; want 2 downloaded (2000 B), none skipped", s)
	}
}
