package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

// lsEntry is one file of `wbfiles ls --json`: never the key, and the signed
// directUrl only when asked for.
type lsEntry struct {
	Name      string `json:"name"`
	Size      *int64 `json:"size"` // null when the server gave none
	MD5       string `json:"md5,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
	Mimetype  string `json:"mimetype,omitempty"`
	URL       string `json:"url,omitempty"`
	DirectURL string `json:"directUrl,omitempty"`
}

// runLs prints the matching files page by page as they arrive: one name a
// line when piped, size, age and name on a terminal, JSON Lines with
// --json.
func runLs(c verbConfig, env Env, pages func(context.Context) iter.Seq2[wandb.FilesPage, error]) int {
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	table := !c.JSON && env.IsTerminal(env.Stdout.Fd())
	now := time.Now()
	enc := json.NewEncoder(out)
	for page, err := range pages(context.Background()) {
		if err != nil {
			out.Flush()
			return fail(env, verbFailed, err)
		}
		for _, f := range page.Files {
			switch {
			case c.JSON:
				enc.Encode(entryOf(f, c.URLs))
			case table:
				fmt.Fprintf(out, "%10s  %-15s %s\n", sizeOf(f), termtext.Ago(f.UpdatedAt, now), termtext.Safe(f.Name))
			default:
				fmt.Fprintln(out, termtext.Safe(f.Name))
			}
		}
		out.Flush() // page by page: a pipe sees the first names at once
	}
	return exitOK
}

// entryOf is f as ls --json prints it.
func entryOf(f wandb.File, urls bool) lsEntry {
	e := lsEntry{Name: f.Name, MD5: f.MD5, Mimetype: f.Mimetype, URL: f.URL}
	if f.SizeKnown() {
		size := f.SizeBytes
		e.Size = &size
	}
	if !f.UpdatedAt.IsZero() {
		e.UpdatedAt = f.UpdatedAt.UTC().Format(time.RFC3339)
	}
	if urls {
		e.DirectURL = f.DirectURL
	}
	return e
}

// sizeOf is f's size in words, "?" when unknown.
func sizeOf(f wandb.File) string {
	if !f.SizeKnown() {
		return "?"
	}
	return termtext.Bytes(f.SizeBytes)
}
