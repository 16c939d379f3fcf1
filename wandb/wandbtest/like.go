package wandbtest

import (
	"unicode"
	"unicode/utf8"
)

// foldRune maps r to one representative of its Unicode case-folding orbit
// (the smallest rune in it), so two runes are equal ignoring case exactly
// when their folds are equal.
func foldRune(r rune) rune {
	min := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < min {
			min = f
		}
	}
	return min
}

// foldRunes returns the folded runes of s. Invalid UTF-8 bytes become
// utf8.RuneError, as MySQL would refuse them anyway.
func foldRunes(s string) []rune {
	out := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		out = append(out, foldRune(r))
	}
	return out
}

// likeToken is one element of a compiled LIKE pattern.
type likeToken struct {
	kind byte // 'c' literal rune, '_' one rune, '%' any run
	r    rune // folded literal
}

// likePattern is a compiled MySQL LIKE pattern: % matches any run of
// characters, _ exactly one character (a code point), \ makes the next
// character literal (a trailing \ is a literal backslash, as in MySQL).
// Matching ignores case through Unicode case folding, like MySQL's default
// case-insensitive collation.
type likePattern []likeToken

func compileLike(p string) likePattern {
	var out likePattern
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '%':
			// Collapse runs of % so matching stays linear in practice.
			if len(out) > 0 && out[len(out)-1].kind == '%' {
				continue
			}
			out = append(out, likeToken{kind: '%'})
		case '_':
			out = append(out, likeToken{kind: '_'})
		case '\\':
			if i+1 < len(rs) {
				i++
				r = rs[i]
			}
			out = append(out, likeToken{kind: 'c', r: foldRune(r)})
		default:
			out = append(out, likeToken{kind: 'c', r: foldRune(r)})
		}
	}
	return out
}

// match reports whether the folded name s matches. It is the classic
// wildcard matcher that backtracks only to the last %, so it runs in
// O(len(s)·len(p)) at worst and linear time for typical patterns.
func (p likePattern) match(s []rune) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch t := p[pi]; t.kind {
			case '%':
				star, mark = pi, si
				pi++
				continue
			case '_':
				pi++
				si++
				continue
			default:
				if t.r == s[si] {
					pi++
					si++
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		pi = star + 1
		mark++
		si = mark
	}
	for pi < len(p) && p[pi].kind == '%' {
		pi++
	}
	return pi == len(p)
}
