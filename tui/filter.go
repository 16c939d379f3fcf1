package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wbfiles/wbfiles/wandb"
)

// newFilterInput returns the filter line's text input.
func newFilterInput(c common) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "name, glob (*.json, media/*) — enter searches the whole run"
	ti.SetStyles(filterStyles(&c.styles, false))
	return ti
}

// filterStyles derives the text input's styles from ours.
func filterStyles(s *Styles, isDark bool) textinput.Styles {
	ts := textinput.DefaultStyles(isDark)
	ts.Focused.Prompt = s.Title
	ts.Blurred.Prompt = s.Subtle
	ts.Focused.Placeholder = s.Subtle
	ts.Blurred.Placeholder = s.Subtle
	// A steady cursor: no blink ticks redrawing the screen twice a second.
	ts.Cursor.Blink = false
	return ts
}

// openFilter focuses the filter line, starting from the active filter's
// text so it can be refined.
func (m *Model) openFilter() (tea.Model, tea.Cmd) {
	m.state = stateFilter
	m.filter.SetValue(m.browser.FilterText())
	m.filter.CursorEnd()
	m.resize()
	return m, m.filter.Focus()
}

// handleFilter edits the filter line. Every edit narrows the loaded rows
// at once; enter applies the text on the server, esc drops the filter.
func (m *Model) handleFilter(msg tea.Msg) (tea.Model, tea.Cmd) {
	k := m.activeKeys()
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Apply):
			return m.applyFilter(m.filter.Value())
		case key.Matches(kp, k.ClearFilter):
			m.closeFilter()
			return m.clearServerFilter()
		}
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	// Narrowing starts from the server-filtered rows: typing the active
	// filter's own text again must not hide anything.
	text := m.filter.Value()
	if text == m.browser.FilterText() {
		text = ""
	}
	m.browser.SetNarrowing(text)
	return m, cmd
}

// applyFilter sends text as a LIKE pattern to the server: the loaded rows
// are dropped and paging restarts, so the result covers the whole run.
func (m *Model) applyFilter(text string) (tea.Model, tea.Cmd) {
	m.closeFilter()
	if text == m.browser.FilterText() {
		m.browser.SetNarrowing("")
		return m, m.requestPage()
	}
	pattern := ""
	if text != "" {
		pattern = wandb.GlobToLike(text)
	}
	m.browser.SetServerFilter(text, pattern)
	return m, m.requestPage()
}

// clearServerFilter brings back the unfiltered list.
func (m *Model) clearServerFilter() (tea.Model, tea.Cmd) {
	m.browser.SetNarrowing("")
	if !m.browser.Filtered() {
		return m, m.requestPage()
	}
	m.browser.SetServerFilter("", "")
	return m, m.requestPage()
}

func (m *Model) closeFilter() {
	m.filter.Blur()
	m.state = stateList
	m.resize()
}

// filterView is the filter line drawn under the list while typing.
func (m *Model) filterView() string {
	return lipgloss.NewStyle().MaxWidth(m.width).Render(m.filter.View())
}
