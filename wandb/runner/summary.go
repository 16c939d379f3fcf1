package runner

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"
)

// Failure is a failed file and why it failed.
type Failure struct {
	Name string
	// Dest is the folder the file was to go to (see Job.Dest): two
	// failures of one name differ by it.
	Dest string
	// Reason is the engine's words, in full.
	Reason string
	// Cause is Reason without the file's name and path (or, for an md5
	// mismatch, without the digests), so files that failed the same way
	// share it: "cannot write …: no space left on device".
	Cause string
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
			s.Failed = append(s.Failed, Failure{Name: j.Name, Dest: j.Dest, Reason: j.Reason(), Cause: causeOf(j.Err, j.Name, j.Path)})
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
	summaryCauses = 5   // causes listed, most frequent first
	summaryNames  = 3   // names listed per cause
	summaryName   = 48  // runes of a listed name
	summaryCause  = 160 // runes of a listed cause
)

// String returns the summary as a few lines of plain text (no trailing
// newline), or "" when there were no downloads: a sentence with the
// counts, then the failures grouped by cause, most frequent first, as
// "<n> failed: <cause>: <name>, <name>, <name> and <k> more", long causes
// and names shortened in the middle, at most five causes and then
// "… and <n> more failures". Its length is bounded whatever the number of
// failures. Names and causes come from the server and are sanitized: the
// text is safe to print on a terminal.
func (s Summary) String() string {
	if s.Empty() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s downloaded (%s)", termtext.Count(s.Downloaded, "file"), termtext.Bytes(s.Bytes))
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
			fmt.Fprintf(&b, ", %s %s", termtext.Comma(int64(part.n)), part.text)
		}
	}
	b.WriteByte('.')
	groups := groupByCause(s.Failed)
	listed := 0
	for _, g := range groups[:min(len(groups), summaryCauses)] {
		fmt.Fprintf(&b, "\n  %s failed: %s: ", termtext.Comma(int64(g.n)), termtext.Middle(termtext.Line(g.cause), summaryCause))
		for i, name := range g.names {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(termtext.Middle(termtext.Line(name), summaryName))
		}
		if more := g.n - len(g.names); more > 0 {
			fmt.Fprintf(&b, " and %s more", termtext.Comma(int64(more)))
		}
		listed += g.n
	}
	if rest := len(s.Failed) - listed; rest > 0 {
		fmt.Fprintf(&b, "\n  … and %s more failures", termtext.Comma(int64(rest)))
	}
	return b.String()
}

// causeGroup is the failures of one cause: how many, and the first few
// names.
type causeGroup struct {
	cause string
	n     int
	names []string
}

// groupByCause groups failures by Cause (Reason when Cause is empty), most
// frequent first (ties in order of first appearance).
func groupByCause(failures []Failure) []*causeGroup {
	var groups []*causeGroup
	byCause := map[string]*causeGroup{}
	for _, f := range failures {
		cause := cmp.Or(f.Cause, f.Reason)
		g := byCause[cause]
		if g == nil {
			g = &causeGroup{cause: cause}
			byCause[cause] = g
			groups = append(groups, g)
		}
		g.n++
		if len(g.names) < summaryNames {
			g.names = append(g.names, f.Name)
		}
	}
	slices.SortStableFunc(groups, func(a, b *causeGroup) int { return cmp.Compare(b.n, a.n) })
	return groups
}
