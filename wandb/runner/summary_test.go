package runner

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wbfiles/wbfiles/wandb"
)

// summaryOf runs the queue's transitions for a summary: finishes is
// called with the started jobs.
func summaryOf(files []wandb.File, finishes func(q *queue, started []*job)) Summary {
	r := New(nil, Options{})
	for _, f := range files {
		r.q.add(f, t0)
	}
	var started []*job
	for j := r.q.start(t0); j != nil; j = r.q.start(t0) {
		started = append(started, j)
	}
	finishes(&r.q, started)
	return r.Summary()
}

func TestSummary(t *testing.T) {
	if s := New(nil, Options{}).Summary(); !s.Empty() || s.String() != "" {
		t.Fatalf("empty summary = %q", s.String())
	}
	s := summaryOf(jobFiles(5, 1000), func(q *queue, st []*job) {
		finish(q, st[0], wandb.Downloaded)
		finish(q, st[1], wandb.Downloaded)
		finish(q, st[2], wandb.UpToDate)
		q.finished(st[3], 1, wandb.DownloadResult{}, fmt.Errorf("%w %q: bad", wandb.ErrUnsafeName, "../evil"), t0)
	})
	if s.Downloaded != 2 || s.Bytes != 2000 || s.UpToDate != 1 || len(s.Failed) != 1 || s.Unfinished != 1 {
		t.Fatalf("summary %+v", s)
	}
	want := "2 files downloaded (2.0 KiB), 1 skipped (up to date), 1 failed, 1 not finished.\n" +
		"  failed: unsafe file name \"../evil\": bad: f003"
	if got := s.String(); got != want {
		t.Fatalf("summary text:\n%s\nwant:\n%s", got, want)
	}
}

// A file downloaded, queued again and then found up to date counts once,
// as downloaded.
func TestSummaryCountsEarlierDownload(t *testing.T) {
	q := newQueue()
	for _, f := range jobFiles(2, 1000) {
		q.add(f, t0)
	}
	for j := q.start(t0); j != nil; j = q.start(t0) {
		finish(&q, j, wandb.Downloaded)
	}
	for _, f := range jobFiles(2, 1000) {
		q.add(f, t0)
	}
	for j := q.start(t0); j != nil; j = q.start(t0) {
		finish(&q, j, wandb.UpToDate)
	}
	r := &Runner{q: q}
	if s := r.Summary(); s.Downloaded != 2 || s.Bytes != 2000 || s.UpToDate != 0 {
		t.Fatalf("summary %+v; want 2 downloaded (2000 B), none skipped", s)
	}
}

// The summary is printed on the normal screen after exit: a file name or
// reason from the server must not clear the screen, ring the bell or
// break the line.
func TestSummaryStringIsPrintable(t *testing.T) {
	s := Summary{Failed: []Failure{{
		Name:   "evil\x1b[2J\a\u009b31m\x7f\xff.bin",
		Reason: "server said \x1b]0;pwned\a\nbye\r\x85\u0085",
	}}}
	text := s.String()
	for _, bad := range []string{"\x1b", "\a", "\u009b", "\x7f", "\x85", "\u0085", "\r"} {
		if strings.Contains(text, bad) {
			t.Fatalf("summary holds %q: %q", bad, text)
		}
	}
	if !utf8.ValidString(text) || strings.Count(text, "\n") != 1 ||
		!strings.Contains(text, "failed: server said ?]0;pwned? bye ??: evil?[2J??31m??.bin") {
		t.Fatalf("summary %q", text)
	}
}

// 20,000 failures print a few lines, not 20,000 names; long names and
// reasons are shortened in the middle, keeping both ends.
func TestSummaryStringIsBounded(t *testing.T) {
	var s Summary
	long := strings.Repeat("deep/", 100) + "ckpt.pt"
	for i := range 20_000 {
		s.Failed = append(s.Failed, Failure{
			Name:   fmt.Sprintf("%s.%05d", long, i),
			Reason: "cannot write: " + strings.Repeat("ü", 1000) + ": no space left on device",
		})
	}
	text := s.String()
	lines := strings.Split(text, "\n")
	if len(text) > 3000 || len(lines) != 2+summaryFailures {
		t.Fatalf("%d bytes in %d lines for 20,000 failures", len(text), len(lines))
	}
	if !strings.HasPrefix(lines[0], "0 files downloaded (0 B), 20,000 failed.") || lines[len(lines)-1] != "  … and 19,995 more failures" {
		t.Fatalf("first and last lines:\n%s\n%s", lines[0], lines[len(lines)-1])
	}
	first := lines[1]
	if !strings.HasPrefix(first, "  failed: cannot write: üü") || !strings.Contains(first, "no space left on device: deep/") ||
		!strings.HasSuffix(first, "ckpt.pt.00000") || !strings.Contains(first, "…") || !utf8.ValidString(first) {
		t.Fatalf("first failure line: %q", first)
	}
	if n := utf8.RuneCountInString(first); n > summaryName+summaryReason+20 {
		t.Fatalf("a failure line of %d runes", n)
	}
}

func TestShortenMiddle(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "ab…efg"},
		{"ünïcödé", 4, "ü…dé"},
	} {
		if got := shortenMiddle(tc.in, tc.max); got != tc.want {
			t.Errorf("shortenMiddle(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	if printable("a\tb") != "a b" {
		t.Error("printable of a tab")
	}
}
