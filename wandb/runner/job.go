package runner

import (
	"context"
	"errors"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// State is where a download job stands.
type State int

// The states of a job. Queued and Running are active; the others are
// finished, and a finished job can be queued again.
const (
	Queued State = iota
	Running
	Done     // fetched and in place
	UpToDate // an identical file was already there
	Failed   // see Job.Err
	Cancelled
	numStates
)

// String returns the state as the downloads view words it.
func (s State) String() string {
	switch s {
	case Queued:
		return "queued"
	case Running:
		return "running"
	case Done:
		return "done"
	case UpToDate:
		return "up to date"
	case Failed:
		return "failed"
	case Cancelled:
		return "cancelled"
	}
	return "unknown"
}

// Active reports whether the state is Queued or Running.
func (s State) Active() bool { return s == Queued || s == Running }

// UnknownETA is the ETA of a job or of the Totals when it cannot be told
// (size or speed unknown).
const UnknownETA time.Duration = -1

// Job is a snapshot of one file's download: a plain value that the runner
// never changes once handed out.
type Job struct {
	// Dest is the folder the file goes to, as given to AddTo ("." for
	// ""), and Name the file's name under it: together they name the
	// job (see Runner.LookupIn).
	Dest  string
	Name  string
	Index int        // the job's place in the list (see Runner.Jobs), fixed for its life
	File  wandb.File // the listing the job downloads (the latest one added)
	State State
	// Attempt counts the starts of the job; every start bumps it.
	Attempt int
	// Done is the bytes on disk so far (resumed bytes included); Total is
	// the file's size, or -1 while unknown (a size the server gave that
	// is negative or above MaxFileSize counts as unknown).
	Done, Total int64
	// Speed is the recent speed in bytes per second, a moving average over
	// SpeedWindow; 0 unless the job runs and has reported twice.
	Speed float64
	// ETA is the time the job still needs at Speed, or UnknownETA.
	ETA time.Duration
	// Err says why the job failed (nil unless Failed).
	Err error
	// Path is where the file went (set when the engine reports it);
	// Resumed reports that part of it came from an earlier attempt.
	Path    string
	Resumed bool
	// Progress is the last report of the engine for the current attempt,
	// with whatever fields it carries (zero before the first report).
	Progress wandb.Progress
	// QueuedAt is when the job was last queued, StartedAt when its current
	// attempt started, FinishedAt when it last ended (zero when not yet).
	QueuedAt, StartedAt, FinishedAt time.Time
}

// Fraction returns how much of the file is on disk, from 0 to 1, and false
// when the size is unknown.
func (j Job) Fraction() (float64, bool) {
	switch {
	case j.State == Done || j.State == UpToDate:
		return 1, true
	case j.Total < 0:
		return 0, false
	case j.Total == 0:
		return 0, true
	}
	return min(float64(j.Done)/float64(j.Total), 1), true
}

// Reason words why the job failed, in full ("" unless it failed). It is
// the engine's text: sanitize it before printing it on a terminal.
func (j Job) Reason() string { return failureReason(j.Err) }

// failureReason words a download error for the UI.
func failureReason(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// ShortReason words a download error in a few words, for a table column:
// "md5 mismatch", "exists, differs", "unsafe name", "cancelled",
// "timed out", else "error" ("" for nil).
func ShortReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, wandb.ErrUnsafeName):
		return "unsafe name"
	case errors.Is(err, wandb.ErrChecksum):
		return "md5 mismatch"
	case errors.Is(err, wandb.ErrExists):
		return "exists, differs"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return "error"
}

// job is the runner's own record of a Job: the value it hands out plus
// what only the runner needs.
type job struct {
	Job
	// ticket is bumped on every queuing; a queue entry with an older
	// ticket is stale (the job was cancelled and queued again).
	ticket uint64
	// cancel stops the running attempt (nil unless Running).
	cancel context.CancelFunc
	// speed exists only while the job runs, so the thousands of finished
	// or queued jobs of a large batch carry no samples.
	speed *speedMeter
	// fetched reports a completed download of this file in this session,
	// with its size; it survives a re-queue, so a file downloaded and then
	// found up to date still counts as downloaded in the summary.
	fetched      bool
	fetchedBytes int64
}

// snapshot returns the job as a Job value, speed and ETA worked out.
func (j *job) snapshot() Job {
	v := j.Job
	v.Speed, v.ETA = 0, UnknownETA
	if j.State == Running && j.speed != nil {
		v.Speed = j.speed.rate()
	}
	switch {
	case j.State == Done || j.State == UpToDate:
		v.ETA = 0
	case j.State == Running:
		v.ETA = eta(j.Total-j.Done, j.Total >= 0, v.Speed)
	}
	return v
}

// requeue resets a finished job to Queued with listing f for folder dest.
func (j *job) requeue(dest string, f wandb.File, at time.Time) {
	if dest == "" {
		dest = "."
	}
	j.Dest, j.Name, j.File = dest, f.Name, f
	j.State = Queued
	j.Done, j.Total = 0, sizeOf(f)
	j.Err, j.Path, j.Resumed = nil, "", false
	j.Progress = wandb.Progress{}
	j.QueuedAt, j.StartedAt, j.FinishedAt = at, time.Time{}, time.Time{}
	j.speed = nil
	j.ticket++
}
