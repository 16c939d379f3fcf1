package wandb

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestParseManifest: the entries of a manifest, sorted by path, with
// unknown sizes and references; documents that cannot be used are
// refused with why.
func TestParseManifest(t *testing.T) {
	m, err := parseManifest(strings.NewReader(`{"version": 1, "storagePolicy": "wandb-storage-policy-v1",
  "storagePolicyConfig": {"storageLayout": "V2", "storageRegion": "coreweave-us"},
  "contents": {"b/x.bin": {"digest": "AAA=", "size": 3, "birthArtifactID": "QQ=="},
    "a.txt": {"digest": "BBB=", "size": null},
    "r/ref.parquet": {"digest": "etag", "ref": "s3://bucket/k", "size": 10, "extra": {"etag": "\"etag\"", "versionID": "3"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []ManifestEntry{
		{Path: "a.txt", Digest: "BBB=", Size: -1},
		{Path: "b/x.bin", Digest: "AAA=", Size: 3, BirthArtifactID: "QQ=="},
		{Path: "r/ref.parquet", Digest: "etag", Size: 10, Ref: "s3://bucket/k"},
	}
	if len(m.Entries) != 3 || m.StorageLayout != "V2" {
		t.Fatalf("%+v", m)
	}
	for i, e := range want {
		if m.Entries[i] != e {
			t.Errorf("entry %d: %+v, want %+v", i, m.Entries[i], e)
		}
	}
	if tot := m.Totals(""); tot.Files != 2 || tot.Bytes != 3 || tot.UnknownSizes != 1 || tot.References != 1 || tot.ReferenceBytes != 10 {
		t.Errorf("totals %+v", tot)
	}
	if tot := m.Totals("b/"); tot.Files != 1 || tot.Bytes != 3 || tot.References != 0 {
		t.Errorf("totals of b/ %+v", tot)
	}
	for doc, why := range map[string]string{
		`{"version": 2, "contents": {}}`:  "version is 2",
		`{"contents": {}}`:                "version is none",
		`{"version": 1} {"version": 1}`:   "more than one",
		`<html>login</html>`:              "invalid character",
		`{"version": 1, "contents": [1]}`: "cannot unmarshal",
	} {
		if _, err := parseManifest(strings.NewReader(doc)); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v; want %q", doc, err, why)
		}
	}
	if _, err := parseManifest(capped(strings.NewReader(`{"version": 1, "contents": {"a": {"digest": "x"}}}`), 20)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a manifest over the limit: %v", err)
	}
}

// TestManifestNotRetried: a manifest that is not version 1 fails at once
// with the reason, naming the artifact; a 503 is retried.
func TestManifestNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("Authorization") != "" {
			t.Error("the manifest request carried credentials")
		}
		w.Write([]byte(`{"version": 7, "contents": {}}`))
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: "https://api.example.com", APIKey: "k", Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ArtifactManifest(context.Background(), ArtifactInfo{Collection: "m", Version: 2, ManifestURL: srv.URL + "/m?sig=1"})
	if err == nil || !strings.Contains(err.Error(), "version is 7") || !strings.Contains(err.Error(), "m:v2") || n.Load() != 2 {
		t.Errorf("%v after %d requests; want the version named after 2", err, n.Load())
	}
}
