//go:build windows

package wandb

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// freeSpace asks GetDiskFreeSpaceEx for the bytes available to the caller
// (quotas included).
func freeSpace(dir string) (int64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("cannot read the free space: %w: %s", err, shortPath(dir))
	}
	return bytesOf(avail, 1), nil
}
