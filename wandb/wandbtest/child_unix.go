//go:build unix

package wandbtest

import (
	"syscall"
	"time"
)

// SelfCPU is this process's user and system CPU time so far: what a
// side-by-side benchmark charges to the client while its server runs in a
// child (StartChild).
func SelfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
