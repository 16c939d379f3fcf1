package cli

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/wbfiles/wbfiles/tui"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// stopWait bounds how long the end of the program waits for cancelled
// downloads to close their files.
const stopWait = 5 * time.Second

// runUI runs the terminal UI until the user quits or a signal ends it,
// then stops the downloads still running, prints the summary on the
// normal screen and returns the exit code.
func runUI(st started, cfg Config, env Env) int {
	m := tui.New(st.opts)
	susp := newSuspender()
	p := tea.NewProgram(m, append(programOptions(cfg, env), tea.WithFilter(susp.filter))...)
	signals := watchSignals(p)
	stopSuspend := susp.watch(p)
	_, err := p.Run()
	stopSuspend()
	sig := signals.stop()
	stopDownloads(m.Runner(), stopWait)
	summary, incomplete := outcome(m)
	if summary != "" {
		// Where it stays readable after the alt screen is gone.
		fmt.Fprintln(env.Stdout, summary)
	}
	switch {
	case sig != nil:
		fmt.Fprintf(env.Stderr, "wbfiles: interrupted (%s)\n", signalName(sig))
		return 128 + int(sig.(syscall.Signal))
	case errors.Is(err, tea.ErrInterrupted):
		fmt.Fprintln(env.Stderr, "wbfiles: interrupted")
		return 128 + int(syscall.SIGINT)
	case err != nil:
		return fail(env, exitError, err)
	case incomplete:
		return exitIncomplete
	}
	return exitOK
}

// stopDownloads cancels the downloads still running when the program
// ends and waits up to wait for them to close their files, so nothing
// downloads after Main returns and each partial file is left as the
// engine keeps it for a resume.
func stopDownloads(run *runner.Runner, wait time.Duration) {
	if run == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		run.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
	}
}

// outcome reads what the downloads came to from the UI's model: the
// summary text ("" when nothing was queued) and whether a download failed,
// was cancelled or had not finished. It is the one place that reads the
// UI's download state.
func outcome(m *tui.Model) (summary string, incomplete bool) {
	s := m.Outcome()
	return m.Summary(), len(s.Failed)+s.Cancelled+s.Unfinished > 0
}

// programOptions runs the program on env's terminal, leaves signals to
// watchSignals, and honours --no-color and NO_COLOR: text attributes (the
// reverse-video cursor) stay, colours go.
func programOptions(cfg Config, env Env) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithInput(env.Stdin), tea.WithOutput(env.Stdout), tea.WithoutSignalHandler()}
	if env.Environ != nil {
		opts = append(opts, tea.WithEnvironment(env.Environ))
	}
	if env.Width > 0 && env.Height > 0 {
		opts = append(opts, tea.WithWindowSize(env.Width, env.Height))
	}
	if cfg.NoColor || env.Getenv("NO_COLOR") != "" {
		// Colours go, text attributes stay, but never more than the
		// terminal has: TERM=dumb stays NoTTY (no attributes at all, so
		// the cursor row keeps its '>' marker).
		environ := env.Environ
		if environ == nil {
			environ = os.Environ()
		}
		if colorprofile.Env(environ) > colorprofile.Ascii {
			opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
		}
	}
	return opts
}
