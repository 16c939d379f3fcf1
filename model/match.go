package model

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wbfiles/wbfiles/internal/like"
)

// Needle is a prepared case-insensitive query: a substring, or, when the
// text holds * or ?, a glob over the whole name as the server applies it
// (see wandb.GlobToLike).
type Needle struct {
	glob  *like.Pattern // nil unless the text is a glob
	runes []rune        // lower-cased
	// ascii is the lower-cased text when it is all ASCII: then names that
	// are ASCII too are searched byte by byte, the common case and several
	// times faster than decoding runes.
	ascii []byte
}

// NewNeedle folds text for Match; an empty text matches everything.
// Text with * or ? is compiled as a glob, once, so matching each row of a
// keystroke allocates nothing.
func NewNeedle(text string) Needle {
	var n Needle
	if strings.ContainsAny(text, "*?") {
		n.glob = compileGlob(text)
		n.runes = []rune(text) // not Empty
		return n
	}
	isASCII := true
	for _, r := range text {
		n.runes = append(n.runes, unicode.ToLower(r))
		if r >= utf8.RuneSelf {
			isASCII = false
		}
	}
	if isASCII && text != "" {
		n.ascii = make([]byte, len(text))
		for i := range len(text) {
			n.ascii[i] = lowerASCII(text[i])
		}
	}
	return n
}

// Empty reports whether the needle matches everything.
func (n Needle) Empty() bool { return len(n.runes) == 0 }

// IsGlob reports whether the needle is a glob over the whole name. A glob
// is no extension of a shorter text's matches: "*.pn" matches names
// "*.png" does not.
func (n Needle) IsGlob() bool { return n.glob != nil }

// Match returns the byte range [start, end) of the first case-insensitive
// occurrence of n in s. It folds rune by rune, so the offsets are valid in
// s itself (lower-casing the whole string could change byte lengths), and
// it allocates nothing.
func (n Needle) Match(s string) (start, end int, ok bool) {
	if len(n.runes) == 0 {
		return 0, 0, true
	}
	if n.glob != nil {
		// The whole name matches; no part of it is highlighted, as the
		// wildcards' runs are not worth marking.
		return 0, 0, n.glob.Match(s)
	}
	if n.ascii != nil {
		if start, ok, decided := n.matchASCII(s); decided {
			if !ok {
				return 0, 0, false
			}
			return start, start + len(n.ascii), true
		}
	}
	for i := 0; i < len(s); {
		if j, ok := n.matchAt(s, i); ok {
			return i, j, true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return 0, 0, false
}

// matchASCII searches an ASCII needle byte by byte. decided is false when
// s holds a non-ASCII byte before an answer was found: some non-ASCII
// letters fold to ASCII ones (the Kelvin sign to k), so the rune path
// must decide.
func (n Needle) matchASCII(s string) (start int, ok, decided bool) {
	p := n.ascii
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return 0, false, false
		}
		if lowerASCII(c) != p[0] || len(s)-i < len(p) {
			continue
		}
		j := 1
		for ; j < len(p); j++ {
			d := s[i+j]
			if d >= utf8.RuneSelf {
				return 0, false, false
			}
			if lowerASCII(d) != p[j] {
				break
			}
		}
		if j == len(p) {
			return i, true, true
		}
	}
	return 0, false, true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// matchAt reports whether n matches s at byte i and where the match ends.
func (n Needle) matchAt(s string, i int) (int, bool) {
	for _, want := range n.runes {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.ToLower(r) != want {
			return 0, false
		}
		i += size
	}
	return i, true
}
