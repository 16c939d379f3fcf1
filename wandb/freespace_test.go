package wandb

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFreeSpace asks for an existing folder and for one that does not exist
// yet (its nearest existing parent answers).
func TestFreeSpace(t *testing.T) {
	dir := t.TempDir()
	got, err := FreeSpace(dir)
	if err != nil || got <= 0 {
		t.Fatalf("FreeSpace(%s) = %d, %v; want a positive size", dir, got, err)
	}
	missing, err := FreeSpace(filepath.Join(dir, "not", "yet"))
	if err != nil || missing <= 0 {
		t.Fatalf("FreeSpace of a missing folder = %d, %v", missing, err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FreeSpace(filepath.Join(file, "below")); err == nil {
		t.Fatal("FreeSpace below a file gave no error")
	}
}
