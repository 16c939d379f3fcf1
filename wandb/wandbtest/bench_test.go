package wandbtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGenerate measures generated content throughput (MB/s).
func BenchmarkGenerate(b *testing.B) {
	const size = 64 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		io.Copy(io.Discard, FileSpec{Name: "checkpoints/model.safetensors", Size: size}.Open())
	}
}

// BenchmarkMD5 measures the md5 of generated content.
func BenchmarkMD5(b *testing.B) {
	const size = 64 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		FileSpec{Name: "checkpoints/model.safetensors", Size: size}.MD5()
	}
}

// BenchmarkServeBody streams a 256 MiB file over loopback HTTP.
func BenchmarkServeBody(b *testing.B) {
	const size = 256 << 20
	s := startTest(b, RunSpec{Entity: "e", Project: "p", ID: "r", Files: []FileSpec{{Name: "big.bin", Size: size}}})
	u := s.URL() + "/files/e/p/r/big.bin"
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("GET", u, nil)
		req.SetBasicAuth("api", s.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != size {
			b.Fatalf("%d bytes", n)
		}
	}
}

// BenchmarkPagingWalk walks every page of the 20,484-file sweep run with
// raw HTTP (the SDK's query, 1000 per page) and reports files per second.
func BenchmarkPagingWalk(b *testing.B) {
	s := startTest(b, sweepRun())
	q := `query Files($e: String!, $p: String!, $r: String!, $after: String) { project(name: $p, entityName: $e) {
	  run(name: $r) { fileCount files(first: 1000, after: $after, names: []) { edges { node { id name url(upload: false)
	  directUrl sizeBytes mimetype updatedAt md5 } cursor } pageInfo { endCursor hasNextPage } } } } }`
	type resp struct {
		Data struct {
			Project struct {
				Run struct {
					Files struct {
						Edges []struct {
							Cursor string
						}
						PageInfo struct {
							EndCursor   string
							HasNextPage bool
						}
					}
				}
			}
		}
	}
	b.ReportAllocs()
	files := 0
	for b.Loop() {
		var after any
		for {
			body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{
				"e": DemoEntity, "p": DemoProject, "r": "x7f2m9qa", "after": after}})
			req, _ := http.NewRequest("POST", s.URL()+"/graphql", bytes.NewReader(body))
			req.SetBasicAuth("api", s.APIKey())
			hr, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var r resp
			err = json.NewDecoder(hr.Body).Decode(&r)
			hr.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			f := r.Data.Project.Run.Files
			files += len(f.Edges)
			if !f.PageInfo.HasNextPage {
				break
			}
			after = f.PageInfo.EndCursor
		}
	}
	b.ReportMetric(float64(files)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkLikeFilter pages through the sweep run with a LIKE pattern.
func BenchmarkLikeFilter(b *testing.B) {
	rd := newRunData(sweepRun())
	args := map[string]any{"pattern": "media/images/%MASKS/step\\_0%_3.png", "first": int64(1000)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rd.page(args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServerPage measures the server alone: one 1000-file page of the
// SDK's files query, handled in process (no network, no client decoding).
func BenchmarkServerPage(b *testing.B) {
	s := New(Options{})
	s.AddRun(sweepRun())
	q := `query Files($e: String!, $p: String!, $r: String!) { project(name: $p, entityName: $e) {
	  run(name: $r) { fileCount files(first: 1000, names: []) { edges { node { id name url(upload: false)
	  directUrl sizeBytes mimetype updatedAt md5 } cursor } pageInfo { endCursor hasNextPage } } } } }`
	body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{
		"e": DemoEntity, "p": DemoProject, "r": "x7f2m9qa"}})
	h := s.Handler()
	serve := func() {
		req := httptest.NewRequest("POST", "http://api.test/graphql", bytes.NewReader(body))
		req.SetBasicAuth("api", s.APIKey())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
	serve() // md5s and URLs are computed once; measure the steady state
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkBuildDemo measures building and indexing the demo data, what
// the first StartDemo of a process pays (later ones reuse it).
func BenchmarkBuildDemo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range demoSpecs() {
			newRunData(r)
		}
	}
}

// BenchmarkStartDemo measures StartDemo once the data is built: listening
// and adding the indexed runs.
func BenchmarkStartDemo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		s, err := StartDemo()
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkRunsSearch measures a picker's search: runCount and the first
// page of the demo team project's 300 runs matching a name or id regexp,
// newest heartbeat first, over HTTP.
func BenchmarkRunsSearch(b *testing.B) {
	s, err := StartDemo()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	vars := map[string]any{"project": DemoTeamProject, "entity": DemoTeam, "perPage": 50, "order": "-heartbeat_at",
		"filters": `{"$or": [{"displayName": {"$regex": "(?i)ri"}}, {"name": {"$regex": "(?i)ri"}}]}`}
	b.ReportAllocs()
	for b.Loop() {
		if st, body := gql(b, s, sdkRunsQuery, vars); st != 200 || len(body) < 1000 {
			b.Fatalf("%d: %s", st, body)
		}
	}
}
