package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are every style the views use, built for a dark or light
// terminal background. It is a small handle: copies share one set, which
// is never modified once built, so the models that carry it stay small
// (Bubble Tea copies the root model on every message).
type Styles struct{ *styleSet }

// styleSet holds the styles; its fields are promoted through Styles.
type styleSet struct {
	Title    lipgloss.Style // run reference in the header
	Subtle   lipgloss.Style // secondary header text, folder part of names
	Header   lipgloss.Style // column titles
	Selected lipgloss.Style // the cursor row
	Match    lipgloss.Style // the matched part of a name
	Error    lipgloss.Style
	Mark     lipgloss.Style // selection mark
	Folder   lipgloss.Style // a folder's name in a list
	Running  lipgloss.Style // a run that is running
	Label    lipgloss.Style // field names in the detail view
	Status   lipgloss.Style // one-line messages (copied, …)
	Spinner  lipgloss.Style
	Help     help.Styles
}

// DefaultStyles returns the styles for a dark (isDark) or light
// background.
func DefaultStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B4A7F5"))
	subtle := ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#777777"))
	return Styles{&styleSet{
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtle:   lipgloss.NewStyle().Foreground(subtle),
		Header:   lipgloss.NewStyle().Bold(true).Foreground(subtle),
		Selected: lipgloss.NewStyle().Reverse(true),
		Match:    lipgloss.NewStyle().Underline(true).Foreground(ld(lipgloss.Color("#B35C00"), lipgloss.Color("#FFB86C"))),
		Error:    lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#C0392B"), lipgloss.Color("#FF6B6B"))),
		Mark:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Folder:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Running:  lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#1E8449"), lipgloss.Color("#7DDA8C"))),
		Label:    lipgloss.NewStyle().Bold(true),
		Status:   lipgloss.NewStyle().Foreground(accent),
		Spinner:  lipgloss.NewStyle().Foreground(accent),
		Help:     help.DefaultStyles(isDark),
	}}
}
