package runner

import (
	"errors"
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
)

// causeOf words why a download failed without naming the file: the error's
// text with the local path and the file's name (where they stand as words
// of their own) replaced by "…", so files that failed the same way share
// one cause. An md5 mismatch, whose text holds the digests, is worded
// once for all.
func causeOf(err error, name, path string) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, wandb.ErrChecksum):
		return wandb.ErrChecksum.Error() + " (not put in place)"
	}
	text := err.Error()
	for _, word := range []string{path, name} {
		text = replaceWord(text, word, "…")
	}
	return text
}

// minWord is the shortest name replaceWord replaces: a file called "a"
// must not turn "neither a url" into "neither … url".
const minWord = 4

// replaceWord replaces the occurrences of word in s that stand on their
// own: between the ends of s, spaces, quotes and punctuation, so a name
// does not eat the letters of longer words. Words shorter than minWord
// bytes are left alone.
func replaceWord(s, word, with string) string {
	if len(word) < minWord {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, word)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(word)
		if bounded(s[:i], true) && bounded(s[end:], false) {
			b.WriteString(s[:i])
			b.WriteString(with)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
}

// bounded reports whether side (the text before a match when before is
// true, else after it) ends the match at a word boundary.
func bounded(side string, before bool) bool {
	if side == "" {
		return true
	}
	c := side[0]
	if before {
		c = side[len(side)-1]
	}
	return strings.IndexByte(" \t\"'`:;,()[]", c) >= 0
}
