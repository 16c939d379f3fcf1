//go:build !linux

package wandb

// writeBehind is a Linux-only hint (sync_file_range); elsewhere the fsync
// before the rename writes the whole file out.
func (t *transfer) writeBehind() {}
