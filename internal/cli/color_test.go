package cli

import (
	"strings"
	"testing"
)

// runOnPipe runs Main until the list shows a.txt, quits, and returns what
// the program drew.
func runOnPipe(t *testing.T, args []string, vars map[string]string, environ []string) string {
	t.Helper()
	p := startOnPipe(t, args, vars, environ)
	p.waitForText(t, "a.txt")
	p.quit(t)
	return p.output()
}

// hasColour reports whether s sets a foreground or background colour.
func hasColour(s string) bool {
	for _, c := range []string{"[38;", ";38;", "[48;", ";48;"} {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

// TestNoColor checks that --no-color and NO_COLOR leave no colour in what
// the program draws on a terminal that has colours, and that it draws
// colours there otherwise (so the check can fail).
func TestNoColor(t *testing.T) {
	srv := startServer(t)
	vars := map[string]string{"WANDB_BASE_URL": srv.URL(), "WANDB_API_KEY": testKey}
	colourTerm := []string{"TERM=xterm-256color", "COLORTERM=truecolor", "CLICOLOR_FORCE=1"}
	if out := runOnPipe(t, []string{"ent/proj/run1"}, vars, colourTerm); !hasColour(out) {
		t.Fatal("no colours on a colour terminal: the checks below would prove nothing")
	}
	if out := runOnPipe(t, []string{"--no-color", "ent/proj/run1"}, vars, colourTerm); hasColour(out) {
		t.Error("--no-color drew colours")
	}
	vars["NO_COLOR"] = "1"
	if out := runOnPipe(t, []string{"ent/proj/run1"}, vars, colourTerm); hasColour(out) {
		t.Error("NO_COLOR=1 drew colours")
	}
}
