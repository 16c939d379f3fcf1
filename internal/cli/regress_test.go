package cli

import (
	"os"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

type profileProbe struct{ got *colorprofile.Profile }

func (p profileProbe) Init() tea.Cmd { return nil }
func (p profileProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tea.ColorProfileMsg); ok {
		*p.got = m.Profile
		return p, tea.Quit
	}
	return p, nil
}
func (p profileProbe) View() tea.View { return tea.NewView("") }

// TERM=dumb must reach the UI as NoTTY (it draws its '>' cursor marker
// then and the renderer strips every escape); --no-color / NO_COLOR force
// Ascii, which keeps reverse video and turns the marker off.
func TestDumbTerminalWithNoColor(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		env  map[string]string
	}{
		{"TERM=dumb", Config{}, nil},
		{"TERM=dumb NO_COLOR=1", Config{}, map[string]string{"NO_COLOR": "1"}},
		{"TERM=dumb --no-color", Config{NoColor: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, w, _ := os.Pipe()
			defer w.Close()
			out, _ := os.CreateTemp(t.TempDir(), "out")
			env := Env{Stdin: in, Stdout: out, Width: 80, Height: 24, Environ: []string{"TERM=dumb"},
				Getenv: func(k string) string { return tc.env[k] }}
			got := colorprofile.TrueColor
			p := tea.NewProgram(profileProbe{&got}, programOptions(tc.cfg, env)...)
			if _, err := p.Run(); err != nil {
				t.Fatal(err)
			}
			if got != colorprofile.NoTTY {
				t.Errorf("profile %v; want NoTTY, so the cursor marker is drawn and no escape reaches a dumb terminal", got)
			}
		})
	}
}
