package wandb

import (
	"errors"
	"fmt"
	"os"
)

// ErrBusy is returned when another process (or another engine) holds the
// lock on the file's temporary file: it is downloading the same file into
// the same folder right now. Nothing was written; the other download goes
// on undisturbed.
var ErrBusy = errors.New("being downloaded by another process")

// errLocked is what lockPartial returns when the lock is held elsewhere.
var errLocked = errors.New("locked")

// maxOpenTempTries bounds the loop in openTemp that reopens the temporary
// file when the one it locked was renamed or removed meanwhile (its owner
// finished), or had other hard links.
const maxOpenTempTries = 3

// openLockedTemp opens (creating if needed) the temporary file, takes the
// exclusive lock on it and makes sure it is the file now at its name and
// has no other hard link, so nothing written to it can land in a file
// outside the destination. The lock is held until the file is closed,
// which happens after the rename into place.
func (t *transfer) openLockedTemp() (*os.File, error) {
	for range maxOpenTempTries {
		if fi, err := t.root.Lstat(t.tmpRel); err == nil && !fi.Mode().IsRegular() {
			// Never write through a link or into something planted there.
			if err := t.root.Remove(t.tmpRel); err != nil {
				return nil, localError("cannot replace", t.tmpPath, err)
			}
		}
		file, err := t.d.openTemp(t.root, t.tmpRel)
		if err != nil {
			return nil, localError("cannot create its temporary file", t.path, err)
		}
		ok, err := t.claim(file)
		if ok {
			return file, nil
		}
		file.Close()
		if err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w (its temporary file kept changing): %s", ErrBusy, shortPath(t.path))
}

// claim locks file and checks it is a private file at tmpRel. It returns
// false without an error when openLockedTemp should open the name afresh.
func (t *transfer) claim(file *os.File) (bool, error) {
	if err := lockPartial(file); err != nil {
		if errors.Is(err, errLocked) {
			return false, fmt.Errorf("%w (its temporary file is locked): %s", ErrBusy, shortPath(t.path))
		}
		return false, localError("cannot lock", t.tmpPath, err)
	}
	fi, err := file.Stat()
	if err != nil {
		return false, localError("cannot inspect", t.tmpPath, err)
	}
	now, err := t.root.Lstat(t.tmpRel)
	if err != nil || !os.SameFile(fi, now) {
		// Its owner renamed it into place (or removed it) before we got
		// the lock: this file is not ours to write.
		return false, nil
	}
	links, err := linkCount(file)
	if err != nil {
		return false, localError("cannot inspect", t.tmpPath, err)
	}
	if links > 1 {
		// A hard link planted at the temporary name: writing would change
		// the other name's file, maybe outside the destination. Drop our
		// name only; the other file is left as it was.
		if err := t.root.Remove(t.tmpRel); err != nil {
			return false, localError("cannot remove a hard link", t.tmpPath, err)
		}
		return false, nil
	}
	return true, nil
}
