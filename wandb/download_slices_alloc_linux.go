package wandb

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// reserve allocates the blocks of f up to size (fallocate), so a full disk
// fails before any byte is fetched. File systems without fallocate leave
// it to preallocate's Truncate.
func reserve(f *os.File, size int64) error {
	err := unix.Fallocate(int(f.Fd()), 0, 0, size)
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return nil
	}
	return err
}

// writeBehindRange starts write-out of the bytes of f from flushed to off
// once they make writeBehindEvery, and returns the new flushed mark (see
// transfer.writeBehind).
func writeBehindRange(f *os.File, flushed, off int64) int64 {
	if off-flushed < writeBehindEvery {
		return flushed
	}
	unix.SyncFileRange(int(f.Fd()), flushed, off-flushed, unix.SYNC_FILE_RANGE_WRITE)
	return off
}
