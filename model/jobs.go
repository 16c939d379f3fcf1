package model

import (
	"context"
	"errors"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
)

// JobID names one download job of a Jobs queue. It is the job's index in
// the queue's display order and stays the same when the job is restarted.
type JobID int

// JobState is where a download job stands.
type JobState int

// The states of a job. Queued and Running are active; the others are
// finished, and a finished job can be queued again.
const (
	Queued JobState = iota
	Running
	Done     // fetched and in place
	UpToDate // an identical file was already there
	Failed   // see Job.Reason
	Cancelled
	numJobStates
)

// String returns the state as the downloads view words it.
func (s JobState) String() string {
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

// Active reports whether the job is queued or running.
func (s JobState) Active() bool { return s == Queued || s == Running }

// Job is one file's download. Every start of the job bumps Attempt, and the
// events of a run carry the attempt they belong to, so a late event of a
// cancelled run can never touch the run that replaced it.
type Job struct {
	ID      JobID
	File    wandb.File
	State   JobState
	Attempt int
	// Done is the bytes on disk so far (resumed bytes included); Total is
	// the file's size, or -1 while unknown.
	Done, Total int64
	// Path is where the file went (set when the engine reports it).
	Path    string
	Resumed bool
	// Fetched reports a completed download of this file in this session,
	// with its size; it survives a re-queue, so a file downloaded and then
	// found up to date still counts as downloaded in the summary.
	Fetched      bool
	FetchedBytes int64
	// Reason says why the job failed, in words fit for the UI; Err is the
	// error it came from.
	Reason string
	Err    error

	StartedAt, FinishedAt time.Time

	// speed exists only while the job runs, so the thousands of finished
	// or queued jobs of a large batch carry no samples.
	speed *speedMeter
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

// Speed returns the job's recent speed in bytes per second: a moving
// average over the last SpeedWindow of progress reports, 0 when the job is
// not running or not enough is known yet.
func (j Job) Speed() float64 {
	if j.State != Running || j.speed == nil {
		return 0
	}
	return j.speed.rate()
}

// ETA returns the time the job still needs at its recent speed, and false
// when that cannot be told (size or speed unknown).
func (j Job) ETA() (time.Duration, bool) {
	return eta(j.Total-j.Done, j.Total >= 0, j.Speed())
}

func eta(left int64, known bool, speed float64) (time.Duration, bool) {
	switch {
	case !known:
		return 0, false
	case left <= 0:
		return 0, true
	case speed <= 0:
		return 0, false
	}
	return time.Duration(float64(left) / speed * float64(time.Second)).Round(time.Second), true
}

// SpeedWindow is how far back the moving average of a job's speed looks.
const SpeedWindow = 3 * time.Second

// speedSamples bounds the samples kept per job: enough for SpeedWindow at
// the engine's default of five reports a second.
const speedSamples = 16

// speedMeter is a ring of (time, bytes) samples.
type speedMeter struct {
	at    [speedSamples]time.Time
	bytes [speedSamples]int64
	n     int // samples held
	last  int // index of the newest sample
}

func (m *speedMeter) reset() { *m = speedMeter{} }

// add records that done bytes were on disk at time at. A count that goes
// back (a restart from zero) starts the meter over; a time that goes back
// (events of parallel downloads arrive slightly out of order) counts as
// the newest time.
func (m *speedMeter) add(at time.Time, done int64) {
	if m.n > 0 && done < m.bytes[m.last] {
		m.reset()
	}
	if m.n > 0 && at.Before(m.at[m.last]) {
		at = m.at[m.last]
	}
	if m.n > 0 {
		m.last = (m.last + 1) % speedSamples
	}
	m.at[m.last], m.bytes[m.last] = at, done
	m.n = min(m.n+1, speedSamples)
}

// rate returns bytes per second between the oldest sample within
// SpeedWindow of the newest one and the newest one.
func (m *speedMeter) rate() float64 {
	if m.n < 2 {
		return 0
	}
	newest := m.at[m.last]
	oldest := m.last
	for k := 1; k < m.n; k++ {
		i := (m.last - k + speedSamples) % speedSamples
		if newest.Sub(m.at[i]) > SpeedWindow {
			break
		}
		oldest = i
	}
	dt := newest.Sub(m.at[oldest]).Seconds()
	if oldest == m.last || dt <= 0 {
		return 0
	}
	return float64(m.bytes[m.last]-m.bytes[oldest]) / dt
}

// FailureReason words a download error for the UI. Cancellation is not a
// failure and yields "cancelled".
func FailureReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

// ShortReason is FailureReason cut to a few words, for a table column.
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
