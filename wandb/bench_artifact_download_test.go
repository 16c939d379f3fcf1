package wandb_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// The artifact side-by-side benchmark's server runs in a child process
// (this test binary again), as tui's BenchmarkDownloadsVsCurl does, so the
// CPU time measured in this process is the client's alone. This file is
// package wandb_test because the runner imports wandb.
const (
	artBenchServeEnv = "WBFILES_BENCH_ARTIFACT_SERVE"
	artBenchKey      = "artbench-key-000000000000000000000000000"
	artBenchFiles    = 1000
	artBenchLatency  = 20 * time.Millisecond
	artBenchParallel = 8
)

// TestBenchArtifactServerProcess is the server of
// BenchmarkArtifactDownloadVsCurl when the benchmark starts this binary
// with artBenchServeEnv set; otherwise it does nothing. It serves one
// artifact version of artBenchFiles files of 4–64 KiB in ten folders, with
// artBenchLatency added to each storage request (where an artifact's
// signed URLs point), prints its URL, and serves until its standard input
// closes.
func TestBenchArtifactServerProcess(t *testing.T) {
	if os.Getenv(artBenchServeEnv) == "" {
		t.Skip("the server of BenchmarkArtifactDownloadVsCurl, started by it")
	}
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: artBenchKey})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	files := make([]wandbtest.ArtifactFile, artBenchFiles)
	for i := range files {
		files[i] = wandbtest.ArtifactFile{
			Path: fmt.Sprintf("train/part_%02d/sample_%04d.json", i/100, i),
			Size: 4<<10 + int64(i*7919)%(60<<10),
		}
	}
	if err := srv.AddArtifact(wandbtest.ArtifactSpec{Entity: "ent", Project: "proj", Name: "bench-set", Type: "dataset",
		Versions: []wandbtest.ArtifactVersion{{Files: files}}}); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(wandbtest.Storage, wandbtest.Faults{Latency: artBenchLatency})
	wandbtest.ServeChild(srv)
}

// artBenchServer starts the server child and returns a client for it, the
// artifact version and its files, listed through the client's pages.
func artBenchServer(b *testing.B) (*wandb.Client, wandb.ArtifactInfo, []wandb.File) {
	url, stop, err := wandbtest.StartChild("TestBenchArtifactServerProcess", artBenchServeEnv)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	hello := struct{ URL string }{url}
	c, err := wandb.NewClient(wandb.Config{BaseURL: hello.URL, APIKey: artBenchKey})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	info, err := c.Artifact(ctx, wandb.ArtifactRef{Entity: "ent", Project: "proj", Name: "bench-set", Alias: "latest"})
	if err != nil {
		b.Fatal(err)
	}
	var files []wandb.File
	for page, err := range c.ArtifactFilePages(ctx, info.ID, wandb.ArtifactFilesQuery{First: wandb.MaxArtifactPageSize}) {
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, page.Files...)
	}
	if len(files) != artBenchFiles {
		b.Fatalf("listed %d files, want %d", len(files), artBenchFiles)
	}
	for _, f := range files {
		if f.DirectURL == "" || f.MD5 == "" || f.IsReference() {
			b.Fatalf("%s: listed without a signed URL or md5: %+v", f.Name, f)
		}
	}
	return c, info, files
}

// artBenchCPU is this process's user and system CPU time so far.
func artBenchCPU(b *testing.B) time.Duration {
	cpu, err := wandbtest.SelfCPU()
	if err != nil {
		b.Fatal(err)
	}
	return cpu
}

// artDownloadThroughRunner downloads the files with the runner into
// dest/NAME/vN, where the program puts an artifact's files, md5 checked
// as every download is; it returns the wall and CPU time.
func artDownloadThroughRunner(b *testing.B, c *wandb.Client, info wandb.ArtifactInfo, files []wandb.File) (wall, cpu time.Duration) {
	top := b.TempDir()
	dest, err := info.LocalDir(top)
	if err != nil {
		b.Fatal(err)
	}
	r := runner.New(c, runner.Options{Dest: dest, Parallel: artBenchParallel})
	cpu0, start := artBenchCPU(b), time.Now()
	r.Add(files...)
	if err := r.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	wall, cpu = time.Since(start), artBenchCPU(b)-cpu0
	r.Close()
	if t := r.Totals(); t.Done != len(files) {
		b.Fatalf("totals %+v: %s", t, r.Summary())
	}
	os.RemoveAll(top)
	return wall, cpu
}

// artDownloadWithCurl downloads the same signed URLs with `curl --parallel
// --parallel-max 8` (no key: storage URLs are signed) into another
// folder, keeping the paths; its CPU time is the child's. It checks that
// curl wrote every byte.
func artDownloadWithCurl(b *testing.B, curl string, files []wandb.File) (wall, cpu time.Duration) {
	dest := b.TempDir()
	var want int64
	jobs := make([]wandbtest.CurlJob, len(files))
	for i, f := range files {
		jobs[i] = wandbtest.CurlJob{URL: f.DirectURL, Output: filepath.Join(dest, filepath.FromSlash(f.Name))}
		want += f.SizeBytes
	}
	wall, cpu, err := wandbtest.Curl(curl, b.TempDir(), "", artBenchParallel, jobs)
	if err != nil {
		b.Fatal(err)
	}
	var got int64
	n := 0
	filepath.WalkDir(dest, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				got, n = got+fi.Size(), n+1
			}
		}
		return nil
	})
	if n != len(files) || got != want {
		b.Fatalf("curl wrote %d files, %d bytes; want %d, %d", n, got, len(files), want)
	}
	os.RemoveAll(dest)
	return wall, cpu
}

// BenchmarkArtifactDownloadVsCurl downloads an artifact version of 1,000
// small files (4–64 KiB, in folders) from the in-repo server (in a child
// process, 20 ms added to each storage request), listed through the
// client's pages, at parallel 8 two ways in each iteration: through the
// runner (md5 checked, into dest/NAME/vN) and with curl --parallel
// --parallel-max 8 from the same signed URLs. It reports files/s and CPU
// per file of each and the runner's time and CPU as a ratio to curl's
// (goal for the time: at most 1.1, as for run files).
//
//	go test ./wandb -run '^$' -bench ArtifactDownloadVsCurl -benchtime 3x
func BenchmarkArtifactDownloadVsCurl(b *testing.B) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("curl is not installed: this benchmark compares the runner with curl --parallel on the same URLs")
	}
	c, info, files := artBenchServer(b)
	var rn, rnCPU, cu, cuCPU time.Duration
	for b.Loop() {
		w, cp := artDownloadThroughRunner(b, c, info, files)
		rn, rnCPU = rn+w, rnCPU+cp
		w, cp = artDownloadWithCurl(b, curl, files)
		cu, cuCPU = cu+w, cuCPU+cp
	}
	n := float64(artBenchFiles * b.N)
	b.ReportMetric(n/rn.Seconds(), "runner-files/s")
	b.ReportMetric(float64(rnCPU.Microseconds())/n, "runner-cpu-µs/file")
	b.ReportMetric(n/cu.Seconds(), "curl-files/s")
	b.ReportMetric(float64(cuCPU.Microseconds())/n, "curl-cpu-µs/file")
	b.ReportMetric(rn.Seconds()/cu.Seconds(), "time-vs-curl")
	b.ReportMetric(rnCPU.Seconds()/cuCPU.Seconds(), "cpu-vs-curl")
}
