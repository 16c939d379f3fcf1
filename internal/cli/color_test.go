package cli

import (
	"os"
	"strings"
	"testing"
	"time"
)

// runOnPipe runs Main on a pipe taken for a terminal until the list
// shows a.txt, then quits with q and returns what the program drew.
func runOnPipe(t *testing.T, args []string, vars map[string]string, environ []string) string {
	t.Helper()
	env, stderr := testEnv(t, vars)
	env.Width, env.Height = 100, 30
	env.Environ = environ
	in, keys, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	env.Stdin = in
	done := make(chan int, 1)
	go func() { done <- Main(args, env) }()
	output := func() string {
		b, _ := os.ReadFile(env.Stdout.Name())
		return string(b)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(output(), "a.txt"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the list")
		}
	}
	keys.WriteString("q")
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not end the program")
	}
	return output()
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
