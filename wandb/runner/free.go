package runner

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// FreeSpace returns the bytes an unprivileged user may still write on the
// file system of dest, or of its nearest existing parent when dest does
// not exist yet (the engine creates it). It can block on a network mount:
// call it off a UI goroutine.
func FreeSpace(dest string) (int64, error) {
	dir, err := filepath.Abs(dest)
	if err != nil {
		return 0, err
	}
	for {
		var st unix.Statfs_t
		err := unix.Statfs(dir, &st)
		if err == nil {
			return int64(min(st.Bavail*uint64(st.Bsize), 1<<63-1)), nil
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, os.ErrNotExist) || parent == dir {
			return 0, err
		}
		dir = parent
	}
}
