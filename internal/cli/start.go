package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wbfiles/wbfiles/tui"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// startupTimeout bounds the start-up check of the run, retries included,
// so a wrong host fails in seconds rather than after the client's full
// retry budget (which suits page requests once the UI runs).
const startupTimeout = 20 * time.Second

// startupRetry is the retry policy of the start-up check: a few quick
// tries, since the user is waiting on a blank line.
var startupRetry = wandb.RetryPolicy{MaxAttempts: 4, MinWait: 250 * time.Millisecond, MaxWait: 2 * time.Second, MaxElapsed: 8 * time.Second}

// started is what start-up prepared: the UI options and what to release.
type started struct {
	opts  tui.Options
	close func()
}

// start builds the client (on the demo server with --demo), parses RUN,
// checks that the run exists and prepares the download folder, all before
// the alt screen. On an error it has released what it started.
func start(cfg Config, env Env) (st started, err error) {
	st.close = func() {}
	defer func() {
		if err != nil {
			st.close()
		}
	}()
	wcfg, ref, err := clientConfig(cfg, env, &st)
	if err != nil {
		return st, err
	}
	q := tui.FirstQuery(tui.Options{PageSize: cfg.PerPage, Pattern: cfg.Pattern, Names: cfg.Names})
	client, err := wandb.NewClient(wcfg)
	if err != nil {
		return st, err
	}
	target := wandb.Target{}
	var artifact *wandb.ArtifactInfo
	if ref != "" {
		target, err = client.ParseTarget(ref)
		if errors.Is(err, wandb.ErrArtifactNotSupported) {
			var info wandb.ArtifactInfo
			_, info, err = openArtifact(wcfg, ref) // artifact.go
			artifact = &info
		}
		if err != nil {
			return st, err
		}
	}
	var info wandb.RunInfo
	var first *wandb.FilesPage
	switch {
	case artifact != nil:
	case target.Kind == wandb.TargetRun && ref != "":
		var page wandb.FilesPage
		info, page, err = openRun(client, wcfg, target.Run, q)
		first = &page
	default:
		err = checkTarget(client, wcfg, target)
	}
	if err != nil {
		return st, err
	}
	dest, err := prepareDest(cfg.Dest, env.Home)
	if err != nil {
		return st, err
	}
	artifactDest := ""
	if cfg.ArtifactDest != "" {
		if artifactDest, err = prepareDest(cfg.ArtifactDest, env.Home); err != nil {
			return st, err
		}
	}
	existing := wandb.KeepExisting
	if cfg.Override {
		existing = wandb.Overwrite
	}
	st.opts = tui.Options{
		Source:       client,
		Downloader:   client,
		Parallel:     cfg.Parallel,
		Existing:     existing,
		Run:          info,
		Artifact:     artifact,
		ArtifactDest: artifactDest,
		Entity:       target.Entity,
		Project:      target.Project,
		FirstPage:    first,
		Dest:         dest,
		PageSize:     cfg.PerPage,
		Pattern:      cfg.Pattern,
		Names:        cfg.Names,
		Dark:         true,
	}
	return st, nil
}

// clientConfig returns the client's configuration and the run to open:
// the demo server's (which st.close then stops) with --demo, else the
// environment's and the flags'.
func clientConfig(cfg Config, env Env, st *started) (wandb.Config, string, error) {
	var wcfg wandb.Config
	ref := cfg.Run
	if cfg.Demo {
		srv, err := wandbtest.StartDemo()
		if err != nil {
			return wcfg, "", fmt.Errorf("cannot start the demo server: %w", err)
		}
		st.close = srv.Close
		wcfg = wandb.Config{BaseURL: srv.URL(), APIKey: wandbtest.DemoAPIKey}
		if ref == "" {
			ref = wandbtest.DemoRun
		}
	} else {
		var err error
		wcfg, err = wandb.LoadConfigWith(env.Getenv, env.Home, wandb.LoadOptions{
			BaseURL: cfg.BaseURL, BaseURLFrom: "--base-url", RunBase: cmp.Or(wandb.TargetAPIBase(ref), wandb.ArtifactAPIBaseOf(ref)),
		})
		if err != nil {
			return wcfg, "", err
		}
	}
	if env.Retry.MaxAttempts > 0 {
		wcfg.Retry = env.Retry
	}
	return wcfg, ref, nil
}

// openRun checks that the run exists while fetching the first page of
// q, with quick retries and a bounded wait (the user waits on a blank
// line).
func openRun(client *wandb.Client, wcfg wandb.Config, run wandb.RunRef, q wandb.FilesQuery) (wandb.RunInfo, wandb.FilesPage, error) {
	checker, err := startupChecker(wcfg)
	if err != nil {
		return wandb.RunInfo{}, wandb.FilesPage{}, err
	}
	// The run's header and the first page in one round trip: the list
	// shows its rows as soon as the program starts.
	var info wandb.RunInfo
	var first wandb.FilesPage
	err = withinStartup(client, func(ctx context.Context) (err error) {
		info, first, err = checker.RunWithFiles(ctx, run, q)
		return err
	})
	return info, first, err
}

// checkTarget checks, before the alt screen, that the key works and that
// the entity or project the program opens at exists: one small request.
func checkTarget(client *wandb.Client, wcfg wandb.Config, t wandb.Target) error {
	checker, err := startupChecker(wcfg)
	if err != nil {
		return err
	}
	return withinStartup(client, func(ctx context.Context) error {
		switch {
		case t.Entity == "":
			// No argument: the key's user, whose entities open.
		case t.Kind == wandb.TargetProject:
			_, err := checker.Runs(ctx, t.Entity, t.Project, wandb.RunsQuery{First: 1})
			return err
		case t.Kind == wandb.TargetEntity:
			_, err := checker.Projects(ctx, t.Entity, wandb.PageQuery{First: 1})
			return err
		}
		_, err := checker.Viewer(ctx)
		return err
	})
}

// startupChecker returns a client of wcfg for the start-up check: quick
// retries (startupRetry) unless wcfg sets its own policy.
func startupChecker(wcfg wandb.Config) (*wandb.Client, error) {
	if wcfg.Retry.MaxAttempts == 0 {
		wcfg.Retry = startupRetry
	}
	return wandb.NewClient(wcfg)
}

// withinStartup runs a start-up check within startupTimeout, and says so
// when the time ran out.
func withinStartup(client *wandb.Client, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	err := check(ctx)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%s did not answer within %s: %w", client.Host(), startupTimeout, err)
	}
	return err
}
