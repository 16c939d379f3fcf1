//go:build !unix && !windows

package wandb

import (
	"errors"
	"runtime"
)

// freeSpace cannot ask this system.
func freeSpace(string) (int64, error) {
	return 0, errors.New("the free space is unknown on " + runtime.GOOS)
}
