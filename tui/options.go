package tui

import (
	"time"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// Options configure the program.
type Options struct {
	// Source lists and previews files; normally a *wandb.Client.
	Source Source
	// Run is the run to browse, as the client returned it. Without one
	// the program opens at the runs of Entity/Project, the projects of
	// Entity, or the viewer's entities (when Source is a Navigator).
	Run wandb.RunInfo
	// Entity and Project, without a Run, are where the program opens.
	Entity, Project string
	// Artifact, when set instead of a Run, is the artifact version whose
	// files the program opens at (their versions are below it).
	Artifact *wandb.ArtifactInfo
	// ArtifactDest, when set, is where every artifact's files land
	// instead of Dest/NAME/vN (--artifact-dest).
	ArtifactDest string
	// FirstPage, when set, is the first page of files, fetched with the
	// run's header in one request: the list shows it at once.
	FirstPage *wandb.FilesPage
	// Dest is the download folder shown in the header and the detail view.
	Dest string
	// PageSize is the number of files per page request (default 50).
	PageSize int
	// Pattern (a LIKE pattern) or Names is the initial server filter.
	Pattern string
	Names   []string
	// Flat opens the flat list of every path instead of the run's top
	// folder (a Pattern or Names list paths, so they open it too).
	Flat bool
	// Downloader, when set, turns on selection and downloads (space, a, A,
	// c/x, d, tab); normally the same *wandb.Client as Source.
	Downloader Downloader
	// Parallel is how many files download at once (runner.DefaultParallel
	// when 0).
	Parallel int
	// Existing is the policy for a local file with other content
	// (--overwrite chooses wandb.Overwrite).
	Existing wandb.ExistingPolicy
	// Now is the clock for relative times; nil means time.Now.
	Now func() time.Time
	// Dark is the initial background assumption until the terminal
	// answers tea.RequestBackgroundColor.
	Dark bool
}

// FirstQuery is the files query of the list's first page for opts, for a
// caller that fetches that page with the run's header in one request
// (wandb.Client.RunWithFiles) and passes it as Options.FirstPage.
func FirstQuery(opts Options) wandb.FilesQuery {
	if opts.PageSize <= 0 {
		opts.PageSize = wandb.DefaultPageSize
	}
	return model.NewBrowser(opts.Run, opts.PageSize, opts.Pattern, opts.Names).FirstQuery()
}
