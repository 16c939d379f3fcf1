package model

import (
	"github.com/wbfiles/wbfiles/internal/like"
	"github.com/wbfiles/wbfiles/wandb"
)

// compileGlob compiles what the user typed with * or ? into the pattern
// the server will apply when the filter is sent (wandb.GlobToLike), so the
// narrowing of the loaded rows and the server's answer agree: one matcher
// (internal/like) for both.
func compileGlob(text string) *like.Pattern {
	p := like.Compile(wandb.GlobToLike(text))
	return &p
}
