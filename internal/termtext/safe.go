package termtext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unsafeRune reports whether r must not reach a terminal: C0 and C1
// controls, DEL, and the replacement rune that stands for an invalid byte
// (a lone 0x9b is a CSI to some terminals).
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == utf8.RuneError
}

// clean reports whether s is plain printable ASCII or valid UTF-8 with no
// control character, so the common case allocates nothing.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		} else if c >= 0x80 {
			for _, r := range s[i:] {
				if unsafeRune(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// Safe makes a one-line value (a file name, a run name, a state from the
// server) harmless: every control character and invalid byte becomes '?'.
// Single-byte controls keep the byte offsets of the rest stable.
func Safe(s string) string {
	if clean(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return '?'
		}
		return r
	}, s)
}

// Line makes s harmless and keeps it on one line: white space (line
// breaks and tabs included) collapses to single spaces, a line break after
// a colon reads as a space and any other as "; " so the parts of a
// multi-line message stay apart; other controls become '?'.
func Line(s string) string {
	var b strings.Builder
	for l := range strings.Lines(s) {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			if strings.HasSuffix(b.String(), ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(l)
	}
	return Safe(b.String())
}

// Block makes a multi-line text (a file preview) harmless: newlines stay,
// CRLF becomes LF, tabs become four spaces, every other control character
// and invalid byte is dropped.
func Block(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\t", "    ")
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unsafeRune(r) {
			return -1
		}
		return r
	}, s)
}

// Drop removes control characters other than white space, and invalid
// bytes, joining what stood around them: for text that is searched after
// (an API key split by an escape sequence must still be found and masked).
func Drop(s string) string {
	if clean(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
