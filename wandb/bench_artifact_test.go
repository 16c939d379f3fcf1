package wandb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// BenchmarkArtifactListing lists every entry of a 10,000-entry artifact
// two ways in each op, against the local server over loopback HTTP: by
// pages of its files (1,000 a page, what a select-all walk asks for; and
// 50, the SDK's default) and by its manifest (one storage GET, its URL
// already known from the version). It reports the time and requests of
// each per listing, and the ratio pages/manifest of both, from one run.
//
//	go test ./wandb -run '^$' -bench ArtifactListing -benchtime 5x
func BenchmarkArtifactListing(b *testing.B) {
	const n = 10000
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: apiTestKey})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	files := make([]wandbtest.ArtifactFile, n)
	for i := range files {
		files[i] = wandbtest.ArtifactFile{Path: fmt.Sprintf("shard_%02d/item_%05d.bin", i%40, i), Size: int64(64 + i%512)}
	}
	if err := srv.AddArtifact(wandbtest.ArtifactSpec{Entity: "ent", Project: "proj", Name: "big", Type: "dataset",
		Versions: []wandbtest.ArtifactVersion{{Files: files}}}); err != nil {
		b.Fatal(err)
	}
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: apiTestKey, Timeout: time.Minute, Retry: apiRetry})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	info, err := c.Artifact(ctx, ArtifactRef{Entity: "ent", Project: "proj", Name: "big", Alias: "latest"})
	if err != nil {
		b.Fatal(err)
	}
	byPages := func(first int) int {
		got := 0
		for page, err := range c.ArtifactFilePages(ctx, info.ID, ArtifactFilesQuery{First: first}) {
			if err != nil {
				b.Fatal(err)
			}
			got += len(page.Files)
		}
		return got
	}
	byManifest := func() int {
		m, err := c.ArtifactManifest(ctx, info)
		if err != nil {
			b.Fatal(err)
		}
		return len(m.Entries)
	}
	byManifest() // the server's md5s and manifest, once
	type way struct {
		name string
		list func() int
		t    time.Duration
		reqs int64
	}
	ways := []*way{
		{name: "pages1000", list: func() int { return byPages(1000) }},
		{name: "pages50", list: func() int { return byPages(50) }},
		{name: "manifest", list: byManifest},
	}
	for b.Loop() {
		for _, w := range ways {
			srv.ResetStats()
			start := time.Now()
			if got := w.list(); got != n {
				b.Fatalf("%s listed %d entries, want %d", w.name, got, n)
			}
			w.t += time.Since(start)
			st := srv.Stats()
			w.reqs += st.GraphQLRequests + st.StorageRequests
		}
	}
	per := func(w *way) float64 { return float64(w.t.Microseconds()) / 1000 / float64(b.N) }
	for _, w := range ways {
		b.ReportMetric(per(w), w.name+"-ms")
		b.ReportMetric(float64(w.reqs)/float64(b.N), w.name+"-requests")
	}
	b.ReportMetric(per(ways[0])/per(ways[2]), "pages1000/manifest-time")
	b.ReportMetric(float64(ways[0].reqs)/float64(ways[2].reqs), "pages1000/manifest-requests")
	b.ReportMetric(per(ways[1])/per(ways[2]), "pages50/manifest-time")
}
