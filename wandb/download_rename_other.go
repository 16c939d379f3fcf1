//go:build !linux

package wandb

import "os"

// renameNoReplace moves from to to inside root, failing with an error
// matching fs.ErrExist when to exists (see linkNoReplace).
func renameNoReplace(root *os.Root, from, to string) error {
	return linkNoReplace(root, from, to)
}
