package wandb

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPreviewRefreshesArtifactURL: an artifact file's expired signed URL
// is asked for again once, quietly; a reference is not fetched.
func TestPreviewRefreshesArtifactURL(t *testing.T) {
	e := newArtEnv(t)
	ds := e.artifact(t, demoDataset+":v1")
	e.srv.SetURLLifetime(-time.Hour)
	p, err := e.c.ArtifactFiles(e.ctx, ds.ID, ArtifactFilesQuery{Names: []string{"README.md"}})
	if err != nil || len(p.Files) != 1 {
		t.Fatalf("README.md: %+v, %v", p, err)
	}
	stale := p.Files[0]
	if _, _, err := e.c.Preview(e.ctx, stale, 100); err == nil || !strings.Contains(err.Error(), "also with a fresh URL") {
		t.Errorf("still expired after asking again: %v", err)
	}
	e.srv.SetURLLifetime(0)
	e.srv.ResetStats()
	body, more, err := e.c.Preview(e.ctx, stale, 1000)
	if st := e.srv.Stats(); err != nil || !strings.HasPrefix(string(body), "# instruct-mix-v3") || more ||
		st.GraphQLRequests != 1 || st.StorageRequests != 2 {
		t.Errorf("expired URL: %q, %v, %v, %+v", body, more, err, st)
	}
	e.srv.ResetStats()
	ref := File{Name: "mmlu/test.parquet", Ref: "s3://bucket/key", ArtifactID: ds.ID}
	if _, _, err := e.c.Preview(e.ctx, ref, 100); !errors.Is(err, ErrReference) || e.srv.Stats().GraphQLRequests != 0 {
		t.Errorf("a reference: %v", err)
	}
}
