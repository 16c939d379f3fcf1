package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/sys/unix"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Downloader runs one file's download; *wandb.Client implements it with
// the engine's guarantees (temporary file and rename, md5, resume, retries,
// the key only for the API host, nothing outside dest).
type Downloader interface {
	Download(ctx context.Context, f wandb.File, dest string, opts wandb.DownloadOptions) (wandb.DownloadResult, error)
}

// downloadStartedMsg says that attempt of job id began; events carries
// what the download reports from then on.
type downloadStartedMsg struct {
	id      model.JobID
	attempt int
	at      time.Time
	events  *downloadEvents
}

// downloadProgressedMsg is the newest progress of attempt of job id.
type downloadProgressedMsg struct {
	id          model.JobID
	attempt     int
	done, total int64
	at          time.Time
	events      *downloadEvents
}

// downloadFinishedMsg is the outcome of attempt of job id.
type downloadFinishedMsg struct {
	id      model.JobID
	attempt int
	result  wandb.DownloadResult
	err     error
	at      time.Time
}

// downloadBatchCheckedMsg carries a batch the user asked for with the free
// space at the destination (-1 when it could not be told).
type downloadBatchCheckedMsg struct {
	files   []wandb.File
	free    int64
	fromSel bool // the files are the selection, to clear once queued
}

// downloadEvents connects one running download to the UI. The engine's
// goroutine never blocks on it: progress keeps only the newest report (a
// slow UI skips reports instead of stalling the transfer), and done has
// room for the single outcome.
type downloadEvents struct {
	progress chan wandb.Progress
	done     chan downloadFinishedMsg
}

func newDownloadEvents() *downloadEvents {
	return &downloadEvents{
		progress: make(chan wandb.Progress, 1),
		done:     make(chan downloadFinishedMsg, 1),
	}
}

// offer hands p to the UI, replacing a report it has not taken yet. Only
// the download's own goroutine sends, so the loop ends at once.
func (ev *downloadEvents) offer(p wandb.Progress) {
	for {
		select {
		case ev.progress <- p:
			return
		default:
		}
		select {
		case <-ev.progress:
		default:
		}
	}
}

// startDownload runs attempt of job id (file f into dest) in the background
// under ctx, which the Downloads model cancels to stop it. The command
// returns at once with a downloadStartedMsg; waitDownload then delivers the
// download's progress and outcome one message at a time. Its inputs are
// copies: it never touches the model.
func startDownload(ctx context.Context, dl Downloader, f wandb.File, dest string, opts wandb.DownloadOptions, id model.JobID, attempt int) tea.Cmd {
	return func() tea.Msg {
		ev := newDownloadEvents()
		opts.Progress = ev.offer
		go func() {
			msg := downloadFinishedMsg{id: id, attempt: attempt}
			defer func() {
				// A panic here would end the process with the terminal
				// still in raw mode: it fails this job instead.
				if r := recover(); r != nil {
					msg.result, msg.err = wandb.DownloadResult{}, fmt.Errorf("internal error: %v", r)
				}
				msg.at = time.Now()
				ev.done <- msg
			}()
			msg.result, msg.err = dl.Download(ctx, f, dest, opts)
		}()
		return downloadStartedMsg{id: id, attempt: attempt, at: time.Now(), events: ev}
	}
}

// waitDownload blocks until the download behind ev reports, and returns
// that one message. The model issues it again after every progress message
// (the channel pattern), so each running download has exactly one waiter
// until it finishes.
func waitDownload(ev *downloadEvents, id model.JobID, attempt int) tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-ev.done:
			return msg
		case p := <-ev.progress:
			return downloadProgressedMsg{id: id, attempt: attempt, done: p.Done, total: p.Total, at: time.Now(), events: ev}
		}
	}
}

// checkBatch measures the free space at dest for a batch of files, off the
// UI goroutine (statfs can hang on a network mount).
func checkBatch(dest string, files []wandb.File, fromSel bool) tea.Cmd {
	return func() tea.Msg {
		free, err := freeSpace(dest)
		if err != nil {
			free = -1
		}
		return downloadBatchCheckedMsg{files: files, free: free, fromSel: fromSel}
	}
}

// freeSpace returns the bytes an unprivileged user may still write on the
// file system of dest, or of its nearest existing parent when dest does
// not exist yet (the engine creates it).
func freeSpace(dest string) (int64, error) {
	dir, err := filepath.Abs(dest)
	if err != nil {
		return 0, err
	}
	for {
		var st unix.Statfs_t
		err := unix.Statfs(dir, &st)
		if err == nil {
			return int64(st.Bavail) * int64(st.Bsize), nil
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, os.ErrNotExist) || parent == dir {
			return 0, err
		}
		dir = parent
	}
}
