package wandb

// The GraphQL operations of artifacts. They select what the SDK's
// ArtifactFragment and FileFragment select that the client shows, and are
// validated with the others (Queries, queries_test.go).

// Operation names, as sent in operationName.
const (
	opArtifactByName      = "ArtifactByName"
	opArtifactByID        = "ArtifactByID"
	opArtifactVersions    = "ArtifactVersions"
	opRunOutputArtifacts  = "RunOutputArtifacts"
	opRunInputArtifacts   = "RunInputArtifacts"
	opArtifactFiles       = "ArtifactFiles"
	opArtifactManifestURL = "ArtifactManifestURL"
)

// artifactFragment is a version as ArtifactInfo holds it. Its aliases are
// those of every collection it is in; the client keeps its sequence's.
const artifactFragment = `
fragment ArtifactInfo on Artifact {
  id
  versionIndex
  artifactType { name }
  artifactSequence { name project { name entityName } }
  aliases { alias artifactCollectionName }
  digest
  size
  fileCount
  createdAt
  state
  description
  currentManifest { file { directUrl } }
}`

// artifactPageInfo is the paging part of a page of versions.
const artifactPageInfo = `
      totalCount
      pageInfo { endCursor hasNextPage }`

// queryArtifactByName finds entity/project/name:alias through the
// project's membership of that name, as api.artifact() does.
const queryArtifactByName = `query ArtifactByName($entity: String!, $project: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    artifactCollectionMembership(name: $name) {
      artifact { ...ArtifactInfo }
    }
  }
}` + artifactFragment

// queryArtifactByID reads one version by its id.
const queryArtifactByID = `query ArtifactByID($id: ID!) {
  artifact(id: $id) { ...ArtifactInfo }
}` + artifactFragment

// queryArtifactVersions lists a collection's versions, newest first.
const queryArtifactVersions = `query ArtifactVersions($entity: String!, $project: String!, $collection: String!, $cursor: String, $perPage: Int) {
  project(name: $project, entityName: $entity) {
    artifactCollection(name: $collection) {
      artifacts(after: $cursor, first: $perPage) {` + artifactPageInfo + `
        edges { cursor node { ...ArtifactInfo } }
      }
    }
  }
}` + artifactFragment

// queryRunOutputArtifacts lists the versions a run logged.
const queryRunOutputArtifacts = `query RunOutputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int) {
  project(name: $project, entityName: $entity) {
    run(name: $run) {
      artifacts: outputArtifacts(after: $cursor, first: $perPage) {` + artifactPageInfo + `
        edges { cursor node { ...ArtifactInfo } }
      }
    }
  }
}` + artifactFragment

// queryRunInputArtifacts lists the versions a run used.
const queryRunInputArtifacts = `query RunInputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int) {
  project(name: $project, entityName: $entity) {
    run(name: $run) {
      artifacts: inputArtifacts(after: $cursor, first: $perPage) {` + artifactPageInfo + `
        edges { cursor node { ...ArtifactInfo } }
      }
    }
  }
}` + artifactFragment

// queryArtifactFiles is one page of a version's files. There is no
// pattern: names (exact paths) are the only filter the server has.
const queryArtifactFiles = `query ArtifactFiles($id: ID!, $cursor: String, $perPage: Int, $fileNames: [String!]) {
  artifact(id: $id) {
    files(names: $fileNames, after: $cursor, first: $perPage) {
      totalCount
      edges {
        cursor
        node { id name directUrl sizeBytes mimetype updatedAt md5 digest isReference }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
}`

// queryArtifactManifestURL asks for a fresh signed URL of a version's
// manifest, as the SDK's FetchArtifactManifest.
const queryArtifactManifestURL = `query ArtifactManifestURL($id: ID!) {
  artifact(id: $id) { currentManifest { file { directUrl } } }
}`

// artifactQueries returns the artifact operations by name (see Queries).
func artifactQueries() map[string]string {
	return map[string]string{
		opArtifactByName:      queryArtifactByName,
		opArtifactByID:        queryArtifactByID,
		opArtifactVersions:    queryArtifactVersions,
		opRunOutputArtifacts:  queryRunOutputArtifacts,
		opRunInputArtifacts:   queryRunInputArtifacts,
		opArtifactFiles:       queryArtifactFiles,
		opArtifactManifestURL: queryArtifactManifestURL,
	}
}

// pageVars adds the paging variables of q (first already checked) to v.
func pageVars(v map[string]any, first int, after string) map[string]any {
	v["perPage"] = first
	if after != "" {
		v["cursor"] = after
	}
	return v
}
