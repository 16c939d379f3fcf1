package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// artifactServer serves a run and an artifact of two versions in another
// project: v1 ("best", latest) with files in folders, a reference, and
// entries whose paths would leave the destination.
func artifactServer(t *testing.T) (*wandbtest.Server, map[string]string, map[string]string) {
	t.Helper()
	srv, _, vars := verbServer(t)
	content := map[string]string{
		"weights/model.safetensors": strings.Repeat("w", 5000),
		"weights/config.json":       `{"r": 16}`,
		"README.md":                 "# model\n",
		"eval/scores.csv":           "k,acc\n1,0.6\n",
	}
	var v1 []wandbtest.ArtifactFile
	for p, c := range content {
		v1 = append(v1, wandbtest.ArtifactFile{Path: p, Content: []byte(c)})
	}
	v1 = append(v1, wandbtest.ArtifactFile{Path: "data/big.parquet", Size: 1 << 30, Ref: "s3://bucket/big.parquet"})
	err := srv.AddArtifact(wandbtest.ArtifactSpec{Entity: "ent", Project: "models", Name: "lora", Type: "model", Versions: []wandbtest.ArtifactVersion{
		{Files: []wandbtest.ArtifactFile{{Path: "README.md", Content: []byte("old\n")}}, LoggedBy: "ent/proj/run1"},
		{Aliases: []string{"best"}, Files: v1, LoggedBy: "ent/proj/run1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	err = srv.AddArtifact(wandbtest.ArtifactSpec{Entity: "ent", Project: "models", Name: "hostile", Type: "dataset", Versions: []wandbtest.ArtifactVersion{
		{Files: []wandbtest.ArtifactFile{{Path: "../escape.txt", Content: []byte("x")}, {Path: "/abs.txt", Content: []byte("x")}, {Path: "ok.txt", Content: []byte("ok")}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	refOnly := wandbtest.ArtifactSpec{Entity: "ent", Project: "models", Name: "refs", Type: "dataset", Versions: []wandbtest.ArtifactVersion{
		{Files: []wandbtest.ArtifactFile{{Path: "a", Size: 3, Ref: "gs://b/a"}, {Path: "b", Size: 3, Ref: "https://example.com/b"}}},
	}}
	if err := srv.AddArtifact(refOnly); err != nil {
		t.Fatal(err)
	}
	return srv, vars, content
}

// TestArtifactLs lists a version's paths, filtered by globs matched here
// and exact paths asked of the server; JSON Lines carry digests and
// references, never the key nor, without --urls, a signed URL.
func TestArtifactLs(t *testing.T) {
	_, vars, _ := artifactServer(t)
	code, out, errs := runMain(t, vars, "ls", "ent/models/lora:best")
	if code != 0 || out != "README.md\ndata/big.parquet\neval/scores.csv\nweights/config.json\nweights/model.safetensors\n" {
		t.Fatalf("ls: exit %d, out %q, err %q", code, out, errs)
	}
	code, out, _ = runMain(t, vars, "ls", "ent/models/lora:v1", "WEIGHTS/*.json", "README.md")
	if code != 0 || out != "README.md\nweights/config.json\n" {
		t.Fatalf("ls with a glob and a path: exit %d, out %q", code, out)
	}
	code, out, _ = runMain(t, vars, "ls", "ent/models/lora:latest", "README.md", "nope")
	if code != 0 || out != "README.md\n" {
		t.Fatalf("ls by paths: exit %d, out %q", code, out)
	}
	code, out, _ = runMain(t, vars, "ls", "--json", vars["WANDB_BASE_URL"]+"/ent/models/artifacts/model/lora/v1/files")
	if code != 0 || strings.Contains(out, testKey) || strings.Contains(out, "directUrl") || strings.Contains(out, "X-Goog-Signature") {
		t.Fatalf("ls --json by URL: exit %d, out %q", code, out)
	}
	var refs int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if e["ref"] != nil {
			refs++
			if e["ref"] != "s3://bucket/big.parquet" || e["md5"] != nil || e["size"] != float64(1<<30) {
				t.Errorf("reference entry %v", e)
			}
		} else if e["md5"] == nil || e["md5"] != e["digest"] {
			t.Errorf("stored entry %v", e)
		}
	}
	if refs != 1 {
		t.Errorf("%d references in %q", refs, out)
	}
	if code, _, errs := runMain(t, vars, "ls", "ent/models/lora:v7"); code != verbStartup || !strings.Contains(errs, "artifact not found: ent/models/lora:v7") {
		t.Errorf("an unknown version: exit %d, %q", code, errs)
	}
}

// TestArtifactGet downloads a version under --dest/NAME/vN, byte-exact,
// counting the references it skips; a second run finds it up to date; a
// version of references only has nothing to download; hostile paths are
// refused and nothing lands outside the destination.
func TestArtifactGet(t *testing.T) {
	_, vars, content := artifactServer(t)
	root := t.TempDir()
	dest := filepath.Join(root, "dl")
	code, _, errs := runMain(t, vars, "get", "--dest", dest, "ent/models/lora:best")
	if code != 0 || !strings.Contains(errs, "skipping 1 reference") || !strings.Contains(errs, "s3://") ||
		!strings.Contains(errs, "4 files downloaded") || !strings.Contains(errs, filepath.Join("dl", "lora", "v1")) {
		t.Fatalf("get: exit %d, stderr %q", code, errs)
	}
	for p, c := range content {
		b, err := os.ReadFile(filepath.Join(dest, "lora", "v1", filepath.FromSlash(p)))
		if err != nil || string(b) != c {
			t.Errorf("%s: %q, %v", p, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "lora", "v1", "data")); err == nil {
		t.Error("the reference's folder was made")
	}
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/models/lora:v1", "weights/*")
	if code != 0 || strings.Count(errs, "up to date weights/") != 2 {
		t.Fatalf("second get: exit %d, stderr %q", code, errs)
	}
	flat := filepath.Join(t.TempDir(), "flat")
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "--artifact-dest", flat, "ent/models/lora:v1", "weights/*")
	if code != 0 || !strings.Contains(errs, "2 files downloaded") {
		t.Fatalf("get --artifact-dest: exit %d, stderr %q", code, errs)
	}
	for p, c := range content {
		if !strings.HasPrefix(p, "weights/") {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(flat, filepath.FromSlash(p))); err != nil || string(b) != c {
			t.Errorf("--artifact-dest %s: %q, %v", p, b, err)
		}
	}
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/models/refs:latest")
	if code != verbFailed || !strings.Contains(errs, "skipping 2 references") || !strings.Contains(errs, "every matching entry of refs:v0 is a reference") {
		t.Fatalf("references only: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runMain(t, vars, "get", "--dest", dest, "ent/models/hostile:v0")
	if code != verbFailed || !strings.Contains(errs, "failed     ../escape.txt: unsafe file name") || !strings.Contains(errs, "1 file downloaded (2 B), 2 failed") {
		t.Fatalf("hostile paths: exit %d, stderr %q", code, errs)
	}
	var got []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(got)
	want := []string{"dl/hostile/v0/ok.txt", "dl/lora/v1/README.md", "dl/lora/v1/eval/scores.csv", "dl/lora/v1/weights/config.json", "dl/lora/v1/weights/model.safetensors"}
	if !slices.Equal(got, want) {
		t.Errorf("files: %q, want %q", got, want)
	}
}

// TestArtifactDemo: --demo takes an artifact as its target.
func TestArtifactDemo(t *testing.T) {
	dest := t.TempDir()
	code, _, errs := runMain(t, nil, "get", "--demo", "--dest", dest, wandbtest.DemoEntity+"/"+wandbtest.DemoProject+"/"+wandbtest.DemoModelArtifact+":best", "README.md")
	if code != 0 || !strings.Contains(errs, "1 file downloaded") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dest, wandbtest.DemoModelArtifact, "v3", "README.md")); err != nil {
		t.Error(err)
	}
}
