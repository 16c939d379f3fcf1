package model

import (
	"slices"
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
)

// Selection is the set of files the user picked, keyed by file name (names
// are unique within a run). Toggling, adding and looking up a name are
// O(1), and the size totals are kept up to date on the way, so the header
// costs nothing per key press however many files are selected. The zero
// value is an empty selection ready to use.
type Selection struct {
	entries map[string]selEntry
	seq     uint64 // selection counter; orders Files by when they were picked
	known   int64  // sum of the known sizes
	unknown int    // files whose size the server did not give
}

// selEntry is one selected file and when it was selected.
type selEntry struct {
	file wandb.File
	seq  uint64
}

// Len returns the number of selected files.
func (s *Selection) Len() int { return len(s.entries) }

// Has reports whether the file called name is selected.
func (s *Selection) Has(name string) bool {
	_, ok := s.entries[name]
	return ok
}

// Toggle selects f when it is not selected and unselects it otherwise. It
// reports whether f is selected afterwards.
func (s *Selection) Toggle(f wandb.File) bool {
	if s.Has(f.Name) {
		s.Remove(f.Name)
		return false
	}
	s.add(f)
	return true
}

// Add selects every file in files that is not selected yet and returns how
// many were new. A file that is already selected keeps its place in the
// selection order.
func (s *Selection) Add(files ...wandb.File) int {
	n := 0
	for _, f := range files {
		if !s.Has(f.Name) {
			s.add(f)
			n++
		}
	}
	return n
}

func (s *Selection) add(f wandb.File) {
	if s.entries == nil {
		s.entries = make(map[string]selEntry)
	}
	s.seq++
	s.entries[f.Name] = selEntry{file: f, seq: s.seq}
	s.count(f, 1)
}

// Remove unselects the file called name, if it is selected.
func (s *Selection) Remove(name string) {
	e, ok := s.entries[name]
	if !ok {
		return
	}
	delete(s.entries, name)
	s.count(e.file, -1)
}

// count adds (sign 1) or removes (sign -1) f's size from the totals.
func (s *Selection) count(f wandb.File, sign int) {
	if f.SizeKnown() {
		s.known += int64(sign) * f.SizeBytes
	} else {
		s.unknown += sign
	}
}

// Clear unselects everything.
func (s *Selection) Clear() { *s = Selection{} }

// Size returns the sum of the known sizes of the selected files and how
// many selected files have no known size.
func (s *Selection) Size() (known int64, unknown int) { return s.known, s.unknown }

// Files returns the selected files in the order they were selected. It
// sorts, so call it when acting on the selection, not per frame.
func (s *Selection) Files() []wandb.File {
	entries := s.sorted(func(a, b selEntry) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	return filesOf(entries)
}

// FilesByName returns the selected files sorted by name.
func (s *Selection) FilesByName() []wandb.File {
	return filesOf(s.sorted(func(a, b selEntry) int { return strings.Compare(a.file.Name, b.file.Name) }))
}

func (s *Selection) sorted(cmp func(a, b selEntry) int) []selEntry {
	entries := make([]selEntry, 0, len(s.entries))
	for _, e := range s.entries {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, cmp)
	return entries
}

func filesOf(entries []selEntry) []wandb.File {
	files := make([]wandb.File, len(entries))
	for i, e := range entries {
		files[i] = e.file
	}
	return files
}
