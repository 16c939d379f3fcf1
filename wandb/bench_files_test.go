package wandb

import (
	"context"
	"encoding/json"
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

// BenchmarkFilesDecode is the client's share of a listing: decoding one
// 1,000-file answer taken from the local server into a FilesPage, with no
// HTTP and no server work. allocs/file here is the client's alone.
func BenchmarkFilesDecode(b *testing.B) {
	const n = 1000
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: apiTestKey})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.AddRun(manyFiles("ent", "proj", "bench", n))
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: apiTestKey, Retry: apiRetry})
	if err != nil {
		b.Fatal(err)
	}
	body, err := json.Marshal(gqlRequest{Query: queryRunFiles, OperationName: opRunFiles,
		Variables: filesVars(RunRef{Entity: "ent", Project: "proj", RunID: "bench"}, FilesQuery{First: n})})
	if err != nil {
		b.Fatal(err)
	}
	status, raw, err := c.post(context.Background(), body)
	if err != nil || status != 200 {
		b.Fatalf("status %d, err %v", status, err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		var data filesData
		var resp struct {
			Data   any            `json:"data"`
			Errors []gqlErrorJSON `json:"errors"`
		}
		resp.Data = &data
		if err := json.Unmarshal(raw, &resp); err != nil {
			b.Fatal(err)
		}
		if p := data.Project.Run.Files.page(); len(p.Files) != n {
			b.Fatalf("%d files", len(p.Files))
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*n), "allocs/file")
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "files/s")
}
