//go:build unix

package wandb

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// lockPartial takes an exclusive flock on f without waiting; errLocked
// when another open file (in any process) holds it. flock locks belong to
// the open file, so two opens in one process exclude each other too.
func lockPartial(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

// linkCount returns the number of hard links of the open file f.
func linkCount(f *os.File) (uint64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 1, nil
	}
	return uint64(st.Nlink), nil
}
