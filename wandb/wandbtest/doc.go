// Package wandbtest is a W&B-compatible server for tests, benchmarks and
// the demo mode: an API host that answers the GraphQL subset a run-files
// client needs (validated against an SDL kept in this package) and serves
// file bodies with the API key, plus a second host that plays a signed
// storage bucket and refuses credentials. File contents are generated
// deterministically from their names, so no large file lives in the repo
// and none is held in memory. Fault knobs (latency, 429, 5xx, cut bodies,
// wrong md5s, slow bodies, no Range) let tests exercise a client's error
// paths over real HTTP.
package wandbtest
