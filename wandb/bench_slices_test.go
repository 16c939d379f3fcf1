package wandb

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// BenchmarkDownloadSliced downloads one large file in slices (up to 8
// connections, the default pieces) and in one stream (slicing off), each
// iteration both, and reports the single stream's time over the sliced
// one's ("speedup"): from a server that paces each response at 50 MB/s,
// as cloud storage paces a stream (goal ≥ 3), and on an unpaced loopback
// (goal ≥ 1: no slower than one stream; both are bound by the md5 there).
// peak-heap-B is the sliced download's, size-independent.
//
//	go test ./wandb -run '^$' -bench DownloadSliced -benchmem -benchtime 2x
func BenchmarkDownloadSliced(b *testing.B) {
	for _, tc := range []struct {
		name      string
		size, bps int64
	}{
		{"256MiB-paced50MB", 256 << 20, 50e6},
		{"256MiB-loopback", 256 << 20, 0},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchSlicedVsSingle(b, tc.size, wandbtest.Faults{BytesPerSecond: tc.bps}, DownloadOptions{SliceThreshold: 1, MaxSlices: 8})
		})
	}
}

// BenchmarkSliceThreshold measures, for sizes around the threshold, what
// slicing gains (speedup over one stream) paced at 50 MB/s per response
// with 30 ms before each answer (a storage host's time to first byte,
// which every slice pays) and on loopback: the threshold is the size from
// which slicing is no slower on loopback and clearly faster paced.
//
//	go test ./wandb -run '^$' -bench SliceThreshold -benchtime 2x
func BenchmarkSliceThreshold(b *testing.B) {
	for _, size := range []int64{16 << 20, 32 << 20, 64 << 20} {
		for _, bps := range []int64{50e6, 0} {
			name, latency := strconv.FormatInt(size>>20, 10)+"MiB-loopback", time.Duration(0)
			if bps > 0 {
				name, latency = strconv.FormatInt(size>>20, 10)+"MiB-paced50MB-30ms", 30*time.Millisecond
			}
			b.Run(name, func(b *testing.B) {
				benchSlicedVsSingle(b, size, wandbtest.Faults{BytesPerSecond: bps, Latency: latency}, DownloadOptions{SliceThreshold: 1, MaxSlices: 8})
			})
		}
	}
}

// benchSlicedVsSingle times both ways in each iteration, one stream
// first, and reports the ratio.
func benchSlicedVsSingle(b *testing.B, size int64, faults wandbtest.Faults, sliced DownloadOptions) {
	e := newDLEnv(b, wandbtest.FileSpec{Name: "ckpt/model.safetensors", Size: size})
	f := e.file("ckpt/model.safetensors") // also warms the server's md5 cache
	e.srv.SetFaults(wandbtest.FileURL, faults)
	var single, slices time.Duration
	var peak int64
	for b.Loop() {
		d, _ := benchDownload(b, e, f, DownloadOptions{SliceThreshold: -1})
		single += d
		d, p := benchDownload(b, e, f, sliced)
		slices += d
		peak = max(peak, p)
	}
	mb := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(mb/slices.Seconds(), "sliced-MB/s")
	b.ReportMetric(mb/single.Seconds(), "single-MB/s")
	b.ReportMetric(float64(single)/float64(slices), "speedup")
	b.ReportMetric(float64(peak), "peak-heap-B")
}

// benchDownload downloads f into a fresh dest with opts and returns the
// time it took and the peak live heap.
func benchDownload(b *testing.B, e *dlEnv, f File, opts DownloadOptions) (time.Duration, int64) {
	dest := b.TempDir()
	stop := sampleHeap()
	start := time.Now()
	if _, err := e.c.Download(context.Background(), f, dest, opts); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	peak := stop()
	os.RemoveAll(dest)
	return d, peak
}
