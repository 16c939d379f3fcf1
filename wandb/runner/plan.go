package runner

import (
	"fmt"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

// Limits above which a batch asks for confirmation first.
const (
	ConfirmFiles = 100
	ConfirmBytes = 1 << 30 // 1 GiB
)

// BatchPlan is a batch of files about to be queued, with what the disk at
// the destination can take.
type BatchPlan struct {
	Files []wandb.File
	// Known is the sum of the known sizes, saturated at MaxInt64; Unknown
	// counts the files whose size is unknown or implausible (negative or
	// above MaxFileSize).
	Known   int64
	Unknown int
	// Free is the free space at the destination in bytes, or -1 when it
	// could not be told.
	Free int64
	// Pending is the known bytes that already queued or running jobs will
	// still write there.
	Pending int64
}

// PlanBatch sums the files' sizes; free is the free space at the
// destination (-1 unknown) and pending what queued jobs will still take.
func PlanBatch(files []wandb.File, free, pending int64) BatchPlan {
	p := BatchPlan{Files: files, Free: free, Pending: max(pending, 0)}
	for _, f := range files {
		if n := sizeOf(f); n >= 0 {
			p.Known = satAdd(p.Known, n)
		} else {
			p.Unknown++
		}
	}
	return p
}

// NeedsConfirm reports whether downloading files is a batch to confirm
// first: see BatchPlan.NeedsConfirm.
func NeedsConfirm(files []wandb.File) bool {
	return PlanBatch(files, -1, 0).NeedsConfirm()
}

// NeedsConfirm reports whether the batch asks first: more than
// ConfirmFiles files, more than ConfirmBytes of known size, or any file
// whose size is unknown or implausible (it could be anything).
func (p BatchPlan) NeedsConfirm() bool {
	return len(p.Files) > ConfirmFiles || p.Known > ConfirmBytes || p.Unknown > 0
}

// Fits reports whether the known sizes fit in the free space, counting what
// queued jobs still take. An unknown free space is assumed to fit: the
// engine still fails cleanly on a full disk.
func (p BatchPlan) Fits() bool {
	return p.Free < 0 || p.Need() <= p.Free
}

// Need returns the known bytes the batch and the queued jobs take
// together, saturated at MaxInt64.
func (p BatchPlan) Need() int64 { return satAdd(p.Known, p.Pending) }

// Describe words the batch: "1,234 files, 5.6 GiB (120 GiB free)".
func (p BatchPlan) Describe() string {
	text := termtext.Count(len(p.Files), "file") + ", " + termtext.Size(p.Known, p.Unknown)
	if p.Free >= 0 {
		text += " (" + termtext.Bytes(p.Free) + " free"
		if p.Pending > 0 {
			text += ", " + termtext.Bytes(p.Pending) + " still queued"
		}
		text += ")"
	}
	return text
}

// Refusal explains why a batch that does not fit is refused.
func (p BatchPlan) Refusal() string {
	return fmt.Sprintf("not enough space: %s needed, %s free", termtext.Bytes(p.Need()), termtext.Bytes(p.Free))
}

// Plan returns the plan of downloading files to the runner's folder now:
// it is PlanIn(r.Dest(), files, free).
func (r *Runner) Plan(files []wandb.File, free int64) BatchPlan {
	return r.PlanIn(r.dest, files, free)
}

// PlanIn returns the plan of downloading files to folder dest now: those
// of them without an active job there (the ones AddTo would queue), with
// free (the free space at dest, -1 unknown; see wandb.FreeSpace) and the
// known bytes the active jobs still have to fetch. Those are the bytes of
// every active job, whatever its folder: the runner cannot tell which
// folders share a disk, and the folders of a session (a run's, its
// artifacts' under it) usually do, so it counts too much rather than too
// little.
func (r *Runner) PlanIn(dest string, files []wandb.File, free int64) BatchPlan {
	r.mu.Lock()
	var fresh []wandb.File
	for _, f := range files {
		if j := r.q.lookup(dest, f.Name); j != nil && j.State.Active() {
			continue
		}
		fresh = append(fresh, f)
	}
	pending := r.q.bytes.remaining.value()
	r.mu.Unlock()
	return PlanBatch(fresh, free, pending)
}
