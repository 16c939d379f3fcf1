package tui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// BenchmarkDownloadsQueue sends 1,000 small files through the Downloads
// model and the real engine against the local server, once with 1 download
// at a time and once with 8, and reports both rates and their ratio. Each
// body request gets 5 ms of latency (a real storage host has more), so that
// parallelism matters.
func BenchmarkDownloadsQueue(b *testing.B) {
	const n = 1000
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "bench"}
	for i := range n {
		run.Files = append(run.Files, wandbtest.FileSpec{Name: fmt.Sprintf("media/f%04d.bin", i), Size: 2048})
	}
	srv, c, files := dlServer(b, run)
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{Latency: 5 * time.Millisecond})

	var took [2]time.Duration
	for b.Loop() {
		for i, parallel := range []int{1, 8} {
			took[i] += runQueue(b, c, files, parallel)
		}
	}
	rate := func(d time.Duration) float64 { return float64(n*b.N) / d.Seconds() }
	b.ReportMetric(rate(took[0]), "files/s@1")
	b.ReportMetric(rate(took[1]), "files/s@8")
	b.ReportMetric(took[0].Seconds()/took[1].Seconds(), "speedup@8")
}

// runQueue downloads files into a fresh folder with parallel downloads
// and returns how long the queue took to drain.
func runQueue(b *testing.B, c *wandb.Client, files []wandb.File, parallel int) time.Duration {
	h := newDLHarness(b, DownloadsOptions{Downloader: c, Dest: b.TempDir(), Parallel: parallel}, 120, 40)
	start := time.Now()
	h.do(h.d.Enqueue(files))
	h.until("the queue to drain", 5*time.Minute, func() bool { return !h.d.Active() })
	took := time.Since(start)
	if tot := h.d.Totals(); tot.Done != len(files) {
		b.Fatalf("parallel %d: %+v", parallel, tot)
	}
	if h.maxRunning > parallel {
		b.Fatalf("parallel %d: %d ran at once", parallel, h.maxRunning)
	}
	return took
}

// BenchmarkDownloadsView renders the downloads view with 100 and with
// 100,000 jobs: only the visible window is drawn, so the cost must not grow
// with the number of jobs.
func BenchmarkDownloadsView(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("jobs=%d", n), func(b *testing.B) {
			d := NewDownloads(DownloadsOptions{Parallel: 8})
			d.SetSize(120, 40)
			fillJobs(d.jobs, n)
			d.moveCursor(n / 2)
			b.ReportAllocs()
			for b.Loop() {
				_ = d.View()
			}
		})
	}
}

// fillJobs puts n jobs into q in a mix of states (done, a few running,
// cancelled, failed, queued), through the calls the Downloads model makes.
func fillJobs(q *model.Jobs, n int) {
	files := make([]wandb.File, n)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("media/images/step_%06d.png", i), SizeBytes: int64(1000 + i)}
	}
	q.Enqueue(files...)
	at := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	for _, s := range q.Next(n) {
		switch s.ID % 4 {
		case 0:
			q.Finished(s.ID, s.Attempt, wandb.DownloadResult{Name: s.File.Name, Status: wandb.Downloaded, Bytes: s.File.SizeBytes}, nil, at)
		case 1:
			if s.ID < 32 { // as many running as a large --parallel
				q.Progressed(s.ID, s.Attempt, s.File.SizeBytes/3, s.File.SizeBytes, at)
				q.Progressed(s.ID, s.Attempt, s.File.SizeBytes/2, s.File.SizeBytes, at.Add(time.Second))
			} else {
				q.Cancel(s.ID)
			}
		case 2:
			q.Finished(s.ID, s.Attempt, wandb.DownloadResult{}, fmt.Errorf("%w %q: bad", wandb.ErrUnsafeName, s.File.Name), at)
		case 3:
			q.Cancel(s.ID)
			q.Retry(s.ID) // queued again
		}
	}
}

// BenchmarkDownloadsLargeFile downloads one 64 MiB file through the
// Downloads model (engine, progress messages, Update) and, in the same
// iteration, through the engine alone and with a plain io.Copy of the same
// HTTP body into a file. "ratio" is io.Copy's time over the model's (goal
// ≥ 0.9); "model/engine" shows what the UI layer costs on top of the
// engine. On loopback the body arrives faster than one core hashes md5,
// so "paced" repeats it with the body paced by the server (100 MB/s asked; about 25 MB/s delivered), a network-bound case.
//
//	go test ./tui -run '^$' -bench DownloadsLargeFile -benchtime 3x
func BenchmarkDownloadsLargeFile(b *testing.B) {
	const size = 64 << 20
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "large", Files: []wandbtest.FileSpec{
		{Name: "checkpoints/model.safetensors", Size: size},
	}}
	srv, c, files := dlServer(b, run)
	f := files[0]
	for _, tc := range []struct {
		name string
		bps  int64
	}{{"loopback", 0}, {"paced", 100e6}} {
		b.Run(tc.name, func(b *testing.B) {
			srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: tc.bps})
			var viaModel, viaEngine, plain time.Duration
			for b.Loop() {
				plain += plainCopy(b, srv.APIKey(), f)

				start := time.Now()
				if _, err := c.Download(context.Background(), f, b.TempDir(), wandb.DownloadOptions{}); err != nil {
					b.Fatal(err)
				}
				viaEngine += time.Since(start)

				h := newDLHarness(b, DownloadsOptions{Downloader: c, Dest: b.TempDir()}, 120, 40)
				start = time.Now()
				h.do(h.d.Enqueue(files))
				h.until("the large file", 5*time.Minute, func() bool { return !h.d.Active() })
				viaModel += time.Since(start)
				if j, _ := h.d.Job(f.Name); j.State != model.Done {
					b.Fatalf("large file: %v %s", j.State, j.Reason)
				}
			}
			mb := float64(size) * float64(b.N) / 1e6
			b.ReportMetric(mb/viaModel.Seconds(), "model-MB/s")
			b.ReportMetric(mb/viaEngine.Seconds(), "engine-MB/s")
			b.ReportMetric(mb/plain.Seconds(), "iocopy-MB/s")
			b.ReportMetric(plain.Seconds()/viaModel.Seconds(), "ratio")
			b.ReportMetric(viaEngine.Seconds()/viaModel.Seconds(), "model/engine")
		})
	}
}

// plainCopy fetches f's body the plainest way and io.Copies it to a file.
func plainCopy(b *testing.B, key string, f wandb.File) time.Duration {
	out, err := os.Create(filepath.Join(b.TempDir(), "copy"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	start := time.Now()
	req, _ := http.NewRequest(http.MethodGet, f.URL, nil)
	req.SetBasicAuth("api", key)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(out, resp.Body)
	resp.Body.Close()
	if err != nil || n != f.SizeBytes {
		b.Fatalf("copied %d bytes: %v", n, err)
	}
	return time.Since(start)
}
