package model

import (
	"slices"
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
)

// SortKey is an order of the loaded rows.
type SortKey int

// The sort orders, in the order the sort key cycles through them.
const (
	SortServer  SortKey = iota // as the server sent them
	SortName                   // by name, A to Z
	SortSize                   // largest first; unknown sizes last
	SortUpdated                // newest first; unknown times last
	numSortKeys
)

// String names the order for the header.
func (k SortKey) String() string {
	switch k {
	case SortName:
		return "name"
	case SortSize:
		return "size"
	case SortUpdated:
		return "updated"
	default:
		return "server order"
	}
}

// Next returns the following order in the cycle.
func (k SortKey) Next() SortKey { return (k + 1) % numSortKeys }

// less returns the comparison of loaded files i and j under k; ties are
// broken by load position so the order is total and stable.
func (k SortKey) compare(files []wandb.File, i, j int) int {
	a, b := &files[i], &files[j]
	c := 0
	switch k {
	case SortName:
		c = strings.Compare(a.Name, b.Name)
	case SortSize:
		c = -cmpInt(a.SizeBytes, b.SizeBytes) // -1 (unknown) sorts last
	case SortUpdated:
		switch {
		case a.UpdatedAt.IsZero() && !b.UpdatedAt.IsZero():
			c = 1
		case !a.UpdatedAt.IsZero() && b.UpdatedAt.IsZero():
			c = -1
		default:
			c = -a.UpdatedAt.Compare(b.UpdatedAt)
		}
	}
	if c == 0 {
		c = cmpInt(int64(i), int64(j))
	}
	return c
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sortIndices orders idx under k.
func (k SortKey) sortIndices(files []wandb.File, idx []int) {
	if k == SortServer {
		return // load order is already ascending
	}
	slices.SortFunc(idx, func(i, j int) int { return k.compare(files, i, j) })
}

// merge returns the merge of two index slices already ordered by k.
func (k SortKey) merge(files []wandb.File, a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if k.compare(files, a[i], b[j]) <= 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
