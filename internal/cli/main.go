package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/wbfiles/wbfiles/tui"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// startupTimeout bounds the start-up check of the run, retries included,
// so a wrong host fails in seconds rather than after the client's full
// retry budget (which suits page requests once the UI runs).
const startupTimeout = 20 * time.Second

// startupRetry is the retry policy of the start-up check: a few quick
// tries, since the user is waiting on a blank line.
var startupRetry = wandb.RetryPolicy{MaxAttempts: 4, MinWait: 250 * time.Millisecond, MaxWait: 2 * time.Second, MaxElapsed: 8 * time.Second}

// Env is what Main reads from the process, injectable for tests.
type Env struct {
	Getenv func(string) string // os.Getenv
	Home   string              // the home folder, for ~/.netrc
	Stdin  *os.File            // the terminal's input
	Stdout *os.File            // the terminal's output; the summary goes here after exit
	Stderr io.Writer           // start-up errors, help
	// IsTerminal reports whether a file descriptor is a terminal.
	IsTerminal func(fd uintptr) bool
	// Retry, when set, replaces the client's retry policy (tests).
	Retry wandb.RetryPolicy
	// Width and Height, when set, are the terminal size the program starts
	// with (tests, whose output is a file with no size to ask).
	Width, Height int
	// Environ, when set, replaces os.Environ for the program's terminal
	// detection (tests: TERM, CLICOLOR_FORCE).
	Environ []string
}

// OSEnv returns the process's real environment.
func OSEnv() Env {
	home, _ := os.UserHomeDir()
	return Env{
		Getenv: os.Getenv, Home: home,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		IsTerminal: term.IsTerminal,
	}
}

// Main runs wbfiles with args (without the program name) and returns the
// exit code. Every problem found before the UI starts is one line on
// stderr.
func Main(args []string, env Env) int {
	cfg, err := parseFlags(args, env.Stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		return fail(env, 2, err)
	}
	if cfg.Version {
		fmt.Fprintln(env.Stdout, "wbfiles", wandb.Version)
		return 0
	}
	// Before any network: `wbfiles RUN | less` should not wait on a slow
	// host to learn that it needs a terminal.
	if !env.IsTerminal(env.Stdin.Fd()) || !env.IsTerminal(env.Stdout.Fd()) {
		return fail(env, 1, errors.New("stdin and stdout must be a terminal (wbfiles is interactive)"))
	}
	st, err := start(cfg, env)
	if err != nil {
		return fail(env, 1, err)
	}
	defer st.close()
	final, err := tea.NewProgram(tui.New(st.opts), programOptions(cfg, env)...).Run()
	printSummary(env.Stdout, final)
	if err != nil {
		return fail(env, 1, err)
	}
	return 0
}

// printSummary writes what the downloads came to on the normal screen,
// where it stays readable after the alt screen is gone; nothing when
// nothing was downloaded.
func printSummary(w io.Writer, final tea.Model) {
	if m, ok := final.(tui.Model); ok {
		if s := m.Summary(); s != "" {
			fmt.Fprintln(w, s)
		}
	}
}

func fail(env Env, code int, err error) int {
	fmt.Fprintln(env.Stderr, "wbfiles: "+oneLine(err.Error()))
	return code
}

// Line breaks become "; " so a multi-line message (the accepted forms of
// a run reference) still reads as separate parts.
func oneLine(s string) string {
	var b strings.Builder
	for l := range strings.Lines(s) {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			if strings.HasSuffix(b.String(), ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// started is what start-up prepared: the UI options and what to release.
type started struct {
	opts  tui.Options
	close func()
}

// start builds the client (on the demo server with --demo), parses RUN and
// checks that the run exists, all before the alt screen.
func start(cfg Config, env Env) (started, error) {
	st := started{close: func() {}}
	var wcfg wandb.Config
	ref := cfg.Run
	if cfg.Demo {
		srv, err := wandbtest.StartDemo()
		if err != nil {
			return st, fmt.Errorf("cannot start the demo server: %w", err)
		}
		st.close = srv.Close
		wcfg = wandb.Config{BaseURL: srv.URL(), APIKey: wandbtest.DemoAPIKey}
		if ref == "" {
			ref = wandbtest.DemoRun
		}
	} else {
		var err error
		wcfg, err = wandb.LoadConfigWith(env.Getenv, env.Home, wandb.LoadOptions{
			BaseURL: cfg.BaseURL, BaseURLFrom: "--base-url", RunBase: wandb.APIBaseOf(ref),
		})
		if err != nil {
			return st, err
		}
	}
	if env.Retry.MaxAttempts > 0 {
		wcfg.Retry = env.Retry
	}
	client, err := wandb.NewClient(wcfg)
	if err != nil {
		return st, err
	}
	run, err := client.ParseRunRef(ref)
	if err != nil {
		return st, err
	}
	check := wcfg
	if check.Retry.MaxAttempts == 0 {
		check.Retry = startupRetry
	}
	checker, err := wandb.NewClient(check)
	if err != nil {
		return st, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	info, err := checker.Run(ctx, run)
	if err != nil {
		if ctx.Err() != nil {
			return st, fmt.Errorf("%s did not answer within %s: %w", client.Host(), startupTimeout, err)
		}
		return st, err
	}
	dest, err := prepareDest(cfg.Dest)
	if err != nil {
		return st, err
	}
	existing := wandb.KeepExisting
	if cfg.Override {
		existing = wandb.Overwrite
	}
	st.opts = tui.Options{
		Source:     client,
		Downloader: client,
		Parallel:   cfg.Parallel,
		Existing:   existing,
		Run:        info,
		Dest:       dest,
		PageSize:   cfg.PerPage,
		Pattern:    cfg.Pattern,
		Names:      cfg.Names,
		Dark:       true,
	}
	return st, nil
}

// programOptions runs the program on env's terminal and honours
// --no-color and NO_COLOR: text attributes (the reverse-video cursor)
// stay, colours go.
func programOptions(cfg Config, env Env) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithInput(env.Stdin), tea.WithOutput(env.Stdout)}
	if env.Environ != nil {
		opts = append(opts, tea.WithEnvironment(env.Environ))
	}
	if env.Width > 0 && env.Height > 0 {
		opts = append(opts, tea.WithWindowSize(env.Width, env.Height))
	}
	if cfg.NoColor || env.Getenv("NO_COLOR") != "" {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	return opts
}
