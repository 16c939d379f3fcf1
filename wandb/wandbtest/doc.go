// Package wandbtest is a W&B-compatible server for tests, benchmarks and
// the demo mode. It plays two hosts on 127.0.0.1:
//
//   - the API host (URL): POST /graphql answers the part of the W&B GraphQL
//     API a run-files client needs (runs, their files, header, summary and
//     console log; the viewer; projects; artifacts), and GET
//     /files/{entity}/{project}/{run}/{name} and /artifactsV2/... serve file
//     bodies (the File.url field) to requests with the API key (HTTP basic
//     auth, user "api");
//   - a storage host (StorageURL) that plays a signed bucket: the File.directUrl
//     field points there with an HMAC signature in the query, and the host
//     refuses bad or expired signatures and any request that carries an
//     Authorization header, so a client that leaks the key fails here.
//
// GraphQL requests are parsed and validated with gqlparser against SDL (the
// embedded schema.graphql, a subset of ../shared/wandb/schema.graphql) and
// executed generically: aliases, fragments, __typename, introspection
// (__schema, __type: the W&B SDK asks __type for the fields of Run and
// Project), variables with defaults, @skip/@include and operationName
// work, and an answer holds exactly the selected fields in selection
// order. A bad key gets 401; a request that does not parse or validate
// gets 400 with {"errors": [...]}, each error once, and no data
// (graphql-go servers do so; W&B answers 200 or 400); errors
// while executing (first > 1000, names with pattern, a bad cursor) get 200
// with the field null and an entry in errors. An unknown project or run is
// null with no error, as on W&B.
//
// Artifacts (artifact.go) are collections of versions whose entries are
// stored bytes or references to objects outside W&B: Project.artifact,
// artifactCollection(s), artifactCollectionMembership, artifactType(s),
// Run.inputArtifacts and outputArtifacts, Query.artifact(id) and the
// version's files(names, after, first) (up to 10,000 a page, as W&B allows
// the SDK's 5,000) answer them, and each version's manifest is a JSON
// document on the storage host (artifact_manifest.go). Abstract types
// (ArtifactCollection, Initiator) resolve to their concrete type.
// serverInfo lists the artifact features served.
//
// Run.files(first, after, names, pattern) lists files ordered by name with
// opaque cursors; first defaults to 50, at most 1000; names are exact names
// (an empty list means all); pattern is MySQL LIKE (% any run, _ one code
// point, \ escapes) matched case-insensitively with Unicode simple case
// folding. Project.runs(filters, order) takes the SDK's MongoDB-style
// filters (filter.go); Run.logLines pages output.log. Fields derived from
// a run's files agree with them: summaryMetrics is wandb-summary.json,
// historyKeys follow the summary, systemMetrics is the last line of
// wandb-events.jsonl, and heartbeatAt fits the state (runmeta.go).
//
// File contents are generated deterministically from their names (or given
// as Content for small text files) and streamed, so big files cost no
// memory; md5s are computed once and cached. Body endpoints honour Range,
// HEAD and ETag. FileSpec and RunSpec knobs send the nulls real servers
// send now and then (NullsRun gathers them in one run); SetFaults adds
// latency, 429s, 5xx, cut bodies, wrong md5s, slow bodies or ignored Range
// per endpoint; SetPagingFaults echoes or sticks cursors, or adds errors
// beside the data, of files, runs and projects connections; SetURLLifetime
// hands out signed URLs that have expired (or expire soon); Stats counts
// what was seen.
//
// StartDemo serves DemoRuns: in the demo user's entity, a fine-tuning run
// (DemoRun), a sweep run with 20,000+ files, an empty, a crashed and a
// running run; in DemoTeam, a team the viewer belongs to, a project of
// DemoTeamRuns generated runs (demo_team.go: varied names, ids, tags,
// users, states and dates, three small files each) for a run picker to
// search, and a small second project; DemoArtifacts: a model the main run
// logged in five versions, a dataset of the team's project it used, and
// evaluation data held by reference. They send no null the W&B SDK fails
// on (a null fileCount, edge node or File.url), so the SDK can read every
// one of them.
package wandbtest
