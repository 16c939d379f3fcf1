package termtext

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes (escape sequences take
// none), with a fast path for plain ASCII, which most names and every
// figure are.
func Width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || c == 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// Fit cuts s to w cells, ending it with "…" when cut.
func Fit(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, max(w, 0), "…")
}

// Pad left-aligns s in exactly w cells, cutting it with "…" when longer.
func Pad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// PadLeft right-aligns s in exactly w cells, cutting it with "…" when
// longer.
func PadLeft(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw >= w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// Middle cuts s to at most w cells by replacing its middle with "…":
// about a third of the head and the rest of the tail stay, as the end of
// a path (the file name and its extension) tells files apart best.
func Middle(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw <= w {
		return s
	}
	head, tail := MiddleParts(s, sw, w)
	return head + "…" + tail
}

// MiddleParts returns the head and tail that Middle keeps of s (of width
// sw) around its "…", for callers that style the parts apart.
func MiddleParts(s string, sw, w int) (head, tail string) {
	headW := (w - 1) / 3
	tailW := w - 1 - headW
	head = ansi.Truncate(s, headW, "")
	tail = ansi.TruncateLeft(s, sw-tailW, "")
	for Width(head)+1+Width(tail) > w && tail != "" {
		// The cut fell inside a wide character, which was kept whole:
		// drop it.
		_, size := utf8.DecodeRuneInString(tail)
		tail = tail[size:]
	}
	return head, tail
}

// FitLines cuts every line of s to w cells, so a long line cannot wrap
// and push a frame past the terminal's height.
func FitLines(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if Width(l) > w {
			lines[i] = Fit(l, w)
		}
	}
	return strings.Join(lines, "\n")
}

// Wrap breaks s into lines of at most w cells, at spaces where it can and
// inside a word where it must (a long URL or hash).
func Wrap(s string, w int) string { return ansi.Wrap(s, max(w, 1), "") }
