package wandb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// putInPlace renames the temporary file to the target. A file with the
// run's md5 found at the target now (it appeared during the download) is
// left alone and same is true. Otherwise, under Overwrite the target is
// replaced; under KeepExisting the rename never replaces anything (see
// renameNoReplace), and a file that appeared meanwhile fails it with
// ErrExists.
func (t *transfer) putInPlace() (same bool, err error) {
	if t.d.opts.Existing == Overwrite {
		if t.sameAtTarget() {
			return true, nil
		}
		return false, t.root.Rename(t.tmpRel, t.rel)
	}
	err = renameNoReplace(t.root, t.tmpRel, t.rel)
	if !errors.Is(err, fs.ErrExist) {
		return false, err
	}
	if t.sameAtTarget() {
		return true, nil
	}
	return false, fmt.Errorf("%w: it appeared while being downloaded (kept it; --overwrite replaces it): %s", ErrExists, shortPath(t.path))
}

// sameAtTarget reports whether a regular file with the run's md5 is at the
// target.
func (t *transfer) sameAtTarget() bool {
	fi, err := t.root.Lstat(t.rel)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	st, err := compareLocal(t.root, t.rel, fi, t.f)
	return err == nil && st == LocalSame
}

// linkNoReplace moves from to to (both inside root) without replacing a
// file at to: a hard link, which fails when to exists, then the removal of
// from. Where the file system has no hard links, a check right before a
// plain rename is the best left.
func linkNoReplace(root *os.Root, from, to string) error {
	err := root.Link(from, to)
	if err == nil {
		// A failed removal leaves a second name the next download drops
		// (openLockedTemp refuses files with other links).
		root.Remove(from)
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, lerr := root.Lstat(to); lerr == nil {
		return &fs.PathError{Op: "rename", Path: to, Err: fs.ErrExist}
	}
	return root.Rename(from, to)
}
