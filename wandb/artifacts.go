package wandb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrArtifactNotFound means the artifact, its project or the version the
// alias names does not exist (or is not visible with this key): W&B
// answers null.
var ErrArtifactNotFound = errors.New("artifact not found")

// ArtifactInfo describes one version of an artifact.
type ArtifactInfo struct {
	// ID is the version's id, which ArtifactFiles and ArtifactByID take.
	ID string
	// Entity, Project and Collection are those of the artifact's sequence
	// (the collection it was logged to), which may differ from the run's
	// that used it, or from the reference it was opened by (a link).
	Entity, Project, Collection string
	// Type is the artifact type ("model", "dataset").
	Type string
	// Version is the version's index in its sequence (N of vN), -1 when
	// the server did not say.
	Version int
	// Aliases are the version's aliases in its sequence ("latest",
	// "best"), without the "vN" one.
	Aliases []string
	// Digest is the artifact's digest (hex md5 of its manifest entries).
	Digest string
	// Size is the total of the entries' sizes in bytes (references
	// included), or -1 when unknown.
	Size int64
	// FileCount is the number of entries (references included), or -1.
	FileCount int
	// CreatedAt is the zero time when unknown.
	CreatedAt   time.Time
	State       string // "COMMITTED", "PENDING", "DELETED"
	Description string
	// ManifestURL is the signed storage URL of the manifest (fetched
	// without credentials; it expires, and ArtifactManifest asks again).
	ManifestURL string
}

// Name returns name:vN (name:v? when the version is unknown).
func (a ArtifactInfo) Name() string {
	if a.Version < 0 {
		return a.Collection + ":v?"
	}
	return a.Collection + ":v" + strconv.Itoa(a.Version)
}

// Ref returns the version's reference, entity/project/name:vN (by its
// first alias, or latest, when the version is unknown).
func (a ArtifactInfo) Ref() ArtifactRef {
	alias := "v" + strconv.Itoa(a.Version)
	if a.Version < 0 {
		alias = "latest"
		if len(a.Aliases) > 0 {
			alias = a.Aliases[0]
		}
	}
	return ArtifactRef{Entity: a.Entity, Project: a.Project, Name: a.Collection, Alias: alias, Type: a.Type}
}

// LocalDir returns where a version's files land under dest:
// dest/NAME/vN, refused (ErrUnsafeName) when the server's name would make
// it anything else, or when the version is unknown.
func (a ArtifactInfo) LocalDir(dest string) (string, error) {
	if a.Version < 0 {
		return "", fmt.Errorf("%w: the server gave no version for %s", ErrUnsafeName, a.Collection)
	}
	if err := checkArtifactPart("name", a.Collection); err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnsafeName, err)
	}
	return LocalPath(dest, a.Collection+"/v"+strconv.Itoa(a.Version))
}

// ArtifactsPage is one page of artifact versions.
type ArtifactsPage struct {
	Artifacts []ArtifactInfo
	// TotalCount is the number of versions of the whole listing, or -1.
	TotalCount int
	PageInfo
}

// Info returns the page's paging part.
func (p ArtifactsPage) Info() PageInfo { return p.PageInfo }

// Artifact returns the version ref names, found as api.artifact() finds
// it: through the project's membership of name:alias. Entity, project and
// collection of the result are the artifact's sequence's. An unknown
// project, artifact or alias is an error wrapping ErrArtifactNotFound; a
// URL's type that is not the artifact's is an error too. GraphQL errors
// that came with the artifact are returned with it, as a *GraphQLError
// whose Partial is set.
func (c *Client) Artifact(ctx context.Context, ref ArtifactRef) (ArtifactInfo, error) {
	if err := ref.check(); err != nil {
		return ArtifactInfo{}, err
	}
	var data struct {
		Project *struct {
			Membership *struct {
				Artifact *artifactJSON `json:"artifact"`
			} `json:"artifactCollectionMembership"`
		} `json:"project"`
	}
	vars := map[string]any{"entity": ref.Entity, "project": ref.Project, "name": ref.Name + ":" + ref.Alias}
	gqlErr := c.graphql(ctx, opArtifactByName, queryArtifactByName, vars, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return ArtifactInfo{}, gqlErr
	}
	if data.Project == nil || data.Project.Membership == nil || data.Project.Membership.Artifact == nil {
		return ArtifactInfo{}, artifactNotFound(ref.String(), gqlErr)
	}
	info := data.Project.Membership.Artifact.info(ref.Entity, ref.Project)
	if ref.Type != "" && info.Type != "" && ref.Type != info.Type {
		return ArtifactInfo{}, fmt.Errorf("%s is a %s artifact, not a %s one as the URL says", ref, info.Type, ref.Type)
	}
	return info, gqlErr
}

// ArtifactByID returns the version with the id; one that is not there is
// an error wrapping ErrArtifactNotFound.
func (c *Client) ArtifactByID(ctx context.Context, id string) (ArtifactInfo, error) {
	if id == "" {
		return ArtifactInfo{}, fmt.Errorf("%w: no artifact id given", ErrArtifactNotFound)
	}
	var data struct {
		Artifact *artifactJSON `json:"artifact"`
	}
	gqlErr := c.graphql(ctx, opArtifactByID, queryArtifactByID, map[string]any{"id": id}, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return ArtifactInfo{}, gqlErr
	}
	if data.Artifact == nil {
		return ArtifactInfo{}, artifactNotFound("id "+strconv.Quote(id), gqlErr)
	}
	return data.Artifact.info("", ""), gqlErr
}

// ArtifactVersions returns one page of the versions of the artifact
// entity/project/collection, newest first (q.First defaults to
// DefaultPageSize, at most MaxPageSize). An unknown project or collection
// is an error wrapping ErrArtifactNotFound; GraphQL errors beside the page
// are its Warnings.
func (c *Client) ArtifactVersions(ctx context.Context, entity, project, collection string, q PageQuery) (ArtifactsPage, error) {
	ref := ArtifactRef{Entity: entity, Project: project, Name: collection, Alias: "latest"}
	if err := ref.check(); err != nil {
		return ArtifactsPage{}, err
	}
	first, err := pageSize(q.First)
	if err != nil {
		return ArtifactsPage{}, err
	}
	var data struct {
		Project *struct {
			Collection *struct {
				Artifacts *artifactConnJSON `json:"artifacts"`
			} `json:"artifactCollection"`
		} `json:"project"`
	}
	vars := pageVars(map[string]any{"entity": entity, "project": project, "collection": collection}, first, q.After)
	gqlErr := c.graphql(ctx, opArtifactVersions, queryArtifactVersions, vars, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return ArtifactsPage{}, gqlErr
	}
	if data.Project == nil || data.Project.Collection == nil {
		return ArtifactsPage{}, artifactNotFound(entity+"/"+project+"/"+collection, gqlErr)
	}
	return data.Project.Collection.Artifacts.page(q.After, entity, project, gqlErr)
}

// RunArtifacts returns one page of the versions the run logged, or used
// when used is set (q as ArtifactVersions). A used version may live in
// another project: its Entity, Project and Collection say where. An
// unknown project or run is an error wrapping ErrRunNotFound.
func (c *Client) RunArtifacts(ctx context.Context, run RunRef, used bool, q PageQuery) (ArtifactsPage, error) {
	if err := run.check(); err != nil {
		return ArtifactsPage{}, err
	}
	first, err := pageSize(q.First)
	if err != nil {
		return ArtifactsPage{}, err
	}
	op, query := opRunOutputArtifacts, queryRunOutputArtifacts
	if used {
		op, query = opRunInputArtifacts, queryRunInputArtifacts
	}
	var data struct {
		Project *struct {
			Run *struct {
				Artifacts *artifactConnJSON `json:"artifacts"`
			} `json:"run"`
		} `json:"project"`
	}
	vars := pageVars(map[string]any{"entity": run.Entity, "project": run.Project, "run": run.RunID}, first, q.After)
	gqlErr := c.graphql(ctx, op, query, vars, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return ArtifactsPage{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return ArtifactsPage{}, notFound(run, gqlErr)
	}
	return data.Project.Run.Artifacts.page(q.After, run.Entity, run.Project, gqlErr)
}

// artifactNotFound is the error of a null artifact, joined with the
// GraphQL errors that may explain it.
func artifactNotFound(what string, gqlErr error) error {
	err := fmt.Errorf("%w: %s", ErrArtifactNotFound, what)
	if gqlErr != nil {
		return fmt.Errorf("%w (%v)", err, gqlErr)
	}
	return err
}

// artifactConnJSON is a connection of versions as the server sends it.
type artifactConnJSON struct {
	connJSON[artifactJSON]
	TotalCount *int `json:"totalCount"`
}

// page converts a connection answered to a request that sent the cursor
// after; entity and project stand in for a sequence's missing project. A
// null connection is no page: its errors are the error. A cursor that
// does not advance is an error wrapping ErrCursorStuck.
func (conn *artifactConnJSON) page(after, entity, project string, gqlErr error) (ArtifactsPage, error) {
	if conn == nil {
		return ArtifactsPage{}, cmp.Or(noData(gqlErr), errors.New("the server sent no artifacts connection"))
	}
	p := ArtifactsPage{TotalCount: -1, PageInfo: conn.info()}
	if conn.TotalCount != nil {
		p.TotalCount = *conn.TotalCount
	}
	p.Warnings = warnings(gqlErr)
	for _, n := range conn.nodes() {
		p.Artifacts = append(p.Artifacts, n.info(entity, project))
	}
	return p, checkPage(after, p.Info())
}

// artifactJSON is a version as artifactFragment selects it.
type artifactJSON struct {
	ID           string `json:"id"`
	VersionIndex *int   `json:"versionIndex"`
	ArtifactType *struct {
		Name string `json:"name"`
	} `json:"artifactType"`
	ArtifactSequence *struct {
		Name    string `json:"name"`
		Project *struct {
			Name       string `json:"name"`
			EntityName string `json:"entityName"`
		} `json:"project"`
	} `json:"artifactSequence"`
	Aliases []struct {
		Alias                  string `json:"alias"`
		ArtifactCollectionName string `json:"artifactCollectionName"`
	} `json:"aliases"`
	Digest          string   `json:"digest"`
	Size            optInt64 `json:"size"`
	FileCount       optInt64 `json:"fileCount"`
	CreatedAt       optTime  `json:"createdAt"`
	State           string   `json:"state"`
	Description     string   `json:"description"`
	CurrentManifest *struct {
		File *struct {
			DirectURL string `json:"directUrl"`
		} `json:"file"`
	} `json:"currentManifest"`
}

// info converts a version; entity and project stand in when the server
// gave the sequence no project. The version is the sequence's "vN" alias
// when there is one (the SDK's rule), else versionIndex.
func (a *artifactJSON) info(entity, project string) ArtifactInfo {
	info := ArtifactInfo{
		ID: a.ID, Entity: entity, Project: project, Version: -1,
		Digest: a.Digest, Size: -1, FileCount: -1, CreatedAt: a.CreatedAt.t,
		State: a.State, Description: a.Description,
	}
	if a.ArtifactType != nil {
		info.Type = a.ArtifactType.Name
	}
	if s := a.ArtifactSequence; s != nil {
		info.Collection = s.Name
		if s.Project != nil {
			info.Entity, info.Project = s.Project.EntityName, s.Project.Name
		}
	}
	if a.VersionIndex != nil {
		info.Version = *a.VersionIndex
	}
	for _, al := range a.Aliases {
		if al.ArtifactCollectionName != "" && al.ArtifactCollectionName != info.Collection {
			continue
		}
		if n, ok := versionAlias(al.Alias); ok {
			info.Version = n
			continue
		}
		info.Aliases = append(info.Aliases, al.Alias)
	}
	if a.Size.ok {
		info.Size = a.Size.v
	}
	if a.FileCount.ok {
		info.FileCount = int(a.FileCount.v)
	}
	if m := a.CurrentManifest; m != nil && m.File != nil {
		info.ManifestURL = m.File.DirectURL
	}
	return info
}

// versionAlias reads a "vN" alias.
func versionAlias(s string) (int, bool) {
	if len(s) < 2 || s[0] != 'v' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[1:], 10, 31)
	return int(n), err == nil
}
