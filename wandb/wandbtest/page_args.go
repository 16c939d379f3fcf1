package wandbtest

import (
	"errors"
	"fmt"
)

// pageBounds applies a connection's first and after arguments to a
// listing of n items whose cursors name keyAt(i): first defaults to 50 and
// is at most 1000; after must name an item of the listing (what words the
// item in the error: "run", "project"). It returns the slice [start, end).
func pageBounds(args map[string]any, n int, keyAt func(i int) string, what string) (start, end int, err error) {
	first := int64(defaultPageSize)
	if v, ok := args["first"]; ok && v != nil {
		if first, err = toInt(v); err != nil {
			return 0, 0, err
		}
	}
	if first < 0 || first > maxPageSize {
		return 0, 0, fmt.Errorf("first must be between 0 and %d, got %d", maxPageSize, first)
	}
	if after, _ := argString(args, "after"); after != "" {
		key, err := decodeCursor(after)
		if err != nil {
			return 0, 0, err
		}
		start = -1
		for i := range n {
			if keyAt(i) == key {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return 0, 0, errors.New("invalid cursor: its " + what + " is not in this listing")
		}
	}
	return start, min(start+int(first), n), nil
}

// pageInfoOf is the pageInfo of a page of n items whose cursors are
// cursorAt(i): the first and last cursors, and whether pages follow or
// come before.
func pageInfoOf(hasNext, hasPrev bool, n int, cursorAt func(i int) string) value {
	pi := &pageInfo{hasNext: hasNext, hasPrev: hasPrev}
	if n > 0 {
		pi.start, pi.end = cursorAt(0), cursorAt(n-1)
	}
	return vObject(pi)
}
