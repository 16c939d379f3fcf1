package runner

import (
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestBatchPlan(t *testing.T) {
	if NeedsConfirm(jobFiles(100, 1)) {
		t.Fatal("100 files need confirmation")
	}
	if !NeedsConfirm(jobFiles(101, 1)) {
		t.Fatal("101 files need none")
	}
	if NeedsConfirm(jobFiles(2, ConfirmBytes/2)) {
		t.Fatal("exactly 1 GiB needs confirmation")
	}
	if !NeedsConfirm(jobFiles(2, ConfirmBytes/2+1)) {
		t.Fatal("over 1 GiB needs none")
	}
	files := append(jobFiles(3, 1_000_000_000), wandb.File{Name: "u", SizeBytes: -1})
	p := PlanBatch(files, 3_500_000_000, 0)
	if !p.Fits() || p.Known != 3_000_000_000 || p.Unknown != 1 {
		t.Fatalf("plan %+v", p)
	}
	if got := p.Describe(); got != "4 files, 2.8 GiB + 1 of unknown size (3.3 GiB free)" {
		t.Fatalf("Describe = %q", got)
	}
	p = PlanBatch(files, 3_500_000_000, 600_000_000)
	if p.Fits() {
		t.Fatal("a batch that fits only without the queued jobs fits")
	}
	if got := p.Refusal(); got != "not enough space: 3.4 GiB needed, 3.3 GiB free" {
		t.Fatalf("Refusal = %q", got)
	}
	if !PlanBatch(files, -1, 0).Fits() {
		t.Fatal("unknown free space refused")
	}
}

// Sizes a server should never send: their sum must not wrap round to a
// small or negative number that needs no confirmation and fits anywhere.
// (model.PlanBatch summed 2 × 2^62 to a negative Known: no question asked,
// and the batch "fit" in 1 TB.)
func TestBatchPlanAbsurdSizes(t *testing.T) {
	two := []wandb.File{{Name: "a", SizeBytes: 1 << 62}, {Name: "b", SizeBytes: 1 << 62}}
	p := PlanBatch(two, 1<<40, 0)
	if !p.NeedsConfirm() || p.Known < 0 || p.Unknown != 2 {
		t.Fatalf("2 files of 2^62 bytes: %+v, needs confirmation %v", p, p.NeedsConfirm())
	}
	if !NeedsConfirm(two) || !NeedsConfirm([]wandb.File{{Name: "neg", SizeBytes: -5}}) || !NeedsConfirm([]wandb.File{{Name: "u", SizeBytes: -1}}) {
		t.Fatal("a file of unknown or negative size must ask first")
	}
	// Plausible sizes whose sum leaves int64 saturate: never fit.
	many := jobFiles(10_000, MaxFileSize)
	p = PlanBatch(many, 1<<62, 0)
	if p.Known != 1<<63-1 || p.Fits() || !p.NeedsConfirm() {
		t.Fatalf("10,000 × 1 PiB: known %d, fits %v", p.Known, p.Fits())
	}
	if p := PlanBatch(jobFiles(1, 10), 1<<40, 1<<63-1); p.Fits() || p.Need() != 1<<63-1 {
		t.Fatalf("a saturated pending sum: need %d, fits %v", p.Need(), p.Fits())
	}
}

// Plan leaves out the files with an active job and counts what the active
// jobs still have to fetch.
func TestRunnerPlan(t *testing.T) {
	e := newEnv(t, manyRun("plan", 4), testRetry)
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{Latency: 10 * time.Second})
	r := New(e.c, Options{Dest: t.TempDir(), Parallel: 1})
	defer r.Close()
	r.Add(e.files[:2]...) // one runs, one waits, both held by the latency
	pending := e.files[0].SizeBytes + e.files[1].SizeBytes
	p := r.Plan(append(e.files[1:], wandb.File{Name: "new", SizeBytes: 7}), 1<<40)
	if len(p.Files) != 3 || p.Files[0].Name != e.files[2].Name || p.Pending != pending || p.Known != e.files[2].SizeBytes+e.files[3].SizeBytes+7 {
		t.Fatalf("plan %+v; want the last two files and new, pending %d", p, pending)
	}
}
