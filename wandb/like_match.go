package wandb

import "github.com/wbfiles/wbfiles/internal/like"

// MatchLike reports whether s matches the files pattern as W&B's
// files(pattern:) matches it: MySQL LIKE over the whole name, % any run of
// characters (/ included), _ exactly one character (a code point), \ making
// the next character literal (a trailing \ is itself), case ignored through
// Unicode simple case folding. It is how a listing without a server-side
// pattern (an artifact's files) filters the same way; the in-repo server
// answers patterns with the same matcher.
func MatchLike(pattern, s string) bool { return like.Match(pattern, s) }
