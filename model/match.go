package model

import (
	"unicode"
	"unicode/utf8"
)

// Needle is a prepared case-insensitive substring query.
type Needle []rune

// NewNeedle folds text for Match; an empty text matches everything.
func NewNeedle(text string) Needle {
	n := make(Needle, 0, len(text))
	for _, r := range text {
		n = append(n, unicode.ToLower(r))
	}
	return n
}

// Match returns the byte range [start, end) of the first case-insensitive
// occurrence of n in s. It folds rune by rune, so the offsets are valid in
// s itself (lower-casing the whole string could change byte lengths), and
// it allocates nothing.
func (n Needle) Match(s string) (start, end int, ok bool) {
	if len(n) == 0 {
		return 0, 0, true
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

// matchAt reports whether n matches s at byte i and where the match ends.
func (n Needle) matchAt(s string, i int) (int, bool) {
	for _, want := range n {
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
