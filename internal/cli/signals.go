package cli

import (
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// endSignals are the signals that end the program cleanly: kill's
// SIGTERM, a SIGINT from outside (inside the UI ^C is a key) and the
// SIGHUP of a closed terminal or SSH session.
var endSignals = map[os.Signal]string{
	syscall.SIGHUP:  "SIGHUP",
	syscall.SIGINT:  "SIGINT",
	syscall.SIGTERM: "SIGTERM",
}

// signalName is the name of one of endSignals.
func signalName(s os.Signal) string { return endSignals[s] }

// signalWatch ends a program on the first of endSignals as q would (its
// terminal restored, the summary printed after), and kills it on a second.
// Bubble Tea's own handler would end it on SIGTERM as if the user quit.
type signalWatch struct {
	ch    chan os.Signal
	done  chan struct{} // closed by stop
	ended chan struct{} // closed when the watch ended
	got   os.Signal     // the first signal; read after ended
}

// watchSignals starts watching for p, which must run without Bubble
// Tea's signal handler (tea.WithoutSignalHandler).
func watchSignals(p *tea.Program) *signalWatch {
	w := &signalWatch{ch: make(chan os.Signal, 2), done: make(chan struct{}), ended: make(chan struct{})}
	for s := range endSignals {
		signal.Notify(w.ch, s)
	}
	go w.loop(p)
	return w
}

func (w *signalWatch) loop(p *tea.Program) {
	defer close(w.ended)
	for {
		select {
		case s := <-w.ch:
			if w.got != nil {
				p.Kill()
				continue
			}
			w.got = s
			// Quit blocks until the program takes it, or has ended.
			go p.Quit()
		case <-w.done:
			return
		}
	}
}

// stop ends the watch, giving the signals back their default action, and
// returns the signal that ended the program (nil when none did).
func (w *signalWatch) stop() os.Signal {
	signal.Stop(w.ch)
	close(w.done)
	<-w.ended
	return w.got
}
