package model

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dustin/go-humanize"

	"github.com/wbfiles/wbfiles/wandb"
)

// Totals are the figures of the overall progress bar.
type Totals struct {
	Files                                              int // every job
	Queued, Running, Done, UpToDate, Failed, Cancelled int
	// BytesDone and BytesTotal sum the jobs that are not cancelled;
	// UnknownSize counts those of them whose size is unknown (not in
	// BytesTotal).
	BytesDone, BytesTotal int64
	UnknownSize           int
	// Speed is the recent rate at which bytes arrived over all jobs, in
	// bytes per second (0 when nothing runs).
	Speed float64
}

// Totals returns the overall figures in O(1).
func (q *Jobs) Totals() Totals {
	t := Totals{
		Files:       len(q.jobs),
		Queued:      q.counts[Queued],
		Running:     q.counts[Running],
		Done:        q.counts[Done],
		UpToDate:    q.counts[UpToDate],
		Failed:      q.counts[Failed],
		Cancelled:   q.counts[Cancelled],
		BytesDone:   q.bytes.done,
		BytesTotal:  q.bytes.total,
		UnknownSize: q.bytes.unknown,
	}
	if t.Running > 0 {
		t.Speed = q.speed.rate()
	}
	return t
}

// Finished returns the number of jobs that ended, however they ended.
func (t Totals) Finished() int { return t.Done + t.UpToDate + t.Failed + t.Cancelled }

// Fraction returns the share of the known bytes on disk, from 0 to 1.
func (t Totals) Fraction() float64 {
	if t.BytesTotal <= 0 {
		if t.Files > 0 && t.Queued+t.Running == 0 {
			return 1
		}
		return 0
	}
	return min(float64(t.BytesDone)/float64(t.BytesTotal), 1)
}

// ETA returns the time the known remaining bytes need at the current
// aggregate speed, and false when that cannot be told.
func (t Totals) ETA() (time.Duration, bool) {
	if t.Queued+t.Running == 0 {
		return 0, true
	}
	return eta(t.BytesTotal-t.BytesDone, t.UnknownSize == 0, t.Speed)
}

// Failure is a failed file and why it failed.
type Failure struct {
	Name, Reason string
}

// Summary is what the downloads came to, for the line printed after the
// program exits.
type Summary struct {
	Downloaded int   // files fetched and put in place
	Bytes      int64 // bytes of those files
	Resumed    int   // of Downloaded, files continued from an earlier attempt
	UpToDate   int   // files skipped because an identical file was there
	Failed     []Failure
	Cancelled  int
	// Unfinished counts jobs still queued or running (the program quit
	// without waiting for them).
	Unfinished int
}

// Summary returns the outcome of every job, failures in queue order.
func (q *Jobs) Summary() Summary {
	var s Summary
	for _, j := range q.jobs {
		switch j.State {
		case Done:
			s.Downloaded++
			s.Bytes += j.Done
			if j.Resumed {
				s.Resumed++
			}
		case UpToDate:
			if j.Fetched {
				// Downloaded earlier in this session, then queued again.
				s.Downloaded++
				s.Bytes += j.FetchedBytes
				continue
			}
			s.UpToDate++
		case Failed:
			s.Failed = append(s.Failed, Failure{Name: j.File.Name, Reason: j.Reason})
		case Cancelled:
			s.Cancelled++
		default:
			s.Unfinished++
		}
	}
	return s
}

// Empty reports whether no job ever existed.
func (s Summary) Empty() bool {
	return s.Downloaded+s.UpToDate+len(s.Failed)+s.Cancelled+s.Unfinished == 0
}

// maxSummaryFailures bounds the failures the summary text lists one by one.
const maxSummaryFailures = 20

// String returns the summary as a few lines of plain text (no trailing
// newline), or "" when there were no downloads.
func (s Summary) String() string {
	if s.Empty() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s downloaded (%s)", plural(s.Downloaded, "file"), HumanBytes(s.Bytes))
	if s.UpToDate > 0 {
		fmt.Fprintf(&b, ", %d skipped (up to date)", s.UpToDate)
	}
	if len(s.Failed) > 0 {
		fmt.Fprintf(&b, ", %d failed", len(s.Failed))
	}
	if s.Cancelled > 0 {
		fmt.Fprintf(&b, ", %d cancelled", s.Cancelled)
	}
	if s.Unfinished > 0 {
		fmt.Fprintf(&b, ", %d not finished", s.Unfinished)
	}
	b.WriteByte('.')
	for i, f := range s.Failed {
		if i == maxSummaryFailures {
			fmt.Fprintf(&b, "\n  … and %d more failures", len(s.Failed)-i)
			break
		}
		// Printed on the normal screen after exit: the name and the
		// reason come from the server and must not drive the terminal.
		fmt.Fprintf(&b, "\n  failed: %s: %s", printable(f.Name), printable(f.Reason))
	}
	return b.String()
}

// printable keeps s on one line and makes it harmless on a terminal:
// white space controls become spaces, other control characters (ESC, BEL,
// the C1 CSI) and invalid UTF-8 become '?'.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || r == utf8.RuneError:
			return '?'
		}
		return r
	}, s)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return humanize.Comma(int64(n)) + " " + word + "s"
}

// Limits above which a batch asks for confirmation first.
const (
	ConfirmFiles = 100
	ConfirmBytes = 1 << 30 // 1 GiB
)

// NeedsConfirm reports whether downloading files is a large batch: more
// than ConfirmFiles files or more than ConfirmBytes of known size.
func NeedsConfirm(files []wandb.File) bool {
	return PlanBatch(files, -1, 0).NeedsConfirm()
}

// BatchPlan is a batch of files about to be queued, with what the disk at
// the destination can take.
type BatchPlan struct {
	Files   []wandb.File
	Known   int64 // sum of the known sizes
	Unknown int   // files of unknown size
	// Free is the free space at the destination in bytes, or -1 when it
	// could not be told.
	Free int64
	// Pending is the known bytes that already queued or running jobs will
	// still write there.
	Pending int64
}

// PlanBatch sums the files' sizes; free is the free space at the
// destination (-1 unknown) and pending what queued jobs will still take.
func PlanBatch(files []wandb.File, free, pending int64) BatchPlan {
	p := BatchPlan{Files: files, Free: free, Pending: pending}
	for _, f := range files {
		if f.SizeKnown() {
			p.Known += f.SizeBytes
		} else {
			p.Unknown++
		}
	}
	return p
}

// NeedsConfirm reports whether the batch is large enough to ask first.
func (p BatchPlan) NeedsConfirm() bool {
	return len(p.Files) > ConfirmFiles || p.Known > ConfirmBytes
}

// Fits reports whether the known sizes fit in the free space, counting what
// queued jobs still take. An unknown free space is assumed to fit: the
// engine still fails cleanly on a full disk.
func (p BatchPlan) Fits() bool {
	return p.Free < 0 || p.Known+p.Pending <= p.Free
}

// Describe words the batch: "1,234 files, 5.6 GiB (120 GiB free)".
func (p BatchPlan) Describe() string {
	text := plural(len(p.Files), "file") + ", " + SizeText(p.Known, p.Unknown)
	if p.Free >= 0 {
		text += " (" + HumanBytes(p.Free) + " free"
		if p.Pending > 0 {
			text += ", " + HumanBytes(p.Pending) + " still queued"
		}
		text += ")"
	}
	return text
}

// Refusal explains why a batch that does not fit is refused.
func (p BatchPlan) Refusal() string {
	need := p.Known + p.Pending
	return fmt.Sprintf("not enough space: %s needed, %s free", HumanBytes(need), HumanBytes(p.Free))
}
