package wandb

import "golang.org/x/sys/unix"

// writeBehindEvery is how many written bytes make the sink ask the kernel
// to start writing them out.
const writeBehindEvery = 8 << 20

// writeBehind starts write-out of each finished 8 MiB stretch of the
// temporary file without waiting for it, so the fsync before the rename
// finds little left to do instead of the whole file. Errors are ignored:
// it is only a hint, and the fsync reports real failures.
func (t *transfer) writeBehind() {
	if t.offset-t.flushed < writeBehindEvery {
		return
	}
	unix.SyncFileRange(int(t.file.Fd()), t.flushed, t.offset-t.flushed, unix.SYNC_FILE_RANGE_WRITE)
	t.flushed = t.offset
}
