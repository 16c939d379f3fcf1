package tui

import (
	"time"

	"github.com/wbfiles/wbfiles/keymap"
)

// Minimum terminal size; below it the program shows one line asking for
// more room instead of a broken layout.
const (
	minWidth  = 40
	minHeight = 10
)

// common is what every view needs: the terminal size, the styles, the
// key bindings and the clock. The root copies it into each child whenever
// it changes.
type common struct {
	width, height int
	styles        Styles
	keys          keymap.KeyMap
	// now is the clock for relative times; tests fix it so "3 days ago"
	// stays stable.
	now func() time.Time
	// plain is set when the terminal shows no text attributes (TERM=dumb):
	// the cursor row then carries a '>' instead of reverse video.
	plain bool
}

// tooSmall reports whether the terminal is below the minimum size.
func (c common) tooSmall() bool {
	return c.width < minWidth || c.height < minHeight
}
