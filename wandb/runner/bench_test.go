package runner

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// benchEnv is a run of n small files (4–64 KiB) served with latency added
// to each file request.
func benchEnv(b *testing.B, n int, latency time.Duration) *env {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "bench"}
	for i := range n {
		run.Files = append(run.Files, wandbtest.FileSpec{
			Name: fmt.Sprintf("media/tables/part_%03d/table_%04d.json", i/100, i),
			Size: 4<<10 + int64(i*7919)%(60<<10),
		})
	}
	e := newEnv(b, run, testRetry)
	if len(e.files) != n {
		b.Fatalf("listed %d files, want %d", len(e.files), n)
	}
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: latency})
	return e
}

// benchRun downloads e's files into a fresh folder with parallel downloads
// and returns the wall time and the process's CPU time (user + system:
// the in-process server's share included) it took.
func benchRun(b *testing.B, e *env, parallel int) (wall, cpu time.Duration) {
	files, dest := e.files, b.TempDir()
	r := New(e.c, Options{Dest: dest, Parallel: parallel})
	cpu0 := cpuTime(b)
	start := time.Now()
	r.Add(files...)
	if err := r.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	wall, cpu = time.Since(start), cpuTime(b)-cpu0
	r.Close()
	if tot := r.Totals(); tot.Done != len(files) {
		b.Fatalf("totals %+v; %s", tot, r.Summary())
	}
	os.RemoveAll(dest)
	return wall, cpu
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRunnerMany downloads 1,000 small files (4–64 KiB) at Parallel 8
// from a server adding 20 ms of latency to each file request, and reports
// files/s and the CPU time per file (of the whole process, the in-process
// server included).
//
//	go test ./wandb/runner -run '^$' -bench RunnerMany -benchmem -benchtime 3x
func BenchmarkRunnerMany(b *testing.B) {
	const n = 1000
	e := benchEnv(b, n, 20*time.Millisecond)
	var wall, cpu time.Duration
	for b.Loop() {
		w, c := benchRun(b, e, 8)
		wall += w
		cpu += c
	}
	total := float64(n * b.N)
	b.ReportMetric(total/wall.Seconds(), "files/s")
	b.ReportMetric(float64(cpu.Microseconds())/total, "cpu-µs/file")
}

// BenchmarkDownloadMany downloads 1,000 small files (4–64 KiB) with 1 and
// with 8 parallel downloads in each iteration, against a server adding
// 2 ms of latency to each file request, and reports files/s for both and
// their ratio. (It measured wandb.DownloadAll before the runner replaced
// it.)
//
//	go test ./wandb/runner -run '^$' -bench DownloadMany -benchmem -benchtime 2x
func BenchmarkDownloadMany(b *testing.B) {
	const n = 1000
	e := benchEnv(b, n, 2*time.Millisecond)
	var one, eight time.Duration
	for b.Loop() {
		w, _ := benchRun(b, e, 1)
		one += w
		w, _ = benchRun(b, e, 8)
		eight += w
	}
	iters := float64(b.N)
	b.ReportMetric(n*iters/one.Seconds(), "files/s-1")
	b.ReportMetric(n*iters/eight.Seconds(), "files/s-8")
	b.ReportMetric(one.Seconds()/eight.Seconds(), "ratio")
}
