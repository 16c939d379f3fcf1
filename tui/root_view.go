package tui

import (
	"fmt"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// View draws the whole frame for the active state; a frame tick that
// found nothing new draws nothing again. Only the root returns
// a tea.View; the alt screen and the window title are fields of it.
func (m *Model) View() tea.View {
	if m.drawn == "" {
		m.drawn = m.frame()
	}
	v := tea.NewView(m.drawn)
	v.AltScreen = true
	v.WindowTitle = "wbfiles · " + m.browser.Run.Ref.String()
	if m.picking() {
		v.WindowTitle = "wbfiles"
	}
	return v
}

// frame is the frame's text.
func (m *Model) frame() string {
	if m.quitting {
		return ""
	}
	if m.width == 0 {
		return "" // no size yet: nothing sensible to draw
	}
	if m.tooSmall() {
		// Wrapped, not cut: the size needed must stay readable.
		return lipgloss.NewStyle().Width(m.width).Render(fmt.Sprintf("terminal too small (need %dx%d)", minWidth, minHeight))
	}
	var b strings.Builder
	switch m.state {
	case stateDetail:
		b.WriteString(m.detail.view())
		b.WriteByte('\n')
		b.WriteString(m.footer())
	case stateHelp:
		b.WriteString(m.helpView())
	case stateInfo:
		b.WriteString(m.info.View())
		b.WriteByte('\n')
		b.WriteString(m.footer())
	case stateDownloads:
		b.WriteString(termtext.FitLines(m.jobs.View(m.jobsStatus()), m.width))
		b.WriteByte('\n')
		b.WriteString(m.footer())
	default:
		if m.picking() {
			b.WriteString(m.top().view(m.statusText()))
		} else {
			b.WriteString(m.list.view(m.statusText()))
		}
		b.WriteByte('\n')
		if m.state == stateFilter {
			b.WriteString(m.filter.View())
			b.WriteByte('\n')
		}
		b.WriteString(m.footer())
	}
	return b.String()
}

// footer is the short help of the active view, or the status message in
// views that have no status line of their own.
func (m *Model) footer() string {
	switch {
	case m.state == stateDownloads && m.asks.Open():
		// The view shows the question; the footer its answer keys.
		return termtext.Fit(m.help.ShortHelpView(m.asks.Keys().ShortHelp()), m.width)
	case m.state == stateDownloads:
		// The view shows its own status.
		return termtext.Fit(m.help.ShortHelpView(m.downloadsHelpKeys().ShortHelp()), m.width)
	case m.asks.Open():
		// The question takes every key, so it must be on screen in every
		// view.
		return m.styles.Status.Render(termtext.Fit(m.asks.View(), m.width))
	case m.state == stateDetail && m.statusText() != "":
		return m.styles.Status.Render(termtext.Fit(m.statusText(), m.width))
	}
	// The help bubble drops items that do not fit but can still overrun
	// by a separator; cut to be sure.
	return termtext.Fit(m.help.ShortHelpView(m.activeKeys().ShortHelp()), m.width)
}

// statusText is the one-line message of the list and detail views: the
// root's own, the detail view's, the downloads' (queued, refused,
// listing), else a question waiting to be asked in the list.
func (m *Model) statusText() string {
	switch {
	case m.status != "":
		return m.status
	case m.state == stateDetail && m.detail.Status() != "":
		return m.detail.Status()
	case m.dl.statusText() != "":
		return m.dl.statusText()
	case m.asks.Pending() && !m.asks.Open():
		return m.asks.View()
	}
	return ""
}

// jobsStatus is the downloads view's bottom line: the open question, else
// the status.
func (m *Model) jobsStatus() string {
	if m.asks.Open() {
		return m.asks.View()
	}
	return m.statusText()
}

// helpView is the full help of the view the overlay was opened from, with
// the run line above it.
func (m *Model) helpView() string {
	keys := m.keysFor(m.helpFrom)
	keys.Help.SetEnabled(true)
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(termtext.Fit("wbfiles · keys", m.width)))
	b.WriteString("\n\n")
	groups := keys.FullHelp()
	if m.helpFrom == stateDownloads {
		groups = m.downloadsHelpKeys().FullHelp()
	}
	body := m.help.FullHelpView(groups)
	lines := strings.Split(body, "\n")
	room := m.height - 3 // title, blank line, footer
	if len(lines) > room {
		lines = lines[:room]
	}
	b.WriteString(strings.Join(lines, "\n"))
	b.WriteString(strings.Repeat("\n", max(room-len(lines), 0)+1))
	b.WriteString(m.footer())
	return b.String()
}
