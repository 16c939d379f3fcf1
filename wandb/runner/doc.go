// Package runner runs the downloads of a batch of W&B run files, with no
// screen: the TUI drives it today, and a headless command (the planned
// `wbfiles get`) can drive the same Runner as it is (see the example).
//
// A Runner holds the download queue, one Job per place a file lands (its
// folder and name: AddTo takes the folder, Add uses Options.Dest; an
// artifact's config.yaml under DEST/NAME/vN and a run's under DEST are two
// jobs), in the order the files were first added, and starts at most
// Options.Parallel downloads at once, oldest first, each on its own
// goroutine through a
// Downloader (a *wandb.Client, which keeps the engine's guarantees). A
// large file that the engine fetches in slices borrows the connections
// of the Parallel budget that no download uses while no job waits, split
// evenly between such files, and gives them back as soon as a job is
// queued (conns.go), so Parallel bounds the connections, not only the
// downloads. It
// holds, for every job, its state, bytes, speed (a moving average over
// SpeedWindow), ETA and last wandb.Progress, and running Totals over all
// jobs, kept up to date on every change so reading them costs O(1).
//
// Commands (AddTo, CancelIn, CancelAll, RetryIn, RetryFailed, and Add,
// Cancel and Retry for Options.Dest) may come from any goroutine and
// never wait for a download; Wait blocks until nothing is
// queued or running, Close cancels everything and waits for the
// downloads' goroutines to return. A panic in a download fails its job,
// not the program.
//
// Readers take snapshots: Version and Changed say when something changed,
// Totals, Len, Jobs (a window of the queue) and LookupIn (Lookup for
// Options.Dest) copy what a frame needs, and Summary says what the
// downloads came to. PlanBatch and Runner.PlanIn (Plan) decide whether a
// batch must be confirmed first or refused for lack of space; a size the
// server gives that is negative or above MaxFileSize counts as unknown,
// and sums saturate instead of wrapping.
//
// The package imports nothing from Bubble Tea and is tested with the real
// client against the in-repo server (wandbtest) over HTTP.
package runner
