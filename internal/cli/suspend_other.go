//go:build !unix

package cli

import tea "charm.land/bubbletea/v2"

// suspender does nothing where there is no job control.
type suspender struct{}

func newSuspender() *suspender                             { return &suspender{} }
func (*suspender) filter(_ tea.Model, msg tea.Msg) tea.Msg { return msg }
func (*suspender) watch(*tea.Program) (stop func())        { return func() {} }
