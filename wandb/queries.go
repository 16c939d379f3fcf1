package wandb

// The GraphQL operations the client sends. They follow what the W&B SDK
// sends (wandb/apis/_generated/operations.py and wandb/apis/public/files.py)
// and are validated in queries_test.go against the test server's SDL
// (wandbtest/schema.graphql, which CI checks against the W&B schema), so a
// field the real server lacks fails a test, not a user.

// Operation names, as sent in operationName.
const (
	opRunInfo      = "RunInfo"
	opRunFiles     = "GetRunFiles"
	opRunWithFiles = "RunWithFiles"
	opViewer       = "Viewer"
)

// runFields are the fields of a run that RunInfo holds: the SDK's
// RunFragment cut down to the header a runs list and a run's view show.
const runFields = `
      id
      name
      displayName
      state
      fileCount
      createdAt
      heartbeatAt
      tags
      group
      jobType
      user {
        username
      }`

// filesVarDefs declares the variables of filesField; filesVars fills them.
// `names: []` (the default) means all files.
const filesVarDefs = `$cursor: String, $perPage: Int = 50, $fileNames: [String] = [], $upload: Boolean = false, $pattern: String`

// filesField is one page of a run's files: the SDK's GetRunFiles selection
// with the edge cursor the SDK used to read (and still uses to continue
// when endCursor is null).
const filesField = `
      files(names: $fileNames, after: $cursor, first: $perPage, pattern: $pattern) {
        edges {
          cursor
          node {
            id
            name
            url(upload: $upload)
            directUrl
            sizeBytes
            mimetype
            updatedAt
            md5
          }
        }
        pageInfo {
          endCursor
          hasNextPage
        }
      }`

// queryRunInfo reads a run's header.
const queryRunInfo = `query RunInfo($name: String!, $project: String!, $entity: String!) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {` + runFields + `
    }
  }
}`

// queryRunFiles lists one page of a run's files, as the SDK's GetRunFiles.
const queryRunFiles = `query GetRunFiles($project: String!, $entity: String!, $name: String!, ` + filesVarDefs + `) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      fileCount` + filesField + `
    }
  }
}`

// queryRunWithFiles is RunInfo and GetRunFiles in one request: the run's
// header and one page of its files side by side.
const queryRunWithFiles = `query RunWithFiles($name: String!, $project: String!, $entity: String!, ` + filesVarDefs + `) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {` + runFields + filesField + `
    }
  }
}`

// queryViewer is the SDK's Viewer query cut down to who the key belongs to.
const queryViewer = `query Viewer {
  viewer {
    id
    entity
    username
  }
}`

// Queries returns every operation the client can send, by operation name,
// so tests (here and elsewhere) can validate them against a schema.
func Queries() map[string]string {
	qs := map[string]string{
		opRunInfo:      queryRunInfo,
		opRunFiles:     queryRunFiles,
		opRunWithFiles: queryRunWithFiles,
		opViewer:       queryViewer,

		opViewerEntities: queryViewerEntities,
		opProjects:       queryProjects,
		opRuns:           queryRuns,
		opRunDetail:      queryRunDetail,
	}
	for name, q := range artifactQueries() {
		qs[name] = q
	}
	return qs
}

// runVars returns the variables of RunInfo for ref.
func runVars(ref RunRef) map[string]any {
	return map[string]any{"entity": ref.Entity, "project": ref.Project, "name": ref.RunID}
}

// filesVars returns the variables of GetRunFiles and RunWithFiles. Names are sent only when
// given (W&B reads an empty list as "all files"), the pattern and the cursor
// only when set; q.First must be normalized already.
func filesVars(ref RunRef, q FilesQuery) map[string]any {
	v := map[string]any{
		"entity":  ref.Entity,
		"project": ref.Project,
		"name":    ref.RunID,
		"perPage": q.First,
	}
	if q.After != "" {
		v["cursor"] = q.After
	}
	if len(q.Names) > 0 {
		v["fileNames"] = q.Names
	}
	if q.Pattern != "" {
		v["pattern"] = q.Pattern
	}
	return v
}
