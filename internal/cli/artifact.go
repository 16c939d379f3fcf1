package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// `wbfiles ls` and `wbfiles get` for an artifact version: the target is
// entity/project/name:alias or an artifact URL instead of a run. Files
// land under --dest/NAME/vN keeping the artifact's paths; reference
// entries (bytes outside W&B) are listed, never downloaded, and counted.

// namesArtifact reports whether arg names an artifact version,
// entity/project/name:alias or an artifact URL, or is meant to (ParseTarget
// says so: ParseArtifactRef's error then says what is wrong with it).
// project/name:alias is left to the run's entity/project:run_id, its older
// meaning.
func namesArtifact(arg string) bool {
	if _, err := wandb.ParseArtifactRef(arg, ""); err == nil {
		return true
	}
	_, err := wandb.ParseTarget(arg, "")
	return errors.Is(err, wandb.ErrArtifactNotSupported)
}

// runArtifactVerb runs ls or get on the artifact c.Run names.
func runArtifactVerb(c verbConfig, env Env) int {
	switch {
	case c.Filter != "":
		return fail(env, verbStartup, errors.New("--filter narrows the runs of a project; for an artifact's files give GLOBs"))
	case c.Sort != "" || c.Long:
		return fail(env, verbStartup, errors.New("--sort and --long go with runs and a run's files: an artifact's files come by path"))
	}
	var st started
	st.close = func() {}
	wcfg, ref, err := clientConfig(Config{Run: c.Run, Demo: c.Demo, BaseURL: c.BaseURL}, env, &st)
	defer st.close()
	if err != nil {
		return fail(env, verbStartup, err)
	}
	client, info, err := openArtifact(wcfg, ref)
	if err != nil {
		return fail(env, verbStartup, err)
	}
	files := func(ctx context.Context) iter.Seq2[wandb.FilesPage, error] {
		return artifactPages(ctx, client, info.ID, c.Globs, cmp.Or(c.PerPage, wandb.MaxPageSize))
	}
	if c.Verb == "ls" {
		return runArtifactLs(c, env, info, files)
	}
	return runArtifactGet(c, env, client, info, files)
}

// openArtifact builds the client and finds the version ref names, with
// the start-up's quick retries and bounded wait.
func openArtifact(wcfg wandb.Config, ref string) (*wandb.Client, wandb.ArtifactInfo, error) {
	client, err := wandb.NewClient(wcfg)
	if err != nil {
		return nil, wandb.ArtifactInfo{}, err
	}
	aref, err := client.ParseArtifactRef(ref)
	if err != nil {
		return nil, wandb.ArtifactInfo{}, err
	}
	check := wcfg
	if check.Retry.MaxAttempts == 0 {
		check.Retry = startupRetry
	}
	checker, err := wandb.NewClient(check)
	if err != nil {
		return nil, wandb.ArtifactInfo{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	info, err := checker.Artifact(ctx, aref)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%s did not answer within %s: %w", client.Host(), startupTimeout, err)
	}
	var ge *wandb.GraphQLError
	if errors.As(err, &ge) && ge.Partial {
		err = nil // the version came: its warnings do not stop a listing
	}
	return client, info, err
}

// artifactPages walks the version's files that the globs select: exact
// paths are asked for by name; globs (* and ?, as for a run's files) are
// matched here, since an artifact's files have no pattern on the server.
func artifactPages(ctx context.Context, c *wandb.Client, id string, globs []string, perPage int) iter.Seq2[wandb.FilesPage, error] {
	var needles []model.Needle
	var names []string
	for _, g := range globs {
		if strings.ContainsAny(g, "*?") {
			needles = append(needles, model.NewNeedle(g))
		} else {
			names = append(names, g)
		}
	}
	return func(yield func(wandb.FilesPage, error) bool) {
		if len(needles) == 0 && len(names) > 0 {
			for start := 0; start < len(names); start += wandb.MaxPageSize {
				chunk := names[start:min(start+wandb.MaxPageSize, len(names))]
				for page, err := range c.ArtifactFilePages(ctx, id, wandb.ArtifactFilesQuery{First: wandb.MaxPageSize, Names: chunk}) {
					if !yield(page, err) || err != nil {
						return
					}
				}
			}
			return
		}
		for page, err := range c.ArtifactFilePages(ctx, id, wandb.ArtifactFilesQuery{First: perPage}) {
			if err == nil && len(globs) > 0 {
				page.Files = slices.DeleteFunc(page.Files, func(f wandb.File) bool {
					if slices.Contains(names, f.Name) {
						return false
					}
					for _, n := range needles {
						if _, _, ok := n.Match(f.Name); ok {
							return false
						}
					}
					return true
				})
			}
			if !yield(page, err) || err != nil {
				return
			}
		}
	}
}

// artifactEntry is one file of `wbfiles ls --json` for an artifact: never
// the key, the signed directUrl only when asked for.
type artifactEntry struct {
	Name            string `json:"name"`
	Size            *int64 `json:"size"`
	MD5             string `json:"md5,omitempty"`
	Digest          string `json:"digest,omitempty"`
	Ref             string `json:"ref,omitempty"`
	BirthArtifactID string `json:"birthArtifactID,omitempty"`
	DirectURL       string `json:"directUrl,omitempty"`
}

// runArtifactLs prints the matching files page by page: one path a line
// on a pipe, size, kind and path on a terminal (after a line on stderr
// naming the version), JSON Lines with --json.
func runArtifactLs(c verbConfig, env Env, info wandb.ArtifactInfo, pages func(context.Context) iter.Seq2[wandb.FilesPage, error]) int {
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	table := !c.JSON && env.IsTerminal(env.Stdout.Fd())
	if table {
		fmt.Fprintln(env.Stderr, artifactHeader(info))
	}
	enc := json.NewEncoder(out)
	for page, err := range pages(context.Background()) {
		if err != nil {
			out.Flush()
			return fail(env, verbFailed, err)
		}
		for _, f := range page.Files {
			switch {
			case c.JSON:
				e := artifactEntry{Name: f.Name, MD5: f.MD5, Digest: f.Digest, Ref: f.Ref, BirthArtifactID: f.BirthArtifactID}
				if f.SizeKnown() {
					size := f.SizeBytes
					e.Size = &size
				}
				if c.URLs {
					e.DirectURL = f.DirectURL
				}
				enc.Encode(e)
			case table:
				kind := ""
				if f.IsReference() {
					kind = "ref"
				}
				fmt.Fprintf(out, "%10s  %-3s  %s\n", sizeOf(f), kind, termtext.Safe(f.Name))
			default:
				fmt.Fprintln(out, termtext.Safe(f.Name))
			}
		}
		out.Flush()
	}
	return exitOK
}

// artifactHeader names a version for a person: name:vN, type, aliases,
// where it lives, its files and size.
func artifactHeader(info wandb.ArtifactInfo) string {
	s := info.Name() + " (" + info.Type
	if len(info.Aliases) > 0 {
		s += "; " + strings.Join(info.Aliases, ", ")
	}
	s += ") in " + info.Entity + "/" + info.Project
	if info.FileCount >= 0 {
		s += ", " + termtext.Count(info.FileCount, "file")
	}
	if info.Size >= 0 {
		s += ", " + termtext.Bytes(info.Size)
	}
	return termtext.Safe(s)
}

// runArtifactGet downloads the matching stored files under
// --dest/NAME/vN with the runs' downloader (runGet); references are
// counted and skipped.
func runArtifactGet(c verbConfig, env Env, client *wandb.Client, info wandb.ArtifactInfo, pages func(context.Context) iter.Seq2[wandb.FilesPage, error]) int {
	dest, err := artifactDest(c.Dest, c.ArtifactDest, env.Home, info)
	if err != nil {
		return fail(env, verbStartup, err)
	}
	var stored []wandb.File
	var refs []string
	for page, err := range pages(context.Background()) {
		if err != nil {
			return fail(env, verbFailed, err)
		}
		for _, f := range page.Files {
			if f.IsReference() {
				refs = append(refs, f.Ref)
				continue
			}
			stored = append(stored, f)
		}
	}
	if len(refs) > 0 {
		fmt.Fprintf(env.Stderr, "wbfiles: skipping %s: their bytes live outside W&B (%s); fetch them with that storage's own tools\n",
			termtext.Count(len(refs), "reference"), termtext.Safe(refSchemes(refs)))
	}
	if len(stored) == 0 {
		what := "no file of " + info.Name() + " matches"
		if len(refs) > 0 {
			what = "every matching entry of " + info.Name() + " is a reference"
		}
		return fail(env, verbFailed, errors.New(what+": nothing to download"))
	}
	fmt.Fprintf(env.Stderr, "wbfiles: %s → %s\n", termtext.Safe(artifactHeader(info)), termtext.Safe(dest))
	c.Dest = dest
	return runGet(c, env, client, func(context.Context) iter.Seq2[wandb.FilesPage, error] {
		return func(yield func(wandb.FilesPage, error) bool) { yield(wandb.FilesPage{Files: stored}, nil) }
	})
}

// artifactDest is where info's files land: --artifact-dest when given,
// else --dest/NAME/vN; the folder is made ready (see prepareDest).
func artifactDest(dest, artifactDest, home string, info wandb.ArtifactInfo) (string, error) {
	if artifactDest != "" {
		return prepareDest(artifactDest, home)
	}
	base, err := prepareDest(dest, home)
	if err != nil {
		return "", err
	}
	return info.LocalDir(base)
}

// refSchemes words where references point: their schemes, most first
// ("s3://, gs://").
func refSchemes(refs []string) string {
	count := map[string]int{}
	var order []string
	for _, r := range refs {
		scheme, _, ok := strings.Cut(r, "://")
		if !ok {
			scheme = "?"
		}
		if count[scheme] == 0 {
			order = append(order, scheme)
		}
		count[scheme]++
	}
	slices.SortStableFunc(order, func(a, b string) int { return count[b] - count[a] })
	for i, s := range order {
		order[i] = s + "://"
	}
	return strings.Join(order, ", ")
}
