package cli

import (
	"context"
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
	client, info, first, err := openRun(wcfg, ref, q)
	if err != nil {
		return st, err
	}
	dest, err := prepareDest(cfg.Dest, env.Home)
	if err != nil {
		return st, err
	}
	existing := wandb.KeepExisting
	if cfg.Override {
		existing = wandb.Overwrite
	}
	st.opts = tui.Options{
		Source:     client,
		Downloader: client,
		Parallel:   cfg.Parallel,
		Existing:   existing,
		Run:        info,
		FirstPage:  &first,
		Dest:       dest,
		PageSize:   cfg.PerPage,
		Pattern:    cfg.Pattern,
		Names:      cfg.Names,
		Dark:       true,
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
			BaseURL: cfg.BaseURL, BaseURLFrom: "--base-url", RunBase: wandb.APIBaseOf(ref) + wandb.ArtifactAPIBaseOf(ref),
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

// openRun builds the client, parses ref and checks that the run exists
// while fetching the first page of q,
// with quick retries and a bounded wait (the user waits on a blank line).
func openRun(wcfg wandb.Config, ref string, q wandb.FilesQuery) (*wandb.Client, wandb.RunInfo, wandb.FilesPage, error) {
	client, err := wandb.NewClient(wcfg)
	if err != nil {
		return nil, wandb.RunInfo{}, wandb.FilesPage{}, err
	}
	run, err := client.ParseRunRef(ref)
	if err != nil {
		return nil, wandb.RunInfo{}, wandb.FilesPage{}, err
	}
	check := wcfg
	if check.Retry.MaxAttempts == 0 {
		check.Retry = startupRetry
	}
	checker, err := wandb.NewClient(check)
	if err != nil {
		return nil, wandb.RunInfo{}, wandb.FilesPage{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	// The run's header and the first page in one round trip: the list
	// shows its rows as soon as the program starts.
	info, first, err := checker.RunWithFiles(ctx, run, q)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%s did not answer within %s: %w", client.Host(), startupTimeout, err)
	}
	return client, info, first, err
}
