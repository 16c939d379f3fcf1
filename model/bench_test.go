package model

import (
	"fmt"
	"testing"

	"github.com/wbfiles/wbfiles/wandb"
)

func benchList(n int) *List {
	l := &List{}
	l.SetHeight(34)
	page := make([]wandb.File, 0, 1000)
	for i := range n {
		page = append(page, wandb.File{Name: fmt.Sprintf("media/images/step_%06d/sample_%d.png", i/8, i%8), SizeBytes: int64(i % 977)})
		if len(page) == cap(page) {
			l.Append(page)
			page = page[:0]
		}
	}
	l.Append(page)
	return l
}

// BenchmarkNarrowKeystroke is one keystroke in the filter line over
// 100,000 loaded rows (the only per-key cost that walks every row).
func BenchmarkNarrowKeystroke(b *testing.B) {
	l := benchList(100_000)
	texts := []string{"sample_3", "step_0012"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		l.SetNarrowing(texts[i%2])
		i++
	}
}

// BenchmarkAppendSorted appends 1,000-file pages to 100,000 rows sorted by
// size (a merge per page).
func BenchmarkAppendSorted(b *testing.B) {
	l := benchList(100_000)
	l.SetSort(SortSize)
	page := benchList(1000).Files()
	b.ReportAllocs()
	for b.Loop() {
		l.Append(page)
	}
}

// BenchmarkNarrowGlobKeystroke is one keystroke of a glob in the filter
// line over 100,000 loaded rows: the glob is compiled once, then matched
// against every row.
func BenchmarkNarrowGlobKeystroke(b *testing.B) {
	l := benchList(100_000)
	texts := []string{"*sample_3.png", "media/*/step_0012??/*"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		l.SetNarrowing(texts[i%2])
		i++
	}
}
