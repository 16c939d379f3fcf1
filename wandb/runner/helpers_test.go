package runner

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

const testKey = "runner-test-key-0123456789"

// testRetry keeps the engine's retries quick in tests.
var testRetry = wandb.RetryPolicy{MaxAttempts: 5, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond, MaxElapsed: 10 * time.Second}

// env is a wandbtest server with one run, the real client for it (with
// retry) and the run's files as the client lists them.
type env struct {
	srv   *wandbtest.Server
	c     *wandb.Client
	run   wandbtest.RunSpec
	files []wandb.File
}

func newEnv(t testing.TB, run wandbtest.RunSpec, retry wandb.RetryPolicy) *env {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: testKey})
	if err != nil {
		t.Fatalf("starting the test server: %v", err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(run)
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: testKey, Retry: retry})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	e := &env{srv: srv, c: c, run: run}
	e.files = e.list(t)
	return e
}

// list lists every file of the run, page by page, as the server sends it
// now (faults such as WrongMD5 included).
func (e *env) list(t testing.TB) []wandb.File {
	t.Helper()
	ref := wandb.RunRef{Entity: e.run.Entity, Project: e.run.Project, RunID: e.run.ID}
	var files []wandb.File
	for page, err := range e.c.FilePages(context.Background(), ref, wandb.FilesQuery{First: wandb.MaxPageSize}) {
		if err != nil {
			t.Fatalf("listing: %v", err)
		}
		files = append(files, page.Files...)
	}
	return files
}

// manyRun is a run of n small files (1 B to 6 KB) in four folders.
func manyRun(id string, n int) wandbtest.RunSpec {
	return wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: id, State: "finished", Files: wandbtest.SmallFiles(n)}
}

// waitIdle waits for r to have nothing active, failing the test after 60 s.
func waitIdle(t testing.TB, r *Runner) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := r.Wait(ctx); err != nil {
		t.Fatalf("waiting for the downloads: %v; totals %+v", err, r.Totals())
	}
}

// waitFor waits, woken by r.Changed, until cond holds.
func waitFor(t testing.TB, r *Runner, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case <-r.Changed():
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; totals %+v", what, r.Totals())
		}
	}
}

// mustJob returns the job of name.
func mustJob(t testing.TB, r *Runner, name string) Job {
	t.Helper()
	j, ok := r.Lookup(name)
	if !ok {
		t.Fatalf("no job for %s", name)
	}
	return j
}

// checkOnDisk asserts dest holds exactly the spec's content.
func checkOnDisk(t testing.TB, dest string, spec wandbtest.FileSpec) {
	t.Helper()
	if err := spec.SameAs(filepath.Join(dest, filepath.FromSlash(spec.Name))); err != nil {
		t.Fatalf("%s on disk: %v", spec.Name, err)
	}
}

// noFinalFile asserts that nothing is at the final name of name in dest.
func noFinalFile(t testing.TB, dest, name string) {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(name))); !os.IsNotExist(err) {
		t.Fatalf("%s: a file is at the final name (err %v)", name, err)
	}
}

// partials lists the engine's temporary files under dir.
func partials(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".wbfiles-partial" {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// probe wraps the real engine, records how many downloads ran inside it
// at once and which files it was asked for, and panics for the file named
// panicOn (a bug in a download).
type probe struct {
	Downloader
	panicOn string

	mu        sync.Mutex
	now, peak int
	calls     map[string]int
	order     []string // names in the order their downloads started
}

func (p *probe) Download(ctx context.Context, f wandb.File, dest string, opts wandb.DownloadOptions) (wandb.DownloadResult, error) {
	p.mu.Lock()
	p.now++
	p.peak = max(p.peak, p.now)
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[f.Name]++
	p.order = append(p.order, f.Name)
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.now--
		p.mu.Unlock()
	}()
	if f.Name == p.panicOn {
		panic("boom")
	}
	return p.Downloader.Download(ctx, f, dest, opts)
}

// stats returns the downloads inside the engine now, the most at once
// and the calls per file.
func (p *probe) stats() (now, peak int, calls map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.now, p.peak, maps.Clone(p.calls)
}

// started returns the names in the order their downloads started.
func (p *probe) started() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.order)
}
