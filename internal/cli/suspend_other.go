//go:build !unix

package cli

import tea "charm.land/bubbletea/v2"

// watchSuspend does nothing where there is no job control.
func watchSuspend(*tea.Program) func() { return func() {} }
