package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

// filterOutcome is how the user left the filter line.
type filterOutcome int

const (
	filterTyping  filterOutcome = iota // still typing
	filterApplied                      // enter: run it on the server
	filterCleared                      // esc: drop the filter
)

// filterBar is the filter line: a text input whose every edit narrows the
// loaded rows at once; enter applies the text on the server, esc drops it.
type filterBar struct {
	input   textinput.Model
	keys    keyBindings
	width   int
	outcome filterOutcome
}

// keyBindings are the filter line's own keys.
type keyBindings struct{ apply, clear key.Binding }

// newFilterBar returns the filter line.
func newFilterBar(c common) filterBar {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "name, glob (*.json, media/*) — enter searches the whole run"
	ti.SetStyles(filterStyles(&c.styles, false))
	f := filterBar{input: ti}
	f.setCommon(c, false)
	return f
}

// setCommon takes the width, keys and styles.
func (f *filterBar) setCommon(c common, isDark bool) {
	f.width = c.width
	f.keys = keyBindings{apply: c.keys.Apply, clear: c.keys.ClearFilter}
	f.input.SetWidth(max(c.width-4, 1))
	f.input.SetStyles(filterStyles(&c.styles, isDark))
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

// open focuses the line with text, so an active filter can be refined.
func (f *filterBar) open(text string) tea.Cmd {
	f.outcome = filterTyping
	f.input.SetValue(text)
	f.input.CursorEnd()
	return f.input.Focus()
}

// Update edits the line; enter and esc end it (Outcome).
func (f filterBar) Update(msg tea.Msg) (filterBar, tea.Cmd) {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, f.keys.apply):
			f.outcome = filterApplied
			f.input.Blur()
			return f, nil
		case key.Matches(kp, f.keys.clear):
			f.outcome = filterCleared
			f.input.Blur()
			return f, nil
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f, cmd
}

// Outcome is how the line was left, or filterTyping.
func (f filterBar) Outcome() filterOutcome { return f.outcome }

// Value is the text typed.
func (f filterBar) Value() string { return f.input.Value() }

// View is the line, cut to the width.
func (f filterBar) View() string {
	return lipgloss.NewStyle().MaxWidth(f.width).Render(f.input.View())
}

// openFilter focuses the filter line, starting from the active filter's
// text so it can be refined.
func (m *Model) openFilter() tea.Cmd {
	m.state = stateFilter
	cmd := m.filter.open(m.filterText())
	m.resize()
	return cmd
}

// filterText is the server filter of the list shown.
func (m *Model) filterText() string {
	if m.picking() {
		return m.top().search()
	}
	if lv := m.folder(); lv != nil {
		return lv.FilterText()
	}
	return m.browser.FilterText()
}

// narrow narrows the rows of the list shown to text.
func (m *Model) narrow(text string) {
	if m.picking() {
		m.top().narrow(text)
		return
	}
	if lv := m.folder(); lv != nil {
		lv.SetNarrowing(text)
		return
	}
	m.browser.SetNarrowing(text)
}

// handleFilter hands msg to the filter line, then acts on its outcome:
// every edit narrows the loaded rows, enter applies the text on the
// server, esc drops the filter.
func (m *Model) handleFilter(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	switch m.filter.Outcome() {
	case filterApplied:
		return m.applyFilter(m.filter.Value())
	case filterCleared:
		m.closeFilter()
		return m.clearServerFilter()
	}
	// Narrowing starts from the server-filtered rows: typing the active
	// filter's own text again must not hide anything.
	text := m.filter.Value()
	if text == m.filterText() {
		text = ""
	}
	m.narrow(text)
	return cmd
}

// applyFilter sends text as a LIKE pattern to the server: the loaded rows
// are dropped and paging restarts, so the result covers the whole run.
func (m *Model) applyFilter(text string) tea.Cmd {
	m.closeFilter()
	if text == m.filterText() {
		m.narrow("")
		return m.requestPage()
	}
	if m.picking() {
		return m.applySearch(text)
	}
	if lv := m.folder(); lv != nil {
		// Within the folder: its path, then the text or glob.
		lv.SetServerFilter(text)
		return m.requestPage()
	}
	pattern := ""
	if text != "" {
		pattern = wandb.GlobToLike(text)
	}
	m.browser.SetServerFilter(text, pattern)
	return m.requestPage()
}

// clearServerFilter brings back the unfiltered list.
func (m *Model) clearServerFilter() tea.Cmd {
	m.narrow("")
	if m.picking() {
		if m.top().search() != "" {
			_ = m.top().setSearch("")
		}
		return m.requestPage()
	}
	if lv := m.folder(); lv != nil {
		lv.SetServerFilter("")
		return m.requestPage()
	}
	if !m.browser.Filtered() {
		return m.requestPage()
	}
	m.browser.SetServerFilter("", "")
	return m.requestPage()
}

// applySearch sends text as the level's search; a level with none
// keeps it as the narrowing, and a text the search syntax refuses is
// said in the status line and kept as the narrowing too.
func (m *Model) applySearch(text string) tea.Cmd {
	l := m.top()
	if !l.hasSearch() {
		l.narrow(text)
		return nil
	}
	if err := l.setSearch(text); err != nil {
		l.narrow(text)
		m.status = termtext.Line(err.Error())
		return nil
	}
	return m.requestPage()
}

func (m *Model) closeFilter() {
	m.state = stateList
	m.resize()
}
