package wandb

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// renameNoReplace moves from to to, two names in one folder inside root,
// failing with an error matching fs.ErrExist when to exists: renameat2
// with RENAME_NOREPLACE, relative to the folder opened through root (so a
// link cannot lead it out). File systems without the flag get
// linkNoReplace.
func renameNoReplace(root *os.Root, from, to string) error {
	dir, err := root.Open(filepath.Dir(to))
	if err != nil {
		return err
	}
	defer dir.Close()
	fd := int(dir.Fd())
	err = unix.Renameat2(fd, filepath.Base(from), fd, filepath.Base(to), unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.ENOTSUP) {
		return linkNoReplace(root, from, to)
	}
	if err != nil {
		return &os.LinkError{Op: "renameat2", Old: from, New: to, Err: err}
	}
	return nil
}
