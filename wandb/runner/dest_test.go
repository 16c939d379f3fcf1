package runner

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// Jobs of several folders: a job is the place its file lands, so a run's
// config.yaml and an artifact's config.yaml under DEST/NAME/vN are two
// jobs, and one place spelled twice is one.

// twoSources is a server with a run and a second source (an artifact's
// files, served as a run) that both have a config.yaml, of different
// contents; it returns the env (its files are the run's) and the second
// source's spec and listing.
func twoSources(t *testing.T) (*env, wandbtest.RunSpec, []wandb.File) {
	t.Helper()
	e := newEnv(t, wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "run", Files: []wandbtest.FileSpec{
		{Name: "config.yaml", Content: []byte("lr: 0.1\n")},
	}}, testRetry)
	art := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "art", Files: []wandbtest.FileSpec{
		{Name: "config.yaml", Content: []byte("lr: 0.2\nbatch: 64\n")},
		{Name: "model.bin", Size: 5000},
	}}
	e.srv.AddRun(art)
	page, err := e.c.Files(context.Background(), wandb.RunRef{Entity: art.Entity, Project: art.Project, RunID: art.ID}, wandb.FilesQuery{First: wandb.MaxPageSize})
	if err != nil || len(page.Files) != len(art.Files) {
		t.Fatalf("listing the second source: %d files, %v", len(page.Files), err)
	}
	return e, art, page.Files
}

// Two files of the same name to two folders are two jobs: both download,
// each to its folder with its own contents, and both are tracked.
func TestAddToSameNameInTwoFolders(t *testing.T) {
	e, art, artFiles := twoSources(t)
	dest := t.TempDir()
	artDest := filepath.Join(dest, "model", "v3")
	r := New(e.c, Options{Dest: dest, Parallel: 2})
	defer r.Close()
	if n := r.Add(e.files...); n != 1 {
		t.Fatalf("Add queued %d, want 1", n)
	}
	if n := r.AddTo(artDest, artFiles...); n != 2 {
		t.Fatalf("AddTo queued %d, want 2 (config.yaml of another folder is another job)", n)
	}
	waitIdle(t, r)
	checkOnDisk(t, dest, e.run.Files[0])
	checkOnDisk(t, artDest, art.Files[0])
	checkOnDisk(t, artDest, art.Files[1])

	if r.Len() != 3 {
		t.Fatalf("%d jobs, want 3", r.Len())
	}
	run := mustJob(t, r, "config.yaml") // Lookup is Options.Dest's
	if run.Dest != dest || run.State != Done || run.File.MD5 != e.files[0].MD5 || run.Path != filepath.Join(dest, "config.yaml") {
		t.Fatalf("the run's config.yaml: %+v", run)
	}
	a, ok := r.LookupIn(artDest, "config.yaml")
	if !ok || a.Dest != artDest || a.State != Done || a.File.MD5 != artFiles[0].MD5 || a.Path != filepath.Join(artDest, "config.yaml") || a.Index == run.Index {
		t.Fatalf("the artifact's config.yaml: %+v, %v", a, ok)
	}
	if j, ok := r.Lookup("model.bin"); ok {
		t.Fatalf("Lookup found the artifact's model.bin in the run's folder: %+v", j)
	}
	if _, ok := r.LookupIn(artDest, "model.bin"); !ok {
		t.Fatal("LookupIn missed the artifact's model.bin")
	}
	if _, ok := r.LookupIn(t.TempDir(), "config.yaml"); ok {
		t.Fatal("LookupIn found config.yaml in a folder nothing went to")
	}
	if tot := r.Totals(); tot.Files != 3 || tot.Done != 3 {
		t.Fatalf("totals %+v", tot)
	}
	if s := r.Summary(); s.Downloaded != 3 || len(s.Failed) != 0 {
		t.Fatalf("summary %+v", s)
	}
}

// One place is one job however its folder is spelled, and a file under a
// subfolder is the same place as its name with the subfolder in it.
func TestAddToSamePlaceIsOneJob(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base) // relative folders are taken from the working directory
	r := New(blockDL{}, Options{Dest: "out", Parallel: 1})
	t.Cleanup(r.Close)
	f := wandb.File{Name: "config.yaml", SizeBytes: 10}
	if r.AddTo("out", f) != 1 {
		t.Fatal("the first AddTo queued nothing")
	}
	for _, dest := range []string{"out", "./out", "out/", "x/../out", filepath.Join(base, "out")} {
		if n := r.AddTo(dest, f); n != 0 {
			t.Errorf("AddTo(%q) queued a second job for the same place", dest)
		}
		if j, ok := r.LookupIn(dest, f.Name); !ok || j.Index != 0 || j.Dest != "out" {
			t.Errorf("LookupIn(%q) = %+v, %v; want the first job", dest, j, ok)
		}
	}
	if r.Add(f) != 0 {
		t.Error("Add queued a second job for the place of Options.Dest")
	}
	r.AddTo("out", wandb.File{Name: "a/b"})
	if r.AddTo(filepath.Join("out", "a"), wandb.File{Name: "b"}) != 0 {
		t.Error(`"b" in out/a got a job of its own beside "a/b" in out`)
	}
	if r.Len() != 2 {
		t.Fatalf("%d jobs, want 2", r.Len())
	}
	if p := r.PlanIn(filepath.Join(base, "out"), []wandb.File{f, {Name: "new"}}, -1); len(p.Files) != 1 || p.Files[0].Name != "new" {
		t.Fatalf("PlanIn kept %+v; want only new", p.Files)
	}
	if p := r.PlanIn("elsewhere", []wandb.File{f}, -1); len(p.Files) != 1 {
		t.Fatal("PlanIn left out a file whose name is active in another folder only")
	}
	if p := r.Plan([]wandb.File{f}, -1); len(p.Files) != 0 {
		t.Fatal("Plan kept a file active in Options.Dest")
	}
}

// A name the engine refuses has its own job: "../x" in /d/a is not "x" in
// /d (which Join would make of it), and folders and names that clean alike
// stay apart when the engine would not write them alike.
func TestQueueKeyKeepsRefusedNamesApart(t *testing.T) {
	for _, c := range []struct {
		d1, n1, d2, n2 string
		same           bool
	}{
		{"/d", "x", "/d/a", "../x", false},
		{"/d", "a/b", "/d", "a//b", false},
		{"/d", "a/b", "/d", "a/./b", false},
		{"/d", "a/b", "/d", `a\b`, false},
		{"/d", "a/b", "/d", "a/b/", false},
		{"/d", "x", "/d/x", "", false},
		{"/", "etc/passwd", "/d", "/etc/passwd", false},
		{"/d", "../x", "/e", "../x", false},
		{"/d", "../x", "/d/", "../x", true},
		{"/d", "a/b", "/d/a", "b", true},
		{"/d", "x", "/e", "x", false},
	} {
		q := newQueue()
		q.add(c.d1, wandb.File{Name: c.n1}, t0)
		q.add(c.d2, wandb.File{Name: c.n2}, t0)
		if got := len(q.jobs) == 1; got != c.same {
			t.Errorf("%q in %q and %q in %q: one job %v, want %v", c.n1, c.d1, c.n2, c.d2, got, c.same)
		}
	}
}

// End to end: a hostile "../config.yaml" in a subfolder fails on its own
// while the folder's own config.yaml downloads.
func TestAddToRefusedNameIsItsOwnJob(t *testing.T) {
	e, _, _ := twoSources(t)
	dest := t.TempDir()
	sub := filepath.Join(dest, "sub")
	hostile := e.files[0]
	hostile.Name = "../config.yaml"
	r := New(e.c, Options{Dest: dest, Parallel: 2})
	defer r.Close()
	if r.AddTo(sub, hostile) != 1 || r.Add(e.files[0]) != 1 {
		t.Fatal("the hostile name and the file it would clean to share a job")
	}
	waitIdle(t, r)
	if j, ok := r.LookupIn(sub, hostile.Name); !ok || j.State != Failed || ShortReason(j.Err) != "unsafe name" {
		t.Fatalf("the hostile job: %+v, %v", j, ok)
	}
	if j := mustJob(t, r, "config.yaml"); j.State != Done {
		t.Fatalf("config.yaml: %+v", j)
	}
	checkOnDisk(t, dest, e.run.Files[0])
	if s := r.Summary(); len(s.Failed) != 1 || s.Failed[0].Name != hostile.Name || s.Failed[0].Dest != sub || s.Downloaded != 1 {
		t.Fatalf("summary %+v", s)
	}
}

// CancelIn and RetryIn act on the job of their folder only, and a retried
// job downloads to its own folder again; RetryFailed sends each failed job
// back to its folder.
func TestCancelInRetryIn(t *testing.T) {
	e, art, artFiles := twoSources(t)
	e.srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{Latency: 10 * time.Second})
	dest := t.TempDir()
	artDest := filepath.Join(dest, "model", "v3")
	r := New(e.c, Options{Dest: dest, Parallel: 3})
	defer r.Close()
	r.Add(e.files...)
	r.AddTo(artDest, artFiles[0])
	if r.CancelIn(t.TempDir(), "config.yaml") {
		t.Fatal("CancelIn of a folder without the file cancelled something")
	}
	if !r.CancelIn(artDest, "config.yaml") {
		t.Fatal("CancelIn refused the artifact's running job")
	}
	if j := mustJob(t, r, "config.yaml"); j.State != Running {
		t.Fatalf("cancelling the artifact's config.yaml touched the run's: %v", j.State)
	}
	if !r.Cancel("config.yaml") {
		t.Fatal("Cancel refused the run's running job")
	}
	waitIdle(t, r)
	e.srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})

	if r.RetryIn(dest, "model.bin") || !r.RetryIn(artDest, "config.yaml") {
		t.Fatal("RetryIn retried the wrong job")
	}
	waitIdle(t, r)
	checkOnDisk(t, artDest, art.Files[0])
	noFinalFile(t, dest, "config.yaml")
	if j := mustJob(t, r, "config.yaml"); j.State != Cancelled {
		t.Fatalf("retrying the artifact's config.yaml touched the run's: %v", j.State)
	}
	if !r.Retry("config.yaml") {
		t.Fatal("Retry refused the run's cancelled job")
	}
	waitIdle(t, r)
	checkOnDisk(t, dest, e.run.Files[0])

	// Both fail, then RetryFailed sends each home.
	e.srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 1})
	r.AddTo(artDest, artFiles[1])
	r.Add(wandb.File{Name: "model.bin", URL: artFiles[1].URL, SizeBytes: artFiles[1].SizeBytes, MD5: artFiles[1].MD5})
	waitIdle(t, r)
	if tot := r.Totals(); tot.Failed != 2 {
		t.Fatalf("with every request failing: %+v", tot)
	}
	e.srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	if n := r.RetryFailed(); n != 2 {
		t.Fatalf("RetryFailed queued %d, want 2", n)
	}
	waitIdle(t, r)
	checkOnDisk(t, artDest, art.Files[1])
	checkOnDisk(t, dest, wandbtest.FileSpec{Name: "model.bin", Size: art.Files[1].Size})
	if tot := r.Totals(); tot.Done != 4 || tot.Files != 4 {
		t.Fatalf("after RetryFailed: %+v", tot)
	}
}
