package wandbtest

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Run.logLines(first, after, last, before, useImprovedPagination): the
// lines of the run's output.log, numbered from 0, paged as Relay
// connections page (after and before bound the lines, then first keeps
// the first N and last the last N, in ascending order: logLines(last: N)
// is the tail, as run.console_logs(last=N) asks). useImprovedPagination
// is accepted and changes nothing: this server always pages forwards with
// first/after. A run without an output.log has logLines null.
//
// timestamp is the time the line starts with ("2006-01-02 15:04:05"), else
// that of the line before (or the run's creation), in UTC without a zone
// designator as W&B writes it; level is "error" from a Python traceback
// on (the run's stderr), else "info".

// logTimeLayout is how LogLine.timestamp is written.
const logTimeLayout = "2006-01-02T15:04:05"

// logLine is one LogLine, serving as its edge too.
type logLine struct {
	run    *runData
	number int
	text   string
	at     time.Time
	stderr bool
}

// logLinesOf splits output.log into lines; nil without one.
func (rd *runData) logLinesOf() []logLine {
	b := rd.content("output.log")
	if b == nil {
		return nil
	}
	if len(b) == 0 {
		return []logLine{}
	}
	texts := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	out := make([]logLine, len(texts))
	at, stderr := rd.spec.CreatedAt, false
	for i, text := range texts {
		if len(text) >= 19 {
			if t, err := time.Parse("2006-01-02 15:04:05", text[:19]); err == nil {
				at = t
			}
		}
		stderr = stderr || strings.HasPrefix(text, "Traceback (most recent call last)")
		out[i] = logLine{run: rd, number: i, text: text, at: at, stderr: stderr}
	}
	return out
}

// logLinesPage answers Run.logLines.
func (rd *runData) logLinesPage(args map[string]any) (value, error) {
	lines := rd.logLinesOf()
	if lines == nil {
		return null, nil
	}
	start, end := 0, len(lines)
	if after, ok := argString(args, "after"); ok && after != "" {
		n, err := decodeLineCursor(after)
		if err != nil {
			return null, err
		}
		start = min(max(n+1, 0), end)
	}
	if before, ok := argString(args, "before"); ok && before != "" {
		n, err := decodeLineCursor(before)
		if err != nil {
			return null, err
		}
		end = max(min(n, end), start)
	}
	for _, arg := range []string{"first", "last"} {
		v, ok := args[arg]
		if !ok || v == nil {
			continue
		}
		n, err := toInt(v)
		if err != nil || n < 0 {
			return null, errors.New(arg + " must be a non-negative integer")
		}
		if arg == "first" {
			end = min(end, start+int(n))
		} else {
			start = max(start, end-int(n))
		}
	}
	return vObject(&logConn{lines: lines[start:end], hasPrev: start > 0, hasNext: end < len(lines)}), nil
}

// lineCursor and decodeLineCursor make a line's opaque cursor.
func lineCursor(n int) string { return encodeCursor("line:" + strconv.Itoa(n)) }

func decodeLineCursor(c string) (int, error) {
	s, err := decodeCursor(c)
	if err == nil {
		if rest, ok := strings.CutPrefix(s, "line:"); ok {
			if n, err := strconv.Atoi(rest); err == nil {
				return n, nil
			}
		}
	}
	return 0, errors.New("invalid cursor " + strconv.Quote(c))
}

// logConn is a LogLineConnection.
type logConn struct {
	lines            []logLine
	hasNext, hasPrev bool
}

func (c *logConn) Len() int       { return len(c.lines) }
func (c *logConn) At(i int) value { return vObject(&c.lines[i]) }

func (c *logConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.lines), func(i int) string { return lineCursor(c.lines[i].number) }), nil
	}
	return null, unknownField("LogLineConnection", name)
}

func (l *logLine) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(lineCursor(l.number)), nil
	case "node":
		return vObject(l), nil
	case "id":
		return vString(opaqueID("LogLine", l.run.spec.Ref(), strconv.Itoa(l.number))), nil
	case "label":
		return null, nil
	case "level":
		if l.stderr {
			return vString("error"), nil
		}
		return vString("info"), nil
	case "line":
		return vString(l.text), nil
	case "number":
		return vInt(int64(l.number)), nil
	case "timestamp":
		return vString(l.at.UTC().Format(logTimeLayout)), nil
	}
	return null, unknownField("LogLine", name)
}

// logLineCount answers Run.logLineCount: the lines of output.log, as
// logLinesOf splits them.
func (rd *runData) logLineCount() int64 {
	b := rd.content("output.log")
	if len(b) == 0 {
		return 0
	}
	return int64(bytes.Count(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) + 1)
}
