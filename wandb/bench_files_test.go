package wandb

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// BenchmarkFilesAllPages lists every page of a 20,000-file run through the
// client against the local server, over loopback HTTP. One op is the whole
// listing. It reports files/s and allocations per file (of the whole
// process, so the server's share is included).
//
//	go test ./wandb -run '^$' -bench FilesAllPages -benchmem -benchtime 3x
func BenchmarkFilesAllPages(b *testing.B) {
	const n = 20000
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: apiTestKey})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.AddRun(manyFiles("ent", "proj", "bench", n))
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: apiTestKey, Timeout: time.Minute, Retry: apiRetry})
	if err != nil {
		b.Fatal(err)
	}
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "bench"}
	ctx := context.Background()
	for _, size := range []int{50, 1000} {
		b.Run("per_page="+strconv.Itoa(size), func(b *testing.B) {
			b.ReportAllocs()
			total := 0
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				q := FilesQuery{First: size}
				got := 0
				for {
					page, err := c.Files(ctx, ref, q)
					if err != nil {
						b.Fatal(err)
					}
					got += len(page.Files)
					if !page.HasNextPage {
						break
					}
					q.After = page.EndCursor
				}
				if got != n {
					b.Fatalf("listed %d files, want %d", got, n)
				}
				total += got
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "files/s")
			// allocs/op counts a whole listing; per file is what scales.
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(total), "allocs/file")
		})
	}
}
