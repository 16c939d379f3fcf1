package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
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
	Run      string   // the target: RUN, or for ls ENTITY/PROJECT or ENTITY
	Globs    []string // file globs after RUN; none means every file
	Demo     bool     // --demo
	BaseURL  string   // --base-url
	PerPage  int      // --per-page; 0 until a target's default applies (perPage)
	JSON     bool     // ls --json: JSON Lines
	URLs     bool     // ls --urls: the signed directUrl in JSON too
	Long     bool     // ls --long: more columns in the terminal table
	Sort     string   // ls --sort: files name|size|updated, runs created|heartbeat|name
	Filter   string   // ls --filter: the runs search (RunSearch syntax)
	Dest     string   // get --dest
	Parallel int      // get --parallel
	Override bool     // get --overwrite
	DryRun   bool     // get --dry-run
	// ArtifactDest is get --artifact-dest: where an artifact's files
	// land instead of --dest/NAME/vN.
	ArtifactDest string
}

const verbUsage = `Usage:
  wbfiles ls  [flags] RUN [GLOB...]    list the run's files (all, or those matching)
  wbfiles ls  [flags] ENTITY/PROJECT   list the project's runs
  wbfiles ls  [flags] ENTITY           list the entity's projects
  wbfiles get [flags] RUN [GLOB...]    download the run's files

RUN takes the same forms as in the terminal UI; ENTITY/PROJECT and ENTITY
may be app URLs too (https://wandb.ai/entity/project). A GLOB with * or ?
matches whole paths (* any run of characters, slashes included; ? one
character): 'checkpoints/step_03000/*', '*.json'. A GLOB without them is an
exact file name: config.yaml. Quote globs so the shell leaves them alone.
An artifact version works too, for ls and get: entity/project/name:alias
(alias: latest, v3, best, ...) or an artifact URL
(https://wandb.ai/entity/project/artifacts/type/name/alias). Its files land
under --dest/NAME/vN keeping their paths; its reference entries (bytes
outside W&B: s3://, gs://, ...) are listed, never downloaded, and counted.

ls prints the rows page by page as they arrive. On a pipe, one a line: a
file's name, a run's entity/project/run_id, a project's entity/project. On
a terminal, a table: files with size, updated and name (--long adds md5 and
mimetype), runs with id, name, state, created, user and tags (--long adds
group, job type and last heartbeat), projects with runs, last activity and
name. --json gives JSON Lines (files: name, size, md5, updatedAt, mimetype,
url; never the key; the signed directUrl only with --urls).

--sort orders files by name (A-Z), size (largest first) or updated (newest
first); it needs every page, so nothing is printed before the last one
came. Runs sort on the server by created (newest first, the default),
heartbeat (latest first) or name (A-Z), and still stream. --filter narrows
runs on the server with the runs picker's search: words match the display
name or run id (any case); state:S, tag:T, user:U and since:N (30m, 24h,
7d, 2w) narrow it further, a token given twice means either:
  wbfiles ls --filter 'vit state:finished tag:baseline since:7d' my-team/vision

get downloads with the engine and runner of the UI: a partial file and a
rename, md5 checked, resume, identical files skipped, different ones kept
unless --overwrite; one line per finished or failed file and a totals line
every few seconds on stderr, then the summary. ctrl+c once stops starting
new files and lets the running ones finish; twice cancels them (their
partial files are kept for the next run to resume).

Exit status: 0 done (or up to date), 1 no file matched (get), or some
failed or were cancelled, or a listing failed midway, 2 usage or start-up
error, 130 interrupted.

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
	fs.IntVar(&c.PerPage, "per-page", 0, fmt.Sprintf("rows per page request, `N` from 1 to 1000 (default %d for files, %d for runs and projects)", wandb.MaxPageSize, listPageSize))
	if verb == "ls" {
		fs.BoolVar(&c.JSON, "json", false, "JSON Lines")
		fs.BoolVar(&c.URLs, "urls", false, "with --json: the signed directUrl of files too")
		fs.BoolVar(&c.Long, "long", false, "more columns on a terminal (files: md5, mimetype; runs: group, job type, heartbeat)")
		fs.StringVar(&c.Sort, "sort", "", "`order` of files: name|size|updated (reads every page first); of runs: created|heartbeat|name")
		fs.StringVar(&c.Filter, "filter", "", "runs: the picker's `search` (text state:S tag:T user:U since:7d)")
	} else {
		fs.StringVar(&c.Dest, "dest", ".", "download `folder`, created with its parents when missing")
		fs.IntVar(&c.Parallel, "parallel", 4, fmt.Sprintf("connections at once (1-%d): files, and idle ones lent to a big file fetched in slices", maxParallel))
		fs.BoolVar(&c.Override, "overwrite", false, "replace local files whose content differs")
		fs.BoolVar(&c.DryRun, "dry-run", false, "say what would be downloaded, skipped and kept; write nothing")
		fs.StringVar(&c.ArtifactDest, "artifact-dest", "", "an artifact's files land in `folder` itself instead of --dest/NAME/vN")
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
	case len(rest) == 0 && verb == "ls":
		return c, errors.New("missing RUN: wbfiles ls RUN [GLOB...], or ENTITY/PROJECT, or ENTITY")
	case len(rest) == 0:
		return c, fmt.Errorf("missing RUN: wbfiles %s RUN [GLOB...]", verb)
	case c.Demo && !looksLikeTarget(rest[0]):
		// --demo's RUN is optional: the demo's main run, and these globs.
		c.Globs = rest
	default:
		c.Run, c.Globs = rest[0], rest[1:]
	}
	switch {
	case c.PerPage < 0 || c.PerPage > wandb.MaxPageSize:
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
	if namesArtifact(c.Run) {
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
	target, err := verbTarget(c.Verb, ref, wcfg.Entity)
	if err == nil {
		err = c.fits(target)
	}
	if err != nil {
		return fail(env, verbStartup, err)
	}
	switch target.Kind {
	case wandb.TargetEntity:
		return runLsProjects(c, env, wcfg, target)
	case wandb.TargetProject:
		return runLsRuns(c, env, wcfg, target)
	}
	queries := globQueries(c.Globs, c.perPage(target))
	client, err := wandb.NewClient(wcfg)
	if err != nil {
		return fail(env, verbStartup, err)
	}
	info, _, err := openRun(client, wcfg, target.Run, queries[0])
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

// looksLikeTarget reports whether arg is a target rather than a glob or a
// file name (with --demo, whose RUN may be left out): a run, a project,
// one of the demo's entities (any other single word may be a file name),
// or an artifact (which gets ParseTarget's error).
func looksLikeTarget(arg string) bool {
	if strings.ContainsAny(arg, "*?") {
		return false
	}
	t, err := wandb.ParseTarget(arg, "")
	switch {
	case errors.Is(err, wandb.ErrArtifactNotSupported):
		return true // for its error, not as a file name
	case err == nil && t.Kind == wandb.TargetEntity:
		return t.Entity == wandbtest.DemoEntity || t.Entity == wandbtest.DemoTeam
	}
	return err == nil
}

// verbTarget reads the target of verb. For ls, two parts name a project
// (ParseTarget); get takes only runs, so it reads ref as the UI does
// first (project/run_id with the default entity included), and only an
// error goes through ParseTarget, whose message says what ref is instead.
func verbTarget(verb, ref, defaultEntity string) (wandb.Target, error) {
	if verb == "get" {
		if run, err := wandb.ParseRunRef(ref, defaultEntity); err == nil {
			return wandb.Target{Kind: wandb.TargetRun, Entity: run.Entity, Project: run.Project, Run: run, Host: run.Host}, nil
		}
	}
	return wandb.ParseTarget(ref, defaultEntity)
}

// listPageSize is the default page size of runs and projects: the SDK
// asks for 50 runs a page; a listing that will read them all asks for a
// few more at a time, far fewer than the 1,000 files a page it asks for,
// as a run is a heavier row for the server.
const listPageSize = 100

// perPage returns --per-page, or the default of the target's rows.
func (c verbConfig) perPage(t wandb.Target) int {
	switch {
	case c.PerPage > 0:
		return c.PerPage
	case t.Kind == wandb.TargetRun:
		return wandb.MaxPageSize
	}
	return listPageSize
}

// fits checks that the flags and arguments go with what the target names.
func (c verbConfig) fits(t wandb.Target) error {
	sorts := map[wandb.TargetKind]string{wandb.TargetRun: "name|size|updated", wandb.TargetProject: "created|heartbeat|name"}
	switch {
	case t.Kind != wandb.TargetRun && c.Verb == "get":
		return fmt.Errorf("get downloads the files of a run: give entity/project/run_id (%s is %s %s; list it with wbfiles ls)", t, article(t.Kind), t.Kind)
	case t.Kind != wandb.TargetRun && len(c.Globs) > 0:
		return fmt.Errorf("GLOBs go with a RUN (%s is %s %s)", t, article(t.Kind), t.Kind)
	case c.Filter != "" && t.Kind != wandb.TargetProject:
		return fmt.Errorf("--filter narrows the runs of a project (ENTITY/PROJECT); for files give GLOBs")
	case c.URLs && t.Kind != wandb.TargetRun:
		return errors.New("--urls goes with the files of a run")
	case c.Long && t.Kind == wandb.TargetEntity:
		return errors.New("--long goes with files and runs")
	case c.Sort != "" && sorts[t.Kind] == "":
		return errors.New("--sort goes with files and runs: projects come by name")
	case c.Sort != "" && !slices.Contains(strings.Split(sorts[t.Kind], "|"), c.Sort):
		return fmt.Errorf("--sort %q: the %ss of %s sort by %s", c.Sort, rowsOf[t.Kind], t, strings.ReplaceAll(sorts[t.Kind], "|", ", "))
	}
	if c.Filter != "" {
		if _, err := wandb.ParseRunSearch(c.Filter); err != nil {
			return fmt.Errorf("--filter: %w", err)
		}
	}
	return nil
}

// rowsOf names what a listing of a target's kind lists.
var rowsOf = map[wandb.TargetKind]string{wandb.TargetEntity: "project", wandb.TargetProject: "run", wandb.TargetRun: "file"}

// article is "an" before "entity", else "a".
func article(k wandb.TargetKind) string {
	if k == wandb.TargetEntity {
		return "an"
	}
	return "a"
}
