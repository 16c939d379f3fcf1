package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// pipeRun is Main running in the background on a pipe taken for a
// terminal; keys written to it reach the program.
type pipeRun struct {
	keys   *os.File
	stdout string
	stderr *bytes.Buffer
	done   chan int
}

// startOnPipe starts Main with args, vars as its environment variables and
// environ (when not nil) for its terminal detection.
func startOnPipe(t *testing.T, args []string, vars map[string]string, environ []string) *pipeRun {
	t.Helper()
	env, stderr := testEnv(t, vars)
	env.Width, env.Height = 100, 30
	env.Environ = environ
	in, keys, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close() })
	env.Stdin = in
	p := &pipeRun{keys: keys, stdout: env.Stdout.Name(), stderr: stderr, done: make(chan int, 1)}
	go func() { p.done <- Main(args, env) }()
	return p
}

// output is what the program has drawn so far.
func (p *pipeRun) output() string {
	b, _ := os.ReadFile(p.stdout)
	return string(b)
}

// waitFor polls cond for up to 10 s.
func (p *pipeRun) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitForText waits until the output shows s.
func (p *pipeRun) waitForText(t *testing.T, s string) {
	t.Helper()
	p.waitFor(t, s, func() bool { return strings.Contains(p.output(), s) })
}

// quit presses q and checks that the program ends with exit code 0.
func (p *pipeRun) quit(t *testing.T) {
	t.Helper()
	p.keys.WriteString("q")
	select {
	case code := <-p.done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, p.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not end the program")
	}
}
