package runner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
)

// printable keeps s on one line and makes it harmless on a terminal:
// white space controls become spaces, other control characters (C0, DEL,
// C1 such as the CSI U+009B) and invalid UTF-8 become '?'.
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

// shortenMiddle cuts s to at most max runes by replacing its middle with
// "…", so both the start and the end (a file's extension, the end of an
// error) stay.
func shortenMiddle(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	head := (max - 1) / 2
	tail := max - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// humanBytes formats a byte count in binary units ("1.2 GiB"), as the list
// shows sizes; a negative count shows as 0 B.
func humanBytes(n int64) string { return humanize.IBytes(uint64(max(n, 0))) }

// sizeText words known bytes plus a count of files of unknown size.
func sizeText(known int64, unknown int) string {
	if unknown > 0 && known == 0 {
		return "size unknown"
	}
	text := humanBytes(known)
	if unknown > 0 {
		text += " + " + humanize.Comma(int64(unknown)) + " of unknown size"
	}
	return text
}

// plural returns "1 file", "2 files", "1,234 files".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return humanize.Comma(int64(n)) + " " + word + "s"
}
