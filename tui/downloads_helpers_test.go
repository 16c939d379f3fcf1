package tui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

const dlTestKey = "dl-test-key-000000000000000000000000000000"

// dlRetry keeps failing downloads short in tests.
var dlRetry = wandb.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxElapsed: 2 * time.Second}

// dlServer starts a W&B-compatible server holding run and returns it with
// a client and the run's files as the client lists them.
func dlServer(t testing.TB, run wandbtest.RunSpec) (*wandbtest.Server, *wandb.Client, []wandb.File) {
	t.Helper()
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: dlTestKey})
	if err != nil {
		t.Fatalf("starting the test server: %v", err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(run)
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: dlTestKey, Retry: dlRetry})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return srv, c, dlListAll(t, c, dlRef(run))
}

func dlRef(run wandbtest.RunSpec) wandb.RunRef {
	return wandb.RunRef{Entity: run.Entity, Project: run.Project, RunID: run.ID}
}

// dlListAll lists every file of ref, page by page.
func dlListAll(t testing.TB, c *wandb.Client, ref wandb.RunRef) []wandb.File {
	t.Helper()
	var files []wandb.File
	for page, err := range c.FilePages(context.Background(), ref, wandb.FilesQuery{First: wandb.MaxPageSize}) {
		if err != nil {
			t.Fatalf("listing %s: %v", ref, err)
		}
		files = append(files, page.Files...)
	}
	return files
}

// dlRun is a run of n small generated files of varied sizes.
func dlRun(id string, n int) wandbtest.RunSpec {
	return wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: id, State: "finished", Files: wandbtest.SmallFiles(n)}
}

// checkOnDisk fails unless dest/<name> holds exactly spec's content.
func checkOnDisk(t testing.TB, dest string, spec wandbtest.FileSpec) {
	t.Helper()
	if err := spec.SameAs(filepath.Join(dest, filepath.FromSlash(spec.Name))); err != nil {
		t.Fatalf("%s on disk: %v", spec.Name, err)
	}
}

// noFinalFile fails when dest/<name> exists.
func noFinalFile(t testing.TB, dest, name string) {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(name))); err == nil {
		t.Fatalf("%s exists under its final name", name)
	}
}
