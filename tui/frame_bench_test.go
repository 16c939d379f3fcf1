package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// The side-by-side benchmark's server runs in a child process (this test
// binary again), so the CPU time measured in this process is the client's
// alone: the runner and the root model with its redraws.
const (
	benchServeEnv = "WBFILES_BENCH_SERVE"
	benchFiles    = 1000
	benchLatency  = 20 * time.Millisecond
)

// TestBenchServerProcess is the server of BenchmarkDownloadsVsCurl when
// the benchmark starts this binary with benchServeEnv set; otherwise it
// does nothing. It serves benchFiles files of 4–64 KiB with benchLatency
// added to each file request, prints its URL, and serves until its
// standard input closes.
func TestBenchServerProcess(t *testing.T) {
	if os.Getenv(benchServeEnv) == "" {
		t.Skip("the server of BenchmarkDownloadsVsCurl, started by it")
	}
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "bench", State: "finished"}
	for i := range benchFiles {
		run.Files = append(run.Files, wandbtest.FileSpec{
			Name: fmt.Sprintf("media/tables/part_%03d/table_%04d.json", i/100, i),
			Size: 4<<10 + int64(i*7919)%(60<<10),
		})
	}
	srv.AddRun(run)
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{Latency: benchLatency})
	wandbtest.ServeChild(srv)
}

// benchServer starts the server child and returns a client for it and its
// files.
func benchServer(b *testing.B) (*wandb.Client, wandb.RunInfo, []wandb.File) {
	url, stop, err := wandbtest.StartChild("TestBenchServerProcess", benchServeEnv)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	hello := struct{ URL string }{url}
	c, err := wandb.NewClient(wandb.Config{BaseURL: hello.URL, APIKey: testKey})
	if err != nil {
		b.Fatal(err)
	}
	ref := wandb.RunRef{Entity: "ent", Project: "proj", RunID: "bench"}
	info, err := c.Run(context.Background(), ref)
	if err != nil {
		b.Fatal(err)
	}
	var files []wandb.File
	q := wandb.FilesQuery{First: wandb.MaxPageSize}
	for {
		page, err := c.Files(context.Background(), ref, q)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, page.Files...)
		if !page.HasNextPage {
			break
		}
		q.After = page.EndCursor
	}
	if len(files) != benchFiles {
		b.Fatalf("listed %d files", len(files))
	}
	return c, info, files
}

// selfCPU is this process's user and system CPU time so far.
func selfCPU(b *testing.B) time.Duration {
	cpu, err := wandbtest.SelfCPU()
	if err != nil {
		b.Fatal(err)
	}
	return cpu
}

// downloadThroughUI runs the real program (root model, renderer writing a
// 120x40 screen to nowhere) and has it download files into a new folder
// at parallel 8, as `d` on a selection does; it returns the wall and CPU
// time from the request to the last file in place.
func downloadThroughUI(b *testing.B, c *wandb.Client, info wandb.RunInfo, files []wandb.File) (wall, cpu time.Duration) {
	dest := b.TempDir()
	m := New(Options{Flat: true, Source: c, Downloader: c, Run: info, Dest: dest, Parallel: 8, Dark: true})
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(120, 40),
		tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	cpu0, start := selfCPU(b), time.Now()
	// The message a confirmed download request ends in.
	p.Send(filesRefreshedMsg{files: files})
	run := m.Runner()
	for run.Totals().Files < len(files) {
		time.Sleep(time.Millisecond)
	}
	if err := run.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	wall, cpu = time.Since(start), selfCPU(b)-cpu0
	p.Quit()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	if t := run.Totals(); t.Done != len(files) {
		b.Fatalf("totals %+v: %s", t, m.Summary())
	}
	os.RemoveAll(dest)
	return wall, cpu
}

// downloadThroughRunner is the same downloads through the runner alone.
func downloadThroughRunner(b *testing.B, c *wandb.Client, files []wandb.File) (wall, cpu time.Duration) {
	dest := b.TempDir()
	r := runner.New(c, runner.Options{Dest: dest, Parallel: 8})
	cpu0, start := selfCPU(b), time.Now()
	r.Add(files...)
	if err := r.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	wall, cpu = time.Since(start), selfCPU(b)-cpu0
	r.Close()
	os.RemoveAll(dest)
	return wall, cpu
}

// downloadWithCurl is the same downloads by `curl --parallel
// --parallel-max 8`, the tool a user would otherwise script, from the
// same URLs with the same key; its CPU time is the child's.
func downloadWithCurl(b *testing.B, curl string, files []wandb.File) (wall, cpu time.Duration) {
	dest := b.TempDir()
	jobs := make([]wandbtest.CurlJob, len(files))
	for i, f := range files {
		jobs[i] = wandbtest.CurlJob{URL: f.URL, Output: filepath.Join(dest, f.Name)}
	}
	wall, cpu, err := wandbtest.Curl(curl, b.TempDir(), "api:"+testKey, 8, jobs)
	if err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(dest)
	return wall, cpu
}

// BenchmarkDownloadsVsCurl downloads 1,000 small files (4–64 KiB) from the
// in-repo server (in a child process, 20 ms added to each file request)
// at parallel 8, three ways in each iteration: through the real program
// (root model and renderer: the UI cost), through the runner alone, and
// with curl --parallel --parallel-max 8 when curl is installed. It reports
// files/s and CPU per file of each, and the program's time and CPU as a
// ratio to curl's (goals: at most 1.1 and 2).
//
//	go test ./tui -run '^$' -bench DownloadsVsCurl -benchmem -benchtime 3x
func BenchmarkDownloadsVsCurl(b *testing.B) {
	c, info, files := benchServer(b)
	curl, _ := exec.LookPath("curl")
	var ui, uiCPU, rn, rnCPU, cu, cuCPU time.Duration
	for b.Loop() {
		w, cp := downloadThroughUI(b, c, info, files)
		ui, uiCPU = ui+w, uiCPU+cp
		w, cp = downloadThroughRunner(b, c, files)
		rn, rnCPU = rn+w, rnCPU+cp
		if curl != "" {
			w, cp = downloadWithCurl(b, curl, files)
			cu, cuCPU = cu+w, cuCPU+cp
		}
	}
	n := float64(benchFiles * b.N)
	b.ReportMetric(n/ui.Seconds(), "ui-files/s")
	b.ReportMetric(float64(uiCPU.Microseconds())/n, "ui-cpu-µs/file")
	b.ReportMetric(n/rn.Seconds(), "runner-files/s")
	b.ReportMetric(float64(rnCPU.Microseconds())/n, "runner-cpu-µs/file")
	if curl != "" {
		b.ReportMetric(n/cu.Seconds(), "curl-files/s")
		b.ReportMetric(float64(cuCPU.Microseconds())/n, "curl-cpu-µs/file")
		b.ReportMetric(ui.Seconds()/cu.Seconds(), "time-vs-curl")
		b.ReportMetric(uiCPU.Seconds()/cuCPU.Seconds(), "cpu-vs-curl")
	}
}
