package wandb

import (
	"errors"
	"io/fs"
	"math"
	"path/filepath"
)

// FreeSpace returns the bytes an unprivileged user may still write on the
// file system that holds dir, or its nearest existing parent when dir does
// not exist yet (Download creates it). On a system where the free space
// cannot be asked for, the error says so.
func FreeSpace(dir string) (int64, error) {
	if dir == "" {
		dir = "."
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	for {
		n, err := freeSpace(dir)
		if err == nil {
			return n, nil
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, fs.ErrNotExist) || parent == dir {
			return 0, err
		}
		dir = parent
	}
}

// bytesOf multiplies a block count by a block size, saturating at the
// int64 maximum.
func bytesOf(blocks, size uint64) int64 {
	if size != 0 && blocks > math.MaxInt64/size {
		return math.MaxInt64
	}
	return int64(blocks * size)
}
