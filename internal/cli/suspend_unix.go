//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// suspender suspends the program to the shell, for ctrl+z (the UI's
// tea.Suspend) and for a SIGTSTP from outside (kill -TSTP, a job control
// stop) alike: the terminal is given back, the process group stops, and
// on fg (SIGCONT) the terminal is taken again and the screen repainted.
// Bubble Tea's own suspend stops with a SIGTSTP, which a program that
// watches SIGTSTP catches instead of stopping; this one stops with
// SIGSTOP.
type suspender struct {
	p    *tea.Program
	tstp chan os.Signal
	done chan struct{}
}

// newSuspender returns the suspender; its filter must be installed with
// tea.WithFilter and its program set with watch.
func newSuspender() *suspender {
	return &suspender{tstp: make(chan os.Signal, 1), done: make(chan struct{})}
}

// filter takes tea.SuspendMsg from Bubble Tea and suspends here instead.
func (s *suspender) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(tea.SuspendMsg); !ok || s.p == nil {
		return msg
	}
	if err := s.p.ReleaseTerminal(); err != nil {
		return nil
	}
	_ = syscall.Kill(0, syscall.SIGSTOP) // returns on SIGCONT
	_ = s.p.RestoreTerminal()
	// The shell drew over the screen while the program was stopped.
	go s.p.Send(tea.ClearScreen())
	return tea.ResumeMsg{}
}

// watch turns a SIGTSTP from outside into a suspend of p; stop ends it.
func (s *suspender) watch(p *tea.Program) (stop func()) {
	s.p = p
	signal.Notify(s.tstp, syscall.SIGTSTP)
	go func() {
		for {
			select {
			case <-s.tstp:
				p.Send(tea.SuspendMsg{})
			case <-s.done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(s.tstp)
		close(s.done)
	}
}
