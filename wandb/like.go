package wandb

import "strings"

// EscapeLike escapes the MySQL LIKE wildcards % and _ and the escape
// character \ with a backslash, so s matches only itself.
func EscapeLike(s string) string {
	if !strings.ContainsAny(s, `%_\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// GlobToLike turns what a user types into a files pattern (MySQL LIKE, which
// W&B matches without regard to case):
//   - text with * or ? is a glob over the whole name: * is any run of
//     characters, ? exactly one, everything else literal ("*.json",
//     "media/*", "step_??.pt");
//   - other text matches names that contain it ("loss" → "%loss%");
//   - empty text gives "" (no filter).
//
// A literal %, _ or \ in the text is escaped.
func GlobToLike(s string) string {
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s, "*?") {
		return "%" + EscapeLike(s) + "%"
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for _, r := range s {
		switch r {
		case '*':
			b.WriteByte('%')
		case '?':
			b.WriteByte('_')
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
