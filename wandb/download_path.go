package wandb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// LocalPath returns where Download puts the run's file name under dest:
// dest joined with the name's "/"-separated segments. A name that could
// lead outside dest or is otherwise odd is refused with an error wrapping
// ErrUnsafeName: empty, a leading "/", an absolute or volume path, empty,
// "." or ".." segments, a backslash (hostile on every OS, since it is a
// separator on Windows), invalid UTF-8, a NUL or other control character
// (C0, DEL or C1), on Windows a reserved name such as NUL or COM1, or a
// name ending in the engine's temporary suffixes (".wbfiles-partial",
// ".wbfiles-slices").
func LocalPath(dest, name string) (string, error) {
	if err := checkFileName(name); err != nil {
		return "", err
	}
	if dest == "" {
		dest = "."
	}
	return filepath.Join(dest, filepath.FromSlash(name)), nil
}

func checkFileName(name string) error {
	reason := nameProblem(name)
	if reason == "" {
		return nil
	}
	return fmt.Errorf("%w %q: %s; refusing to write it", ErrUnsafeName, name, reason)
}

// nameProblem explains what is wrong with name, or returns "".
func nameProblem(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case strings.ContainsRune(name, '\\'):
		return "it contains a backslash"
	case strings.HasPrefix(name, "/"):
		return "it is an absolute path"
	case !utf8.ValidString(name):
		return "it is not valid UTF-8"
	}
	// C0, DEL and C1 (U+0080–U+009F): a terminal acts on the C1 ones too.
	if strings.ContainsFunc(name, unicode.IsControl) {
		return "it contains a control character"
	}
	for seg := range strings.SplitSeq(name, "/") {
		switch seg {
		case "":
			return "it has an empty path segment"
		case ".":
			return `it has a "." segment`
		case "..":
			return `a ".." segment would leave the destination folder`
		}
	}
	local := filepath.FromSlash(name)
	if filepath.VolumeName(local) != "" || filepath.IsAbs(local) {
		return "it is an absolute path"
	}
	if !filepath.IsLocal(local) {
		return "it is not a plain relative path on this system"
	}
	if strings.HasSuffix(name, partialSuffix) {
		return "the suffix " + partialSuffix + " is reserved for temporary files"
	}
	if strings.HasSuffix(name, slicesSuffix) {
		return "the suffix " + slicesSuffix + " is reserved for the progress of sliced downloads"
	}
	return ""
}

// tempName returns the temporary file beside rel: ".<base>.wbfiles-partial",
// or a fixed-length hashed name when that would be too long for the file
// system's 255-byte name limit.
func tempName(rel string) string {
	dir, base := filepath.Split(rel)
	name := "." + base + partialSuffix
	if len(name) > 255 {
		sum := sha256.Sum256([]byte(base))
		name = ".wbfiles-" + hex.EncodeToString(sum[:16]) + partialSuffix
	}
	return dir + name
}

// LocalStatus compares a run's file with what is on disk.
type LocalStatus int

const (
	// LocalMissing: nothing is at the file's local path.
	LocalMissing LocalStatus = iota
	// LocalSame: a regular file with the run's md5 is there.
	LocalSame
	// LocalDifferent: something else is there (other content, other size,
	// or not a regular file).
	LocalDifferent
	// LocalUnknown: a file is there but the server gave no md5 to compare.
	LocalUnknown
)

// String returns "missing", "same", "different" or "unknown".
func (s LocalStatus) String() string {
	switch s {
	case LocalSame:
		return "same"
	case LocalDifferent:
		return "different"
	case LocalUnknown:
		return "unknown"
	}
	return "missing"
}

// LocalState tells how the file at LocalPath(dest, f.Name) relates to f, for
// a detail view. It hashes the local file when its size does not already
// settle the question, so on large files call it off the UI goroutine. It
// reads only inside dest (symbolic links leading out count as errors).
func LocalState(dest string, f File) (LocalStatus, error) {
	path, err := LocalPath(dest, f.Name)
	if err != nil {
		return LocalMissing, err
	}
	if dest == "" {
		dest = "."
	}
	root, err := os.OpenRoot(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return LocalMissing, nil
	}
	if err != nil {
		return LocalMissing, localError("cannot open the destination folder", dest, err)
	}
	defer root.Close()
	rel := filepath.FromSlash(f.Name)
	fi, err := root.Lstat(rel)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return LocalMissing, nil
	}
	if err != nil {
		return LocalMissing, localError("cannot inspect", path, err)
	}
	if !fi.Mode().IsRegular() {
		return LocalDifferent, nil
	}
	st, err := compareLocal(root, rel, fi, f)
	if err != nil {
		return LocalMissing, localError("cannot read", path, err)
	}
	return st, nil
}

// compareLocal compares the regular file rel (described by fi) with f.
func compareLocal(root *os.Root, rel string, fi fs.FileInfo, f File) (LocalStatus, error) {
	if f.MD5 == "" {
		return LocalUnknown, nil
	}
	if f.SizeKnown() && fi.Size() != f.SizeBytes {
		return LocalDifferent, nil
	}
	sum, err := fileMD5(root, rel, fi.Size())
	if err != nil {
		return LocalMissing, err
	}
	if sum == f.MD5 {
		return LocalSame, nil
	}
	return LocalDifferent, nil
}

// rootErr drops the *PathError wrapper of an os.Root error: its path is
// relative to the root, and callers name the full path themselves. The
// errno stays, so errors.Is(err, fs.ErrPermission) still works.
func rootErr(err error) error {
	for {
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case errors.As(err, &pe):
			err = pe.Err
		case errors.As(err, &le):
			err = le.Err
		default:
			return err
		}
	}
}

// targetLocks serialises downloads of the same target path in this process,
// since they would share one temporary file.
var targetLocks = struct {
	sync.Mutex
	m map[string]*targetLock
}{m: map[string]*targetLock{}}

type targetLock struct {
	ch   chan struct{} // holds one token while the target is in use
	refs int
}

// lockTarget waits, until ctx ends, for exclusive use of path.
func lockTarget(ctx context.Context, path string) (unlock func(), err error) {
	key, err := filepath.Abs(path)
	if err != nil {
		key = path
	}
	targetLocks.Lock()
	l := targetLocks.m[key]
	if l == nil {
		l = &targetLock{ch: make(chan struct{}, 1)}
		targetLocks.m[key] = l
	}
	l.refs++
	targetLocks.Unlock()

	release := func() {
		targetLocks.Lock()
		if l.refs--; l.refs == 0 {
			delete(targetLocks.m, key)
		}
		targetLocks.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}

// maxShownPath bounds a path in an error message, so that the cause, which
// comes first, and the file's own name stay on screen.
const maxShownPath = 120

// shortPath returns p, or its end behind "…" when p is longer than
// maxShownPath runes: the end names the file, the start only the folders.
func shortPath(p string) string {
	n := utf8.RuneCountInString(p)
	if n <= maxShownPath {
		return p
	}
	drop := n - (maxShownPath - 1)
	for i := range p {
		if drop == 0 {
			return "…" + p[i:]
		}
		drop--
	}
	return p
}
