package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// blockInFlight is how many running files the live block lists.
const blockInFlight = 6

// stderrTerminal reports whether stderr is a terminal, and its width.
func stderrTerminal(env Env) (bool, int) {
	f, ok := env.Stderr.(*os.File)
	if !ok || !env.IsTerminal(f.Fd()) {
		return false, 0
	}
	w := env.Width
	if w <= 0 {
		w, _, _ = term.GetSize(f.Fd())
	}
	if w <= 0 {
		w = 80
	}
	return true, w
}

// liveBlock is the compact progress block `wbfiles get` keeps redrawing
// at the bottom of a terminal: the totals, a bar, and the files in flight.
// Lines printed through it (a failure) stay above the block.
type liveBlock struct {
	w     io.Writer
	width int
	lines int // how many lines the block drawn last holds
}

// clear erases the block drawn last, leaving the cursor where it began.
func (b *liveBlock) clear() {
	if b.lines > 0 {
		fmt.Fprintf(b.w, "\x1b[%dA\x1b[J", b.lines)
		b.lines = 0
	}
}

// above prints line above the block.
func (b *liveBlock) above(line string) {
	b.clear()
	fmt.Fprintln(b.w, termtext.Fit(line, b.width))
}

// draw replaces the block with the runner's state now.
func (b *liveBlock) draw(run *runner.Runner) {
	lines := blockLines(run.Totals(), run.Running(blockInFlight), b.width)
	b.clear()
	for _, l := range lines {
		fmt.Fprintln(b.w, l)
	}
	b.lines = len(lines)
}

// blockLines are the block's lines, each at most width cells: the totals,
// a bar, then one line per file in flight.
func blockLines(t runner.Totals, running []runner.Job, width int) []string {
	head := totalsText(t, " · ")
	barW := max(min(width, 60), 10)
	filled := int(math.Round(t.Fraction() * float64(barW)))
	filled = max(min(filled, barW), 0)
	lines := []string{termtext.Fit(head, width), strings.Repeat("█", filled) + strings.Repeat("░", barW-filled)}
	for _, j := range running {
		state := termtext.Bytes(j.Done)
		if f, ok := j.Fraction(); ok {
			state = fmt.Sprintf("%3.0f%%", f*100)
		}
		name := termtext.Middle(termtext.Safe(j.Name), max(width-10, 8))
		lines = append(lines, termtext.Fit("  "+termtext.PadLeft(state, 6)+" "+name, width))
	}
	return lines
}
