package wandb

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
)

// MaxArtifactPageSize is the most files one page of an artifact's files
// may hold: W&B answers the SDK's pages of 5,000 (artifact.download()).
const MaxArtifactPageSize = 5000

// ArtifactFilesQuery selects one page of an artifact version's files.
type ArtifactFilesQuery struct {
	// First is the page size; 0 means DefaultPageSize. Valid: 1 to
	// MaxArtifactPageSize.
	First int
	// After is the cursor to continue from ("" for the first page).
	After string
	// Names limits the page to these exact paths: an artifact's files
	// have no pattern filter on the server.
	Names []string
}

// ArtifactFiles returns one page of the files of the artifact version
// artifactID, ordered by path: its stored files and its reference entries
// (Ref set, never downloaded), as File rows with ArtifactID set, a signed
// DirectURL (fetched without credentials) and no URL. Nulls are tolerated
// as Files tolerates them; GraphQL errors beside the page are its
// Warnings. An unknown id is an error wrapping ErrArtifactNotFound.
//
// A reference's URI comes from the listing's directUrl, which this client
// takes to hold it (isReference is set); the manifest's ref is the
// authority (ArtifactManifest), and a reference listed without a URI gets
// Ref "reference".
func (c *Client) ArtifactFiles(ctx context.Context, artifactID string, q ArtifactFilesQuery) (FilesPage, error) {
	if artifactID == "" {
		return FilesPage{}, fmt.Errorf("%w: no artifact id given", ErrArtifactNotFound)
	}
	first, err := pageSizeUpTo(q.First, MaxArtifactPageSize)
	if err != nil {
		return FilesPage{}, err
	}
	vars := pageVars(map[string]any{"id": artifactID}, first, q.After)
	if len(q.Names) > 0 {
		vars["fileNames"] = q.Names
	}
	var data struct {
		Artifact *struct {
			Files *fileConnJSON `json:"files"`
		} `json:"artifact"`
	}
	gqlErr := c.graphql(ctx, opArtifactFiles, queryArtifactFiles, vars, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return FilesPage{}, gqlErr
	}
	if data.Artifact == nil {
		return FilesPage{}, artifactNotFound("id "+strconv.Quote(artifactID), gqlErr)
	}
	if data.Artifact.Files == nil && gqlErr == nil {
		return FilesPage{}, fmt.Errorf("the server sent no files of artifact %s", artifactID)
	}
	page, err := filesResult(data.Artifact.Files, q.After, gqlErr)
	if err != nil {
		return FilesPage{}, err
	}
	for i := range page.Files {
		page.Files[i].ArtifactID = artifactID
	}
	return page, nil
}

// artifactNode fills the artifact fields of a listed file: its digest,
// and for a reference its URI as Ref rather than a URL to fetch.
func artifactNode(f *File, n *fileNode) {
	f.Digest = n.Digest
	if n.IsReference {
		f.Ref, f.DirectURL, f.PathURI = n.DirectURL, "", ""
		if f.Ref == "" {
			f.Ref = "reference"
		}
	}
}

// ArtifactFilePages walks every page of the artifact version's files that
// q selects, from q.After on, as FilePages walks a run's: a path is never
// yielded twice, the walk ends after the last page or after yielding an
// error (one wrapping ErrCursorStuck for a cursor that does not advance),
// and no request follows a stop.
func (c *Client) ArtifactFilePages(ctx context.Context, artifactID string, q ArtifactFilesQuery) iter.Seq2[FilesPage, error] {
	return func(yield func(FilesPage, error) bool) {
		seen := map[string]struct{}{}
		walkPages(q.After, func(after string) (FilesPage, error) {
			q.After = after
			page, err := c.ArtifactFiles(ctx, artifactID, q)
			page.Files = DropSeen(page.Files, seen)
			return page, err
		})(yield)
	}
}

// ErrNotListed means a file asked for again by name is no longer listed
// (a run file deleted, an artifact version changed).
var ErrNotListed = errors.New("the server no longer lists the file")

// refreshArtifactFile asks the artifact for f again by path, for a fresh
// signed URL.
func (c *Client) refreshArtifactFile(ctx context.Context, f File) (File, error) {
	page, err := c.ArtifactFiles(ctx, f.ArtifactID, ArtifactFilesQuery{First: 1, Names: []string{f.Name}})
	if err != nil {
		return File{}, err
	}
	return sameName(page.Files, f.Name)
}

// RunFileRefresher returns a DownloadOptions.Refresh for the files of run:
// it asks the run for the file again by name, for a fresh signed URL.
func (c *Client) RunFileRefresher(run RunRef) func(context.Context, File) (File, error) {
	return func(ctx context.Context, f File) (File, error) {
		page, err := c.Files(ctx, run, FilesQuery{First: 1, Names: []string{f.Name}})
		if err != nil {
			return File{}, err
		}
		return sameName(page.Files, f.Name)
	}
}

// sameName returns the file of files named name.
func sameName(files []File, name string) (File, error) {
	for _, g := range files {
		if g.Name == name {
			return g, nil
		}
	}
	return File{}, fmt.Errorf("%w: %s", ErrNotListed, name)
}
