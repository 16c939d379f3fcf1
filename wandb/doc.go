// Package wandb talks to the Weights & Biases GraphQL API the way the
// official SDK does: it reads the API key and host from the environment or
// netrc, parses run references and command-line targets, lists the
// viewer's entities, an entity's projects, a project's runs (searched and
// ordered on the server) and a run's files one cursor page at a time,
// lists an artifact version's files with the same queries (ArtifactListing:
// patterns matched on its manifest, MatchLike), reads a run's detail, and downloads files safely (temporary file then rename, md5 checked,
// resumable, never outside the destination folder, the API key sent only to
// the API host).
//
// It imports nothing from Bubble Tea and is tested against the
// W&B-compatible server in the wandbtest subpackage.
package wandb
