package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
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

// runLs prints the matching files page by page as they arrive (all of
// them first with --sort): one name a line when piped, size, age (and
// with --long md5 and mimetype) and name on a terminal, JSON Lines with
// --json.
func runLs(c verbConfig, env Env, pages func(context.Context) iter.Seq2[wandb.FilesPage, error]) int {
	table := !c.JSON && env.IsTerminal(env.Stdout.Fd())
	now := time.Now()
	seq := pages(context.Background())
	if c.Sort != "" {
		seq = sortedPage(seq, c.Sort)
	}
	return printRows(env, seq, func(p wandb.FilesPage) []wandb.File { return p.Files }, "", func(out io.Writer, f wandb.File) {
		switch {
		case c.JSON:
			writeJSON(out, entryOf(f, c.URLs))
		case table && c.Long:
			fmt.Fprintf(out, "%10s  %-15s %-24s %-24s %s\n", sizeOf(f), termtext.Ago(f.UpdatedAt, now),
				termtext.Safe(cmp.Or(f.MD5, "?")), termtext.Fit(termtext.Safe(cmp.Or(f.Mimetype, "?")), 24), termtext.Safe(f.Name))
		case table:
			fmt.Fprintf(out, "%10s  %-15s %s\n", sizeOf(f), termtext.Ago(f.UpdatedAt, now), termtext.Safe(f.Name))
		default:
			fmt.Fprintln(out, termtext.Safe(f.Name))
		}
	})
}

// printRows prints the rows of each page as it arrives, after head (a
// table's header, when not ""), flushing page by page so that a pipe sees
// the first rows at once; the warnings that came with a page go to
// stderr. A page that fails ends the listing with exit status 1.
func printRows[P interface{ Info() wandb.PageInfo }, R any](env Env, pages iter.Seq2[P, error], rows func(P) []R, head string, print func(io.Writer, R)) int {
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	if head != "" {
		fmt.Fprintln(out, head)
	}
	for page, err := range pages {
		if err != nil {
			out.Flush()
			return fail(env, verbFailed, err)
		}
		for _, r := range rows(page) {
			print(out, r)
		}
		out.Flush()
		for _, w := range page.Info().Warnings {
			fmt.Fprintln(env.Stderr, "wbfiles: warning: "+termtext.Line(w))
		}
	}
	return exitOK
}

// writeJSON writes v as one JSON line.
func writeJSON(w io.Writer, v any) {
	b, _ := json.Marshal(v) // plain structs always encode
	w.Write(append(b, '\n'))
}

// sortedPage reads every page and yields them as one page of files sorted
// by name (A-Z), size (largest first, unknown last) or updated (newest
// first, unknown last), ties by name; or the first error.
func sortedPage(pages iter.Seq2[wandb.FilesPage, error], by string) iter.Seq2[wandb.FilesPage, error] {
	return func(yield func(wandb.FilesPage, error) bool) {
		var all wandb.FilesPage
		for page, err := range pages {
			if err != nil {
				yield(wandb.FilesPage{}, err)
				return
			}
			all.Files = append(all.Files, page.Files...)
			all.Warnings = append(all.Warnings, page.Warnings...)
		}
		slices.SortFunc(all.Files, func(a, b wandb.File) int {
			c := 0
			switch by {
			case "size":
				c = cmp.Compare(b.SizeBytes, a.SizeBytes)
			case "updated":
				c = b.UpdatedAt.Compare(a.UpdatedAt)
			}
			return cmp.Or(c, strings.Compare(a.Name, b.Name))
		})
		yield(all, nil)
	}
}

// entryOf is f as ls --json prints it.
func entryOf(f wandb.File, urls bool) lsEntry {
	e := lsEntry{Name: f.Name, MD5: f.MD5, Mimetype: f.Mimetype, URL: f.URL}
	if f.SizeKnown() {
		size := f.SizeBytes
		e.Size = &size
	}
	e.UpdatedAt = jsonTime(f.UpdatedAt)
	if urls {
		e.DirectURL = f.DirectURL
	}
	return e
}

// jsonTime is t in RFC 3339 UTC, "" when unknown.
func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// sizeOf is f's size in words, "?" when unknown.
func sizeOf(f wandb.File) string {
	if !f.SizeKnown() {
		return "?"
	}
	return termtext.Bytes(f.SizeBytes)
}
