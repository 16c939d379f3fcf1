package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// Downloader runs one file's download; *wandb.Client implements it.
type Downloader = runner.Downloader

// batchCheckedMsg carries a batch of files with the free space measured at
// the destination (-1 when it could not be told).
type batchCheckedMsg struct {
	to      target
	files   []wandb.File
	free    int64
	fromSel bool
}

// target is where a batch goes, the selection it may come from and the
// listing its files came from (a run's, an artifact's): the files view it
// was asked for in, which may no longer be the one shown when an answer
// comes back.
type target struct {
	dest string
	sel  *model.Selection
	src  Source
	ref  wandb.RunRef
}

// checkBatch measures the free space at to's folder for a batch of files,
// off the UI goroutine (statfs can hang on a network mount).
func checkBatch(to target, files []wandb.File, fromSel bool) tea.Cmd {
	return func() tea.Msg {
		free, err := wandb.FreeSpace(to.dest)
		if err != nil {
			free = -1
		}
		return batchCheckedMsg{to: to, files: files, free: free, fromSel: fromSel}
	}
}

// filesRefreshedMsg carries the server's current listing of files about to
// be retried; fresh is empty when the listing failed.
type filesRefreshedMsg struct {
	to    target
	files []wandb.File
	fresh []wandb.File
}

// refreshFiles lists files again by name before a retry.
func refreshFiles(to target, files []wandb.File) tea.Cmd {
	src, run := to.src, to.ref
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		var fresh []wandb.File
		for _, q := range wandb.NameQueries(names) {
			page, err := src.Files(ctx, run, q)
			if err != nil {
				return filesRefreshedMsg{to: to, files: files}
			}
			fresh = append(fresh, page.Files...)
		}
		return filesRefreshedMsg{to: to, files: files, fresh: fresh}
	}
}

// mergeListing returns files with each replaced by its fresh listing when
// the server still has it.
func mergeListing(files, fresh []wandb.File) []wandb.File {
	if len(fresh) == 0 {
		return files
	}
	byName := make(map[string]wandb.File, len(fresh))
	for _, f := range fresh {
		byName[f.Name] = f
	}
	out := make([]wandb.File, len(files))
	for i, f := range files {
		if nf, ok := byName[f.Name]; ok {
			f = nf
		}
		out[i] = f
	}
	return out
}

// matchingFetchedMsg carries every file that matches the server filter,
// for "select all on the server"; what words the filter. gen tells the
// answer of a cancelled listing from the current one's.
type matchingFetchedMsg struct {
	gen   int
	what  string
	files []wandb.File
	err   error
}

// fetchAllMatching lists every file of run that matches q's Pattern or
// Names, all pages in the largest size the API allows, in the background,
// only on the user's explicit request. The client's page walker stops on a
// cursor that does not advance and never yields a name twice.
func fetchAllMatching(ctx context.Context, src Source, run wandb.RunRef, q wandb.FilesQuery, what string, gen int) tea.Cmd {
	q.First, q.After = wandb.MaxPageSize, ""
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		var files []wandb.File
		for page, err := range src.FilePages(ctx, run, q) {
			if err != nil {
				return matchingFetchedMsg{gen: gen, what: what, files: files, err: err}
			}
			files = append(files, page.Files...)
		}
		return matchingFetchedMsg{gen: gen, what: what, files: files}
	}
}
