package cli

// Exit codes of Main, as --help and the README list them. After a signal
// the code is 128 plus its number, as a shell reports a process the signal
// ended: 129 SIGHUP, 130 SIGINT, 143 SIGTERM.
const (
	exitOK    = 0
	exitError = 1 // start-up failed, or the UI stopped on an error
	exitUsage = 2 // bad flags or arguments, an invalid RUN included
	// exitIncomplete: a download failed, was cancelled, or was still
	// queued or running when the program quit.
	exitIncomplete = 3
)

// exitCodes is the part of --help that lists them.
const exitCodes = `
Exit status:
  0    done: every download asked for is on disk (or none was asked for)
  1    error (start-up, or the terminal UI)
  2    bad flags or arguments (an invalid RUN too)
  3    some downloads failed, were cancelled, or were left unfinished by quitting
  129, 130, 143
       ended by SIGHUP, SIGINT or SIGTERM: downloads stopped, partial files kept
`
