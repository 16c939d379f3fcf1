//go:build unix

package wandb

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// freeSpace asks statfs for the blocks available to unprivileged users.
func freeSpace(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("cannot read the free space: %w: %s", err, shortPath(dir))
	}
	return bytesOf(uint64(st.Bavail), uint64(st.Bsize)), nil
}
