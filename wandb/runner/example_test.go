package runner_test

import (
	"context"
	"fmt"
	"os"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// A headless download: list a run's files, check the batch, queue it,
// wait, print the summary.
func Example() {
	srv, _ := wandbtest.Start(wandbtest.Options{APIKey: "example-key-0123456789"})
	defer srv.Close()
	srv.AddRun(wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run1", Files: []wandbtest.FileSpec{
		{Name: "config.yaml", Content: []byte("lr: 0.0002\n")},
		{Name: "ckpt/model.bin", Size: 3 << 20},
	}})
	c, _ := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: srv.APIKey()})
	page, _ := c.Files(context.Background(), wandb.RunRef{Entity: "ent", Project: "proj", RunID: "run1"}, wandb.FilesQuery{})

	dest, _ := os.MkdirTemp("", "runner-example")
	defer os.RemoveAll(dest)
	r := runner.New(c, runner.Options{Dest: dest, Parallel: 2})
	defer r.Close()

	free, err := wandb.FreeSpace(dest)
	if err != nil {
		free = -1
	}
	plan := r.Plan(page.Files, free)
	if !plan.Fits() || plan.NeedsConfirm() {
		fmt.Println("would ask:", plan.Describe())
		return
	}
	r.Add(plan.Files...)
	r.Wait(context.Background())
	fmt.Println(r.Summary())
	// Output:
	// 2 files downloaded (3.0 MiB).
}
