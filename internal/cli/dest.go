package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wbfiles/wbfiles/wandb"
)

// prepareDest makes the download folder ready before the UI starts, so a
// bad --dest is one line at start-up rather than a failure per file: a
// missing folder is created with its parents; a file, or a folder that
// cannot be written (a temporary file cannot be created and removed in
// it), is refused. A leading ~/ is the home folder. It returns the folder
// as an absolute path, which the header then shows.
func prepareDest(dest, home string) (string, error) {
	dest = wandb.ExpandHome(dest, home)
	if abs, err := filepath.Abs(dest); err == nil {
		dest = abs
	}
	fi, err := os.Stat(dest)
	switch {
	case err != nil:
		// Missing, or below a file (ENOTDIR): MkdirAll says which.
		if err := os.MkdirAll(dest, 0o755); err != nil {
			return "", fmt.Errorf("--dest %s cannot be created: %v", dest, cause(err, dest))
		}
	case !fi.IsDir():
		return "", fmt.Errorf("--dest %s is not a folder (it is a file)", dest)
	}
	probe, err := os.CreateTemp(dest, ".wbfiles-write-check-*")
	if err != nil {
		return "", fmt.Errorf("--dest %s cannot be written: %v", dest, cause(err, dest))
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return "", fmt.Errorf("--dest %s cannot be written: removing a test file: %v", dest, cause(err, dest))
	}
	return dest, nil
}

// cause is a file error under dest without its path, which the message
// already names; a path elsewhere (the parent that could not be made)
// stays.
func cause(err error, dest string) string {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	if pe.Path == dest || filepath.Dir(pe.Path) == dest {
		return pe.Err.Error()
	}
	return fmt.Sprintf("%v (%s %s)", pe.Err, pe.Op, pe.Path)
}
