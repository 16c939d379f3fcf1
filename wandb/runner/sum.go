package runner

import (
	"math"
	"math/bits"

	"github.com/wbfiles/wbfiles/wandb"
)

// MaxFileSize is the largest size taken at its word: a size the server
// gives above it (or negative) counts as unknown, so a hostile or broken
// listing cannot make the sums overflow or a batch look small.
const MaxFileSize int64 = 1 << 50 // 1 PiB

// sizeOf returns f's size when it is plausible, else -1 (unknown).
func sizeOf(f wandb.File) int64 { return plausible(f.SizeBytes) }

// plausible returns n when it is a size to take at its word (0 to
// MaxFileSize), else -1.
func plausible(n int64) int64 {
	if n < 0 || n > MaxFileSize {
		return -1
	}
	return n
}

// wideSum is a 128-bit two's complement running sum: adding and removing
// the same values gives the exact sum back whatever was in between, and
// value saturates instead of wrapping when the sum leaves int64.
type wideSum struct {
	hi int64
	lo uint64
}

// add adds n (negative to remove).
func (s *wideSum) add(n int64) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(n), 0)
	s.hi += int64(carry) + n>>63 // n>>63 is -1 for a negative n: its sign extension
}

// value returns the sum, saturated to the int64 range.
func (s wideSum) value() int64 {
	switch {
	case s.hi == 0 && s.lo <= math.MaxInt64:
		return int64(s.lo)
	case s.hi == -1 && s.lo > math.MaxInt64:
		return int64(s.lo)
	case s.hi < 0:
		return math.MinInt64
	}
	return math.MaxInt64
}

// satAdd returns a+b for non-negative a and b, saturated at MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
