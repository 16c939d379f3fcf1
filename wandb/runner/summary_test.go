package runner

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/wbfiles/wbfiles/wandb"
)

// summaryOf runs the queue's transitions for a summary: finishes is
// called with the started jobs.
func summaryOf(files []wandb.File, finishes func(q *queue, started []*job)) Summary {
	r := New(nil, Options{})
	for _, f := range files {
		r.q.add(r.Dest(), f, t0)
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
		"  1 failed: unsafe file name \"../evil\": bad: f003"
	if got := s.String(); got != want {
		t.Fatalf("summary text:\n%s\nwant:\n%s", got, want)
	}
}

// A file downloaded, queued again and then found up to date counts once,
// as downloaded.
func TestSummaryCountsEarlierDownload(t *testing.T) {
	q := newQueue()
	for _, f := range jobFiles(2, 1000) {
		q.add("/d", f, t0)
	}
	for j := q.start(t0); j != nil; j = q.start(t0) {
		finish(&q, j, wandb.Downloaded)
	}
	for _, f := range jobFiles(2, 1000) {
		q.add("/d", f, t0)
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
		!strings.Contains(text, "1 failed: server said ?]0;pwned?; bye ?: evil?[2J??31m??.bin") {
		t.Fatalf("summary %q", text)
	}
}

// 20,000 failures print a few lines, not 20,000 names: grouped by cause,
// most frequent first, a few names each, shortened in the middle.
func TestSummaryStringIsBounded(t *testing.T) {
	long := strings.Repeat("deep/", 30)
	files := make([]wandb.File, 20_010)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("%sckpt_%05d.pt", long, i), SizeBytes: 10}
	}
	s := summaryOf(files, func(q *queue, st []*job) {
		for i, j := range st {
			path := "/data/dest/" + j.Name
			err := fmt.Errorf("cannot write %s: %w", path, syscall.ENOSPC)
			if i >= 20_000 { // ten files failing each their own way
				err = fmt.Errorf("downloading %s: odd failure %d", j.Name, i)
			}
			q.finished(j, 1, wandb.DownloadResult{Name: j.Name, Path: path}, err, t0)
		}
	})
	text := s.String()
	lines := strings.Split(text, "\n")
	if len(text) > 2000 || len(lines) != 2+summaryCauses {
		t.Fatalf("%d bytes in %d lines for 20,010 failures:\n%s", len(text), len(lines), text)
	}
	if lines[0] != "0 files downloaded (0 B), 20,010 failed." || lines[len(lines)-1] != "  … and 6 more failures" {
		t.Fatalf("first and last lines:\n%s\n%s", lines[0], lines[len(lines)-1])
	}
	first := lines[1]
	if !strings.HasPrefix(first, "  20,000 failed: cannot write …: no space left on device: deep/deep/") ||
		!strings.HasSuffix(first, "ckpt_00002.pt and 19,997 more") || strings.Count(first, "…") != 4 {
		t.Fatalf("first cause line: %q", first)
	}
	if !strings.HasPrefix(lines[2], "  1 failed: downloading …: odd failure 20000: deep/") {
		t.Fatalf("second cause line: %q", lines[2])
	}
	for _, line := range lines {
		if !utf8.ValidString(line) || utf8.RuneCountInString(line) > summaryCause+summaryNames*(summaryName+2)+40 {
			t.Fatalf("line of %d runes: %q", utf8.RuneCountInString(line), line)
		}
	}
}

func TestCauseOf(t *testing.T) {
	for _, tc := range []struct {
		err        error
		name, path string
		want       string
	}{
		{nil, "x", "", ""},
		{fmt.Errorf("%w for /d/x.bin: expected A, got B; the file was not put in place", wandb.ErrChecksum), "x.bin", "/d/x.bin", "md5 checksum mismatch (not put in place)"},
		{errors.New("download of model.bin cancelled"), "model.bin", "", "download of … cancelled"},
		// A name inside a longer word stays; a short name is left alone.
		{errors.New("cannot download model.bin.old: model.bin"), "model.bin", "", "cannot download model.bin.old: …"},
		{errors.New("cannot download a: the server gave neither a url"), "a", "", "cannot download a: the server gave neither a url"},
	} {
		if got := causeOf(tc.err, tc.name, tc.path); got != tc.want {
			t.Errorf("causeOf(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
