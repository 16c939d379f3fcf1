package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestDownloadsManyFilesAtMostParallel(t *testing.T) {
	run := dlRun("many", 220)
	_, c, files := dlServer(t, run)
	if len(files) != 220 {
		t.Fatalf("listed %d files", len(files))
	}
	dest := t.TempDir()
	probe := &concurrencyProbe{Downloader: c}
	h := newDLHarness(t, DownloadsOptions{Downloader: probe, Dest: dest, Parallel: 4}, 120, 30)

	h.do(h.d.Enqueue(files))
	if got := h.d.jobs.Count(model.Running); got != 4 {
		t.Fatalf("right after Enqueue %d jobs run, want 4", got)
	}
	if st := h.d.State(files[0].Name); st != "0%" {
		t.Fatalf("state of a started file = %q", st)
	}
	if st := h.d.State(files[219].Name); st != "queued" {
		t.Fatalf("state of the last file = %q", st)
	}
	// Queuing the same files again while they run changes nothing.
	h.do(h.d.Enqueue(files[:10]))
	if h.d.jobs.Len() != 220 {
		t.Fatalf("re-queuing made %d jobs", h.d.jobs.Len())
	}

	h.until("every job to finish", 60*time.Second, func() bool { return !h.d.Active() })
	h.settle(10 * time.Second)

	peak, calls := probe.stats()
	if h.maxRunning > 4 || peak > 4 {
		t.Fatalf("at most 4 may run: model had %d running, engine %d at once", h.maxRunning, peak)
	}
	if calls != 220 {
		t.Fatalf("engine called %d times for 220 files", calls)
	}
	tot := h.d.Totals()
	if tot.Done != 220 || tot.Failed+tot.Cancelled+tot.UpToDate != 0 || tot.BytesDone != tot.BytesTotal {
		t.Fatalf("totals %+v", tot)
	}
	for _, spec := range run.Files {
		checkOnDisk(t, dest, spec)
		if st := h.d.State(spec.Name); st != "done" {
			t.Fatalf("state of %s = %q", spec.Name, st)
		}
	}
	if got := h.d.Summary(); !strings.HasPrefix(got, "220 files downloaded (") {
		t.Fatalf("summary = %q", got)
	}

	// Queued again, every file is found up to date by its md5.
	h.do(h.d.Enqueue(files))
	h.until("the second round", 60*time.Second, func() bool { return !h.d.Active() })
	if tot := h.d.Totals(); tot.UpToDate != 220 {
		t.Fatalf("second round: %+v", tot)
	}
	if st := h.d.State(files[5].Name); st != "up to date" {
		t.Fatalf("state = %q", st)
	}
}

func TestDownloadsCancelSlowDownload(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "slow", Files: []wandbtest.FileSpec{
		{Name: "ckpt/model.bin", Size: 4 << 20},
		{Name: "small.txt", Content: []byte("hello\n")},
	}}
	srv, c, files := dlServer(t, run)
	srv.SetFaults(wandbtest.AllTargets&^wandbtest.GraphQL, wandbtest.Faults{BytesPerSecond: 128 << 10})
	dest := t.TempDir()
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest, Parallel: 1, ProgressInterval: 20 * time.Millisecond}, 120, 30)

	h.do(h.d.Enqueue(files)) // model.bin first; small.txt waits its turn
	h.until("some bytes of the slow file", 20*time.Second, func() bool {
		j, _ := h.d.Job("ckpt/model.bin")
		return j.Done > 0
	})
	if !strings.Contains(h.stripped(), "ckpt/model.bin") {
		t.Fatalf("view lacks the running file:\n%s", h.stripped())
	}
	h.press("x") // the cursor is on the first job
	j, _ := h.d.Job("ckpt/model.bin")
	if j.State != model.Cancelled {
		t.Fatalf("after x: %v", j.State)
	}
	if st := h.d.State("small.txt"); st == "queued" {
		t.Fatal("cancelling did not start the next queued file")
	}
	h.settle(20 * time.Second) // the engine returned and small.txt is done
	noFinalFile(t, dest, "ckpt/model.bin")
	if j, _ := h.d.Job("ckpt/model.bin"); j.State != model.Cancelled {
		t.Fatalf("after the engine returned: %v", j.State)
	}
	if st := h.d.State("small.txt"); st != "done" {
		t.Fatalf("small.txt = %q", st)
	}
	checkOnDisk(t, dest, run.Files[1])
	if s := h.d.Summary(); !strings.Contains(s, "1 cancelled") {
		t.Fatalf("summary = %q", s)
	}

	// Retry resumes the cancelled download and ends byte-exact.
	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	h.press("r")
	h.until("the retried download", 30*time.Second, func() bool { return !h.d.Active() })
	j, _ = h.d.Job("ckpt/model.bin")
	if j.State != model.Done || !j.Resumed {
		t.Fatalf("retried job: %v resumed=%v", j.State, j.Resumed)
	}
	checkOnDisk(t, dest, run.Files[0])
}

func TestDownloadsWrongMD5FailsThenRetrySucceeds(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "md5", Files: []wandbtest.FileSpec{
		{Name: "data/table.json", Size: 300 << 10},
	}}
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: dlTestKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddRun(run)
	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{WrongMD5: true})
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: dlTestKey, Retry: dlRetry})
	if err != nil {
		t.Fatal(err)
	}
	files := dlListAll(t, c, dlRef(run))
	dest := t.TempDir()
	// With Source and Run set, a retry lists the file again first.
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest, Source: c, Run: dlRef(run)}, 120, 30)

	h.do(h.d.Enqueue(files))
	h.settle(20 * time.Second)
	j, _ := h.d.Job("data/table.json")
	if j.State != model.Failed || !strings.Contains(j.Reason, "md5") {
		t.Fatalf("job %v, reason %q; want failed with an md5 reason", j.State, j.Reason)
	}
	noFinalFile(t, dest, "data/table.json")
	if st := h.d.State("data/table.json"); st != "failed" {
		t.Fatalf("state = %q", st)
	}
	view := h.stripped()
	if !strings.Contains(view, "md5 mismatch") || !strings.Contains(view, "failed: ") {
		t.Fatalf("view does not show the reason:\n%s", view)
	}

	offered := map[string]bool{}
	for _, b := range h.d.HelpKeys(h.d.keys).ShortHelp() {
		offered[b.Help().Desc] = b.Enabled()
	}
	if !offered["retry job"] || !offered["retry all failed"] || offered["cancel job"] {
		t.Fatalf("help on a failed job offers %v", offered)
	}

	srv.SetFaults(wandbtest.GraphQL, wandbtest.Faults{})
	h.press("r")
	h.settle(20 * time.Second)
	if j, _ := h.d.Job("data/table.json"); j.State != model.Done {
		t.Fatalf("after retry: %v (%s)", j.State, j.Reason)
	}
	checkOnDisk(t, dest, run.Files[0])
}

func TestDownloadsRetryAfterServerErrors(t *testing.T) {
	run := dlRun("errors", 3)
	srv, c, files := dlServer(t, run)
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{ServerErrorEvery: 1})
	dest := t.TempDir()
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest, Parallel: 2}, 120, 30)

	h.do(h.d.Enqueue(files))
	h.settle(20 * time.Second)
	if tot := h.d.Totals(); tot.Failed != 3 {
		t.Fatalf("with every request failing: %+v", tot)
	}
	h.press("r") // the job under the cursor, while the server still fails
	h.settle(20 * time.Second)
	if tot := h.d.Totals(); tot.Failed != 3 {
		t.Fatalf("retry while the server still fails: %+v", tot)
	}

	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{})
	h.press("R")
	h.settle(20 * time.Second)
	if tot := h.d.Totals(); tot.Done != 3 || tot.Failed != 0 {
		t.Fatalf("after retrying all: %+v", tot)
	}
	for _, spec := range run.Files {
		checkOnDisk(t, dest, spec)
	}
	// With nothing failed, R and r are disabled: they do nothing and the
	// help does not offer them.
	status := h.d.Status()
	h.press("R")
	h.press("r")
	if h.d.Status() != status || h.d.Active() {
		t.Fatalf("disabled retry acted: status %q, active %v", h.d.Status(), h.d.Active())
	}
	for _, b := range h.d.HelpKeys(h.d.keys).ShortHelp() {
		if b.Enabled() && (b.Help().Desc == "retry job" || b.Help().Desc == "retry all failed" || b.Help().Desc == "cancel job") {
			t.Fatalf("help offers %q with nothing to do", b.Help().Desc)
		}
	}
}

func TestDownloadsLargeFileCutMidBody(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "cut", Files: []wandbtest.FileSpec{
		{Name: "checkpoints/epoch-3.pt", Size: 24 << 20},
	}}
	srv, c, files := dlServer(t, run)
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{CutBodyAfter: 5 << 20, CutBodyTimes: 2})
	dest := t.TempDir()
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest}, 120, 30)

	h.do(h.d.Enqueue(files))
	h.settle(60 * time.Second)
	j, _ := h.d.Job("checkpoints/epoch-3.pt")
	if j.State != model.Done || !j.Resumed || j.Done != 24<<20 {
		t.Fatalf("job %v resumed=%v done=%d (%s)", j.State, j.Resumed, j.Done, j.Reason)
	}
	if st := srv.Stats(); st.CutBodies != 2 || st.RangeRequests < 2 {
		t.Fatalf("server saw %d cuts and %d range requests", st.CutBodies, st.RangeRequests)
	}
	checkOnDisk(t, dest, run.Files[0])
}

func TestDownloadsHostileName(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "evil", Files: []wandbtest.FileSpec{
		{Name: "../evil", Content: []byte("pwned\n")},
		{Name: "good.txt", Content: []byte("fine\n")},
	}}
	_, c, files := dlServer(t, run)
	root := t.TempDir()
	dest := filepath.Join(root, "inner", "dest")
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest}, 120, 30)

	h.do(h.d.Enqueue(files))
	h.settle(20 * time.Second)
	j, ok := h.d.Job("../evil")
	if !ok || j.State != model.Failed || model.ShortReason(j.Err) != "unsafe name" {
		t.Fatalf("hostile name: %v %q", j.State, j.Reason)
	}
	if st := h.d.State("good.txt"); st != "done" {
		t.Fatalf("good.txt = %q", st)
	}
	// Nothing was written beside dest or above it.
	for _, dir := range []string{filepath.Join(root, "inner"), root} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() == "evil" {
				t.Fatalf("%s written outside dest", filepath.Join(dir, e.Name()))
			}
		}
	}
	if !strings.Contains(h.stripped(), "unsafe name") {
		t.Fatalf("view:\n%s", h.stripped())
	}
	if s := h.d.Summary(); !strings.Contains(s, "failed: ../evil: ") {
		t.Fatalf("summary = %q", s)
	}
}

func TestDownloadsLargeBatchAsksFirst(t *testing.T) {
	run := dlRun("batch", 150)
	_, c, files := dlServer(t, run)
	dest := t.TempDir()
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest, Parallel: 8}, 120, 30)

	h.do(h.d.Request(files))
	h.settle(10 * time.Second)
	if !h.d.Prompting() || h.d.jobs.Len() != 0 {
		t.Fatalf("150 files: prompting=%v, %d jobs", h.d.Prompting(), h.d.jobs.Len())
	}
	prompt := h.d.PromptText()
	if !strings.HasPrefix(prompt, "Download 150 files, ") || !strings.Contains(prompt, " free") {
		t.Fatalf("prompt = %q", prompt)
	}
	h.press("n")
	if h.d.Prompting() || h.d.jobs.Len() != 0 {
		t.Fatal("declined batch was queued")
	}

	h.do(h.d.Request(files))
	h.settle(10 * time.Second)
	h.press("y")
	h.until("the batch", 60*time.Second, func() bool { return h.d.jobs.Len() == 150 && !h.d.Active() })
	if tot := h.d.Totals(); tot.Done != 150 {
		t.Fatalf("totals %+v", tot)
	}

	// A small batch goes straight in; one that cannot fit is refused.
	h.do(h.d.Request(files[:3]))
	h.settle(10 * time.Second)
	if h.d.Prompting() || h.d.Totals().UpToDate != 3 {
		t.Fatalf("small batch: prompting=%v totals %+v", h.d.Prompting(), h.d.Totals())
	}
	huge := files[0]
	huge.Name, huge.SizeBytes = "huge.bin", 1<<62
	h.do(h.d.Request([]wandb.File{huge}))
	h.settle(10 * time.Second)
	if _, ok := h.d.Job("huge.bin"); ok || !strings.HasPrefix(h.d.Status(), "refused: not enough space") {
		t.Fatalf("huge file: queued=%v status %q", ok, h.d.Status())
	}
}

func TestDownloadsQuitPrompt(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "quit", Files: []wandbtest.FileSpec{
		{Name: "a.bin", Size: 256 << 10}, {Name: "b.bin", Size: 256 << 10},
	}}
	srv, c, files := dlServer(t, run)
	dest := t.TempDir()
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest}, 120, 30)

	if cmd := h.d.AskQuit(); cmd == nil {
		t.Fatal("AskQuit with nothing running did not quit")
	}
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{BytesPerSecond: 256 << 10})
	h.do(h.d.Enqueue(files))
	if cmd := h.d.AskQuit(); cmd != nil || !h.d.Prompting() || !strings.Contains(h.d.PromptText(), "2 downloads unfinished") {
		t.Fatalf("AskQuit while downloading: prompting=%v %q", h.d.Prompting(), h.d.PromptText())
	}
	h.press("esc")
	if h.d.Prompting() || h.quit {
		t.Fatal("esc did not close the prompt")
	}
	h.d.AskQuit()
	h.press("w")
	h.until("the quit after the downloads", 20*time.Second, func() bool { return h.quit })
	if h.d.Active() || h.d.Totals().Done != 2 {
		t.Fatalf("quit before the downloads ended: %+v", h.d.Totals())
	}

	// Cancel and quit.
	dest2 := t.TempDir()
	h2 := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest2}, 120, 30)
	h2.do(h2.d.Enqueue(files))
	h2.d.AskQuit()
	h2.press("y")
	h2.until("the quit", 10*time.Second, func() bool { return h2.quit })
	if h2.d.Active() || h2.d.Totals().Cancelled != 2 {
		t.Fatalf("cancel and quit: quit=%v totals %+v", h2.quit, h2.d.Totals())
	}
	h2.settle(20 * time.Second)
	noFinalFile(t, dest2, "a.bin")
	noFinalFile(t, dest2, "b.bin")
}

func TestDownloadsKeepsADifferentLocalFile(t *testing.T) {
	run := wandbtest.RunSpec{Entity: "ent", Project: "proj", ID: "exists", Files: []wandbtest.FileSpec{
		{Name: "notes/readme.txt", Content: []byte("from the run\n")},
	}}
	_, c, files := dlServer(t, run)
	dest := t.TempDir()
	local := filepath.Join(dest, "notes", "readme.txt")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte("my own edits\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest}, 120, 30)
	h.do(h.d.Enqueue(files))
	h.settle(10 * time.Second)
	j, _ := h.d.Job("notes/readme.txt")
	if j.State != model.Failed || model.ShortReason(j.Err) != "exists, differs" {
		t.Fatalf("job %v %q", j.State, j.Reason)
	}
	if b, _ := os.ReadFile(local); string(b) != "my own edits\n" {
		t.Fatalf("local file changed to %q", b)
	}

	// With Overwrite, the run's file replaces it.
	h2 := newDLHarness(t, DownloadsOptions{Downloader: c, Dest: dest, Existing: wandb.Overwrite}, 120, 30)
	h2.do(h2.d.Enqueue(files))
	h2.settle(10 * time.Second)
	if st := h2.d.State("notes/readme.txt"); st != "done" {
		t.Fatalf("overwrite: %q", st)
	}
	checkOnDisk(t, dest, run.Files[0])
}
