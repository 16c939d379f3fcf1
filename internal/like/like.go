// Package like is the one matcher of MySQL LIKE patterns in this module,
// as W&B's files(pattern:) matches them: % is any run of characters, _
// exactly one character (a code point), \ makes the next character
// literal (a trailing \ is a literal backslash, as in MySQL), and case is
// ignored through Unicode simple case folding, as MySQL's case-insensitive
// collation does. The match is over the whole string.
//
// It lives here, not in package wandb, so that the in-repo server
// (wandb/wandbtest, which wandb's own tests import) answers patterns with
// the same code the client filters an artifact's manifest with;
// wandb.MatchLike is its public face.
package like

import (
	"unicode"
	"unicode/utf8"
)

// token is one element of a compiled pattern.
type token struct {
	kind byte // 'c' a literal rune, '_' one rune, '%' any run
	r    rune // the literal, case-folded
}

// Pattern is a compiled LIKE pattern. The zero value matches only "".
type Pattern struct {
	toks []token
}

// Compile compiles a LIKE pattern; every string is a valid pattern.
// Invalid UTF-8 bytes are one character each (utf8.RuneError), in the
// pattern as in the strings it is matched against.
func Compile(pattern string) Pattern {
	toks := make([]token, 0, len(pattern))
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			escaped = false
			toks = append(toks, token{kind: 'c', r: fold(r)})
		case r == '\\':
			escaped = true
		case r == '%':
			// Runs of % are one: matching stays linear in practice.
			if len(toks) == 0 || toks[len(toks)-1].kind != '%' {
				toks = append(toks, token{kind: '%'})
			}
		case r == '_':
			toks = append(toks, token{kind: '_'})
		default:
			toks = append(toks, token{kind: 'c', r: fold(r)})
		}
	}
	if escaped {
		toks = append(toks, token{kind: 'c', r: '\\'})
	}
	return Pattern{toks: toks}
}

// Match reports whether s matches pattern. To match many strings, Compile
// once and use Pattern.Match.
func Match(pattern, s string) bool { return Compile(pattern).Match(s) }

// Match reports whether the whole of s matches. It is the classic wildcard
// matcher that backtracks only to the last %, O(len(s)·len(p)) at worst,
// and it allocates nothing.
func (p Pattern) Match(s string) bool {
	g := p.toks
	if !p.tailMatches(s) {
		return false
	}
	gi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		r, size := rune(s[si]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[si:])
		}
		if gi < len(g) {
			switch t := g[gi]; {
			case t.kind == '%':
				star, mark = gi, si
				gi++
				continue
			case t.kind == '_' || t.r == fold(r):
				gi++
				si += size
				continue
			}
		}
		if star < 0 {
			return false
		}
		// Let the last % take one more rune and retry after it.
		gi = star + 1
		_, msize := utf8.DecodeRuneInString(s[mark:])
		mark += msize
		si = mark
	}
	for gi < len(g) && g[gi].kind == '%' {
		gi++
	}
	return gi == len(g)
}

// tailMatches checks the tokens after the last % against the end of s
// alone: most strings fail there ("%.json"), before any backtracking.
func (p Pattern) tailMatches(s string) bool {
	for i := len(p.toks) - 1; i >= 0 && p.toks[i].kind != '%'; i-- {
		if s == "" {
			return false
		}
		r, size := utf8.DecodeLastRuneInString(s)
		if p.toks[i].kind == 'c' && p.toks[i].r != fold(r) {
			return false
		}
		s = s[:len(s)-size]
	}
	return true
}

// asciiFold is foldRune of every ASCII rune, the common case.
var asciiFold = func() (t [utf8.RuneSelf]rune) {
	for i := range t {
		t[i] = foldRune(rune(i))
	}
	return t
}()

// fold maps r to the representative of its case-folding orbit.
func fold(r rune) rune {
	if r >= 0 && r < utf8.RuneSelf {
		return asciiFold[r]
	}
	return foldRune(r)
}

// foldRune maps r to the smallest rune of its case-folding orbit, so two
// runes are equal ignoring case exactly when their folds are ("k", "K"
// and the Kelvin sign fold alike).
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}
