package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
)

// The headless commands' exit status: 0 all done (or up to date), 1 some
// files failed, 2 a usage or start-up error, 130 interrupted.
const (
	verbFailed      = 1
	verbStartup     = 2
	verbInterrupted = 130
)

// verbConfig is the parsed command line of `wbfiles ls` and `wbfiles get`.
type verbConfig struct {
	Verb     string   // "ls" or "get"
	Run      string   // the RUN argument
	Globs    []string // file globs after RUN; none means every file
	Demo     bool     // --demo
	BaseURL  string   // --base-url
	PerPage  int      // --per-page
	JSON     bool     // ls --json: JSON Lines
	URLs     bool     // ls --urls: the signed directUrl in JSON too
	Dest     string   // get --dest
	Parallel int      // get --parallel
	Override bool     // get --overwrite
	DryRun   bool     // get --dry-run
}

const verbUsage = `Usage:
  wbfiles ls  [flags] RUN [GLOB...]    list the run's files (all, or those matching)
  wbfiles get [flags] RUN [GLOB...]    download them

RUN takes the same forms as in the terminal UI, or names an artifact
version: entity/project/name:alias (alias: latest, v3, best, ...) or an
artifact URL (https://wandb.ai/entity/project/artifacts/type/name/alias).
An artifact's files land under --dest/NAME/vN keeping their paths; its
reference entries (bytes outside W&B: s3://, gs://, ...) are listed, never
downloaded, and counted. A GLOB with * or ? matches
whole paths (* any run of characters, slashes included; ? one character):
'checkpoints/step_03000/*', '*.json'. A GLOB without them is an exact file
name: config.yaml. Quote globs so the shell leaves them alone.

ls prints one name a line (--json: JSON Lines with name, size, md5,
updatedAt, mimetype, url; never the key; the signed directUrl only with
--urls). get downloads with the engine and runner of the UI: a partial file
and a rename, md5 checked, resume, identical files skipped, different ones
kept unless --overwrite; one line per finished or failed file and a totals
line every few seconds on stderr, then the summary. ctrl+c once stops
starting new files and lets the running ones finish; twice cancels them
(their partial files are kept for the next run to resume).

Exit status: 0 done (or up to date), 1 no file matched, or some failed or
were cancelled, 2 usage or start-up error, 130 interrupted.

Flags:
`

// parseVerb reads the arguments of verb (without the verb itself).
func parseVerb(verb string, args []string, help io.Writer) (verbConfig, error) {
	c := verbConfig{Verb: verb}
	var showHelp bool
	fs := flag.NewFlagSet("wbfiles "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&c.Demo, "demo", false, "use a local demo server (no key, no network)")
	fs.StringVar(&c.BaseURL, "base-url", "", "W&B API `URL` (overrides WANDB_BASE_URL)")
	fs.IntVar(&c.PerPage, "per-page", wandb.MaxPageSize, "files per page request (1-1000)")
	if verb == "ls" {
		fs.BoolVar(&c.JSON, "json", false, "JSON Lines: name, size, md5, updatedAt, mimetype, url")
		fs.BoolVar(&c.URLs, "urls", false, "with --json: the signed directUrl too")
	} else {
		fs.StringVar(&c.Dest, "dest", ".", "download `folder`, created with its parents when missing")
		fs.IntVar(&c.Parallel, "parallel", 4, fmt.Sprintf("concurrent downloads (1-%d)", maxParallel))
		fs.BoolVar(&c.Override, "overwrite", false, "replace local files whose content differs")
		fs.BoolVar(&c.DryRun, "dry-run", false, "say what would be downloaded, skipped and kept; write nothing")
	}
	fs.BoolVar(&showHelp, "help", false, "show this help")
	fs.BoolVar(&showHelp, "h", false, "show this help")
	rest, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) || showHelp {
		fmt.Fprint(help, verbUsage)
		printFlags(fs, help)
		return c, errHelp
	}
	if err != nil {
		return c, err
	}
	switch {
	case len(rest) == 0 && c.Demo:
	case len(rest) == 0:
		return c, fmt.Errorf("missing RUN: wbfiles %s RUN [GLOB...]", verb)
	case c.Demo && !looksLikeRun(rest[0]) && !looksLikeArtifact(rest[0]):
		// --demo's RUN is optional: the demo's main run, and these globs.
		c.Globs = rest
	default:
		c.Run, c.Globs = rest[0], rest[1:]
	}
	switch {
	case c.PerPage < 1 || c.PerPage > wandb.MaxPageSize:
		return c, fmt.Errorf("--per-page must be between 1 and %d", wandb.MaxPageSize)
	case verb == "get" && (c.Parallel < 1 || c.Parallel > maxParallel):
		return c, fmt.Errorf("--parallel must be between 1 and %d", maxParallel)
	case c.Demo && c.BaseURL != "":
		return c, errors.New("--demo runs its own server: leave out --base-url")
	case c.URLs && !c.JSON:
		return c, errors.New("--urls goes with --json")
	}
	return c, nil
}

// runVerb runs `wbfiles ls` or `wbfiles get` and returns the exit status.
func runVerb(verb string, args []string, env Env) int {
	c, err := parseVerb(verb, args, env.Stdout)
	if errors.Is(err, errHelp) {
		return exitOK
	}
	if err != nil {
		return fail(env, verbStartup, err)
	}
	if looksLikeArtifact(c.Run) {
		return runArtifactVerb(c, env) // artifact.go
	}
	var st started
	st.close = func() {}
	wcfg, ref, err := clientConfig(Config{Run: c.Run, Demo: c.Demo, BaseURL: c.BaseURL}, env, &st)
	if err != nil {
		st.close()
		return fail(env, verbStartup, err)
	}
	defer st.close()
	queries := globQueries(c.Globs, c.PerPage)
	client, info, _, err := openRun(wcfg, ref, queries[0])
	if err != nil {
		return fail(env, verbStartup, err)
	}
	files := func(ctx context.Context) iter.Seq2[wandb.FilesPage, error] {
		return matchingPages(ctx, client, info.Ref, queries)
	}
	if verb == "ls" {
		return runLs(c, env, files)
	}
	return runGet(c, env, client, files)
}

// globQueries turns GLOBs into server queries: one per glob with * or ?
// (a LIKE pattern), one for all the exact names, or one for every file.
func globQueries(globs []string, perPage int) []wandb.FilesQuery {
	var qs []wandb.FilesQuery
	var names []string
	for _, g := range globs {
		if strings.ContainsAny(g, "*?") {
			qs = append(qs, wandb.FilesQuery{First: perPage, Pattern: wandb.GlobToLike(g)})
		} else {
			names = append(names, g)
		}
	}
	for _, q := range wandb.NameQueries(names) {
		q.First = perPage
		qs = append(qs, q)
	}
	if len(qs) == 0 {
		qs = append(qs, wandb.FilesQuery{First: perPage})
	}
	return qs
}

// matchingPages walks every page of each query with the client's page
// walker, yielding each file once even when several globs match it.
func matchingPages(ctx context.Context, c *wandb.Client, run wandb.RunRef, queries []wandb.FilesQuery) iter.Seq2[wandb.FilesPage, error] {
	return func(yield func(wandb.FilesPage, error) bool) {
		seen := map[string]struct{}{}
		for _, q := range queries {
			for page, err := range c.FilePages(ctx, run, q) {
				if err == nil && len(queries) > 1 {
					page.Files = wandb.DropSeen(page.Files, seen)
				}
				if !yield(page, err) || err != nil {
					return
				}
			}
		}
	}
}

// looksLikeRun reports whether arg is a run reference rather than a glob
// or a file name (with --demo, whose RUN may be left out).
func looksLikeRun(arg string) bool {
	if strings.ContainsAny(arg, "*?") {
		return false
	}
	_, err := wandb.ParseRunRef(arg, "")
	return err == nil
}
