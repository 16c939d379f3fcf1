package tui

import (
	"context"
	"iter"

	"github.com/wbfiles/wbfiles/wandb"
)

// Source is what the TUI needs from the W&B client; *wandb.Client
// implements it. It is an interface so the views depend on behaviour, not
// on the client's construction.
type Source interface {
	Files(ctx context.Context, run wandb.RunRef, q wandb.FilesQuery) (wandb.FilesPage, error)
	// FilePages walks every page of q (select-all on the server).
	FilePages(ctx context.Context, run wandb.RunRef, q wandb.FilesQuery) iter.Seq2[wandb.FilesPage, error]
	Preview(ctx context.Context, f wandb.File, max int64) ([]byte, bool, error)
}

// The W&B client is the production Source.
var _ Source = (*wandb.Client)(nil)
var _ Source = (*wandb.ArtifactListing)(nil)
