package runner

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
)

// Failure is a failed file and why it failed (the engine's words).
type Failure struct {
	Name, Reason string
}

// Summary is what the downloads came to.
type Summary struct {
	Downloaded int   // files fetched and put in place
	Bytes      int64 // bytes of those files (saturated at MaxInt64)
	Resumed    int   // of Downloaded, files continued from an earlier attempt
	UpToDate   int   // files skipped because an identical file was there
	Failed     []Failure
	Cancelled  int
	// Unfinished counts jobs still queued or running (the program quit
	// without waiting for them).
	Unfinished int
}

// Summary returns the outcome of every job, failures in list order. It
// walks every job: call it once, at the end, not per frame.
func (r *Runner) Summary() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s Summary
	for _, j := range r.q.jobs {
		switch j.State {
		case Done:
			s.Downloaded++
			s.Bytes = satAdd(s.Bytes, j.Done)
			if j.Resumed {
				s.Resumed++
			}
		case UpToDate:
			if j.fetched {
				// Downloaded earlier in this session, then queued again.
				s.Downloaded++
				s.Bytes = satAdd(s.Bytes, j.fetchedBytes)
				continue
			}
			s.UpToDate++
		case Failed:
			s.Failed = append(s.Failed, Failure{Name: j.Name, Reason: j.Reason()})
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

// Bounds of the summary text, whatever the number of failures.
const (
	summaryFailures = 5   // failures listed one by one
	summaryName     = 60  // runes of a listed name
	summaryReason   = 160 // runes of a listed reason
)

// String returns the summary as a few lines of plain text (no trailing
// newline), or "" when there were no downloads: a sentence with the
// counts, then up to five failures as "failed: <reason>: <name>", long
// names and reasons shortened in the middle, then "… and N more failures".
// Names and reasons come from the server and are sanitized: the text is
// safe to print on a terminal.
func (s Summary) String() string {
	if s.Empty() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s downloaded (%s)", plural(s.Downloaded, "file"), humanBytes(s.Bytes))
	for _, part := range []struct {
		n    int
		text string
	}{
		{s.UpToDate, "skipped (up to date)"},
		{len(s.Failed), "failed"},
		{s.Cancelled, "cancelled"},
		{s.Unfinished, "not finished"},
	} {
		if part.n > 0 {
			fmt.Fprintf(&b, ", %s %s", humanize.Comma(int64(part.n)), part.text)
		}
	}
	b.WriteByte('.')
	for i, f := range s.Failed {
		if i == summaryFailures {
			fmt.Fprintf(&b, "\n  … and %s more failures", humanize.Comma(int64(len(s.Failed)-i)))
			break
		}
		fmt.Fprintf(&b, "\n  failed: %s: %s",
			shortenMiddle(printable(f.Reason), summaryReason),
			shortenMiddle(printable(f.Name), summaryName))
	}
	return b.String()
}
