package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

// Env is what Main reads from the process, injectable for tests.
type Env struct {
	Getenv func(string) string // os.Getenv
	Home   string              // the home folder, for ~/.netrc
	Stdin  *os.File            // the terminal's input
	Stdout *os.File            // the terminal's output; help, and the summary after exit
	Stderr io.Writer           // errors, and "interrupted"
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
	if len(args) > 0 && (args[0] == "ls" || args[0] == "get") {
		return runVerb(args[0], args[1:], env)
	}
	cfg, err := parseFlags(args, env.Stdout)
	if errors.Is(err, errHelp) {
		return exitOK
	}
	if err != nil {
		return fail(env, exitUsage, err)
	}
	if cfg.Version {
		fmt.Fprintln(env.Stdout, "wbfiles", wandb.Version)
		return exitOK
	}
	// A malformed argument is a usage error whatever the terminal (exit 2).
	if cfg.Run != "" {
		_, err := wandb.ParseTarget(cfg.Run, env.Getenv("WANDB_ENTITY"))
		if errors.Is(err, wandb.ErrArtifactNotSupported) {
			_, err = wandb.ParseArtifactRef(cfg.Run, env.Getenv("WANDB_ENTITY"))
		}
		if err != nil {
			return fail(env, exitUsage, err)
		}
	}
	// Before any network: `wbfiles RUN | less` should not wait on a slow
	// host to learn that it needs a terminal.
	if !env.IsTerminal(env.Stdin.Fd()) || !env.IsTerminal(env.Stdout.Fd()) {
		return fail(env, exitError, errors.New("stdin and stdout must be a terminal (wbfiles is interactive)"))
	}
	st, err := start(cfg, env)
	if errors.Is(err, wandb.ErrInvalidRunRef) || errors.Is(err, wandb.ErrInvalidTarget) || errors.Is(err, wandb.ErrInvalidArtifactRef) {
		return fail(env, exitUsage, err)
	}
	if err != nil {
		return fail(env, exitError, err)
	}
	defer st.close()
	return runUI(st, cfg, env)
}

func fail(env Env, code int, err error) int {
	// One line, harmless on a terminal; a multi-line message (the
	// accepted forms of a run reference) keeps its parts apart with "; ".
	fmt.Fprintln(env.Stderr, "wbfiles: "+termtext.Line(err.Error()))
	return code
}
