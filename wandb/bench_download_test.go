package wandb

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// BenchmarkDownloadLarge downloads one large file through Download and,
// for comparison, copies the same HTTP body into a file with a plain
// io.Copy. "ratio" runs both in every iteration and reports the engine's
// throughput over io.Copy's (goal ≥ 0.9); "iocopy+sync" adds the fsync the
// engine does for durability. B/op, allocs/op and peak-heap-B must not grow
// from 16 MiB to 256 MiB. On loopback the body can arrive faster than one
// core computes an md5, so "16MiB-paced" adds the ratio with the body paced
// by the server to about 20 MB/s, as a network link would. It measures
// one stream (slicing off); BenchmarkDownloadSliced compares slices.
//
//	go test ./wandb -run '^$' -bench DownloadLarge -benchmem -benchtime 2x
func BenchmarkDownloadLarge(b *testing.B) {
	for _, tc := range []struct {
		size, bps int64
		name      string
	}{
		{16 << 20, 0, "16MiB"},
		{256 << 20, 0, "256MiB"},
		{16 << 20, 20e6, "16MiB-paced"},
	} {
		size := tc.size
		b.Run(tc.name, func(b *testing.B) {
			e := newDLEnv(b, wandbtest.FileSpec{Name: "ckpt/model.safetensors", Size: size})
			f := e.file("ckpt/model.safetensors") // also warms the server's md5 cache
			e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: tc.bps})
			b.Run("ratio", func(b *testing.B) {
				var engine, plain, synced time.Duration
				for b.Loop() {
					plain += benchCopy(b, e, f, false)
					synced += benchCopy(b, e, f, true)
					d, _ := benchEngine(b, e, f)
					engine += d
				}
				mb := float64(size) * float64(b.N) / 1e6
				b.ReportMetric(mb/engine.Seconds(), "engine-MB/s")
				b.ReportMetric(mb/plain.Seconds(), "iocopy-MB/s")
				b.ReportMetric(float64(plain)/float64(engine), "ratio")
				b.ReportMetric(float64(synced)/float64(engine), "ratio-vs-sync")
			})
			if tc.bps > 0 {
				return // the paced body makes each run slow: the ratio is enough
			}
			b.Run("engine", func(b *testing.B) {
				b.SetBytes(size)
				var peak int64
				for b.Loop() {
					_, p := benchEngine(b, e, f)
					peak = max(peak, p)
				}
				b.ReportMetric(float64(peak), "peak-heap-B")
			})
			b.Run("iocopy", func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					benchCopy(b, e, f, false)
				}
			})
			b.Run("iocopy+sync", func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					benchCopy(b, e, f, true)
				}
			})
		})
	}
}

// benchEngine downloads f into a fresh dest and returns the time it took
// and the peak live heap above the starting point.
func benchEngine(b *testing.B, e *dlEnv, f File) (time.Duration, int64) {
	dest := b.TempDir()
	stop := sampleHeap()
	start := time.Now()
	if _, err := e.c.Download(context.Background(), f, dest, DownloadOptions{SliceThreshold: -1}); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	peak := stop()
	os.RemoveAll(dest)
	return d, peak
}

// benchCopy fetches f's body the plainest way and io.Copies it to a file.
func benchCopy(b *testing.B, e *dlEnv, f File, sync bool) time.Duration {
	dir := b.TempDir()
	start := time.Now()
	req, _ := http.NewRequest(http.MethodGet, f.URL, nil)
	req.SetBasicAuth("api", e.srv.APIKey())
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := (&http.Client{Transport: e.c.transport}).Do(req)
	if err != nil {
		b.Fatal(err)
	}
	out, err := os.Create(filepath.Join(dir, "copy"))
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(out, resp.Body)
	resp.Body.Close()
	if err != nil || n != f.SizeBytes {
		b.Fatalf("copied %d bytes: %v", n, err)
	}
	if sync {
		if err := out.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	os.RemoveAll(dir)
	return d
}

// sampleHeap samples the live heap every few milliseconds (runtime/metrics
// does not stop the world) until the returned function is called, which
// returns the peak above the first sample.
func sampleHeap() func() int64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	base := int64(s[0].Value.Uint64())
	var peak int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, int64(s[0].Value.Uint64())-base)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() int64 {
		close(done)
		wg.Wait()
		return peak
	}
}
