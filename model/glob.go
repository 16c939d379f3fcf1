package model

import (
	"unicode"
	"unicode/utf8"
)

// globToken is one element of a compiled glob.
type globToken struct {
	kind byte // 'c' a literal rune, '?' one rune, '*' any run
	r    rune // the literal, case-folded
}

// glob is a compiled glob with the semantics of the server's LIKE pattern
// that wandb.GlobToLike makes of it: over the whole name, * any run of
// characters (/ included), ? exactly one character (a code point), every
// other character literal, case ignored through Unicode case folding as
// MySQL's case-insensitive collation does.
type glob []globToken

func compileGlob(text string) glob {
	g := glob{}
	for _, r := range text {
		switch r {
		case '*':
			// Runs of * are one: matching stays linear in practice.
			if len(g) > 0 && g[len(g)-1].kind == '*' {
				continue
			}
			g = append(g, globToken{kind: '*'})
		case '?':
			g = append(g, globToken{kind: '?'})
		default:
			g = append(g, globToken{kind: 'c', r: foldRune(r)})
		}
	}
	return g
}

// match reports whether the whole of s matches. It is the classic wildcard
// matcher that backtracks only to the last *, O(len(s)·len(g)) at worst,
// and it allocates nothing.
func (g glob) match(s string) bool {
	if !g.tailMatches(s) {
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
			case t.kind == '*':
				star, mark = gi, si
				gi++
				continue
			case t.kind == '?' || t.r == fold(r):
				gi++
				si += size
				continue
			}
		}
		if star < 0 {
			return false
		}
		// Let the last * take one more rune and retry after it.
		gi = star + 1
		_, msize := utf8.DecodeRuneInString(s[mark:])
		mark += msize
		si = mark
	}
	for gi < len(g) && g[gi].kind == '*' {
		gi++
	}
	return gi == len(g)
}

// tailMatches checks the tokens after the last * against the end of s
// alone: most names fail there ("*.png"), before any backtracking.
func (g glob) tailMatches(s string) bool {
	for i := len(g) - 1; i >= 0 && g[i].kind != '*'; i-- {
		if s == "" {
			return false
		}
		r, size := utf8.DecodeLastRuneInString(s)
		if g[i].kind == 'c' && g[i].r != fold(r) {
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

func fold(r rune) rune {
	if r < utf8.RuneSelf {
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
