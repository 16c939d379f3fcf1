package wandb

import (
	"strings"
	"time"
)

// RunRef names one run: entity/project/run_id.
type RunRef struct {
	Entity  string
	Project string
	RunID   string
	// Host is the W&B host the reference came from when it was a URL
	// (for example "wandb.ai" or "wandb.example.com:8080"); empty otherwise.
	Host string
}

// String returns the reference as entity/project/run_id.
func (r RunRef) String() string {
	return r.Entity + "/" + r.Project + "/" + r.RunID
}

// RunInfo is the header of a run.
type RunInfo struct {
	Ref         RunRef
	DisplayName string
	State       string
	// FileCount is the number of files the server reports, or -1 when it
	// did not say (the field is nullable; unknown is not zero).
	FileCount int
	// CreatedAt and HeartbeatAt (when the run last reported) are zero when
	// unknown.
	CreatedAt, HeartbeatAt time.Time
	// User is the username of who ran it ("" when unknown).
	User string
	Tags []string
	// Group and JobType are "" when the run has none.
	Group, JobType string
}

// File is one file of a run, as the files connection returns it. Fields the
// server sent as null are zero values, except SizeBytes, which is -1.
type File struct {
	ID   string
	Name string
	// URL is the API-host URL of the file's body (url(upload: false)); it
	// is fetched with the API key. Empty when the server sent null.
	URL string
	// DirectURL is a signed storage URL; it is fetched without credentials.
	DirectURL string
	// SizeBytes is the size in bytes, or -1 when unknown.
	SizeBytes int64
	Mimetype  string
	// UpdatedAt is the zero time when unknown.
	UpdatedAt time.Time
	// MD5 is the base64 of the raw MD5 digest, as W&B sends it; empty when
	// unknown.
	MD5 string
	// PathURI is the s3://bucket/key form of an S3 DirectURL, as the SDK's
	// File.path_uri; empty otherwise.
	PathURI string

	// Artifact files only (artifact_files.go), empty for run files.
	// ArtifactID is the artifact version the file belongs to, so that an
	// expired signed URL can be asked for again. Digest is the manifest's
	// digest (the base64 md5 of a stored file, a reference's checksum).
	// Ref is a reference entry's URI (s3://, gs://, https://, file://): its
	// bytes live outside W&B and are never downloaded. BirthArtifactID is
	// the version that first stored the bytes (from the manifest).
	ArtifactID      string
	Digest          string
	Ref             string
	BirthArtifactID string
}

// IsReference reports whether f is an artifact's reference entry, whose
// bytes live outside W&B: it is never downloaded.
func (f File) IsReference() bool { return f.Ref != "" }

// SizeKnown reports whether the server gave the file's size.
func (f File) SizeKnown() bool { return f.SizeBytes >= 0 }

// Dir returns the folder part of the name ("media/images/" for
// "media/images/a.png"), or "" for a top-level file.
func (f File) Dir() string {
	if i := strings.LastIndexByte(f.Name, '/'); i >= 0 {
		return f.Name[:i+1]
	}
	return ""
}

// Base returns the last element of the name.
func (f File) Base() string { return f.Name[len(f.Dir()):] }

// FilesQuery selects one page of a run's files.
type FilesQuery struct {
	// First is the page size; 0 means DefaultPageSize. Valid: 1..MaxPageSize.
	First int
	// After is the cursor to continue from ("" for the first page).
	After string
	// Names limits the result to these exact names. Exclusive with Pattern.
	Names []string
	// Pattern is a MySQL LIKE pattern (%, _, \ escapes). Exclusive with Names.
	Pattern string
}

// Page sizes accepted by Files.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// FilesPage is one page of a run's files.
type FilesPage struct {
	Files []File
	// EndCursor is the cursor to pass as After for the next page.
	EndCursor   string
	HasNextPage bool
	// Warnings are the messages of GraphQL errors the server sent along
	// with the page (a field it failed to resolve, say): the page is
	// usable but may lack files or fields. They come here rather than as
	// an error, so a caller that stops on an error keeps the data.
	Warnings []string
}
