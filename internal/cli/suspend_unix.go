//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// watchSuspend makes a SIGTSTP from outside (kill -TSTP, a job control
// stop) suspend the program as ctrl+z does: Bubble Tea gives the terminal
// back before the process stops and takes it again on SIGCONT, so `fg`
// finds the screen and raw input as they were. It returns a stop func.
func watchSuspend(p *tea.Program) func() {
	tstp := make(chan os.Signal, 1)
	cont := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(tstp, syscall.SIGTSTP)
	signal.Notify(cont, syscall.SIGCONT)
	go func() {
		for {
			select {
			case <-tstp:
				// The program sends itself SIGTSTP once the terminal is
				// restored: that one must stop the process.
				signal.Reset(syscall.SIGTSTP)
				go p.Send(tea.SuspendMsg{})
			case <-cont:
				signal.Notify(tstp, syscall.SIGTSTP)
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		signal.Stop(tstp)
		signal.Stop(cont)
	}
}
