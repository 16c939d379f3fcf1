package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// TestProgramSelectAndDownload runs the real program: select two files
// with space, download them with d, see them done in the list and in the
// downloads view, quit, and find the bytes on disk and the summary.
func TestProgramSelectAndDownload(t *testing.T) {
	run := numberedRun("e2e", 12)
	_, c := newServer(t, run)
	info := openRun(t, c, "ent/proj/e2e")
	dest := t.TempDir()
	tm, scr := startProgram(t, Options{Source: c, Downloader: c, Run: info, Dest: dest}, 100, 30)
	scr.waitFor(t, tm, "12 of 12 files loaded")
	press(tm, "down", "space", "space")
	scr.waitFor(t, tm, "2 selected · 30 B")
	press(tm, "d")
	scr.waitFor(t, tm, "downloads 2/2 (tab)")
	scr.waitFor(t, tm, "done")
	press(tm, "tab")
	scr.waitFor(t, tm, "2 of 2 done")
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	for _, f := range run.Files[1:3] {
		if j, _ := final.Runner().Lookup(f.Name); j.State != runner.Done {
			t.Fatalf("%s is %v", f.Name, j.State)
		}
	}
	checkOnDisk(t, dest, run.Files[1])
	checkOnDisk(t, dest, run.Files[2])
	if s := final.Summary(); s != "2 files downloaded (30 B)." {
		t.Fatalf("summary = %q", s)
	}
}
