package wandb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// artEnv is the demo server and a client of it with quick retries.
type artEnv struct {
	srv *wandbtest.Server
	c   *Client
	ctx context.Context
}

func newArtEnv(t testing.TB) *artEnv {
	t.Helper()
	srv, err := wandbtest.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL(), APIKey: wandbtest.DemoAPIKey, Retry: testRetry})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return &artEnv{srv: srv, c: c, ctx: ctx}
}

// artifact opens entity/project/name:alias or fails the test.
func (e *artEnv) artifact(t testing.TB, ref string) ArtifactInfo {
	t.Helper()
	r, err := ParseArtifactRef(ref, "")
	if err != nil {
		t.Fatal(err)
	}
	info, err := e.c.Artifact(e.ctx, r)
	if err != nil {
		t.Fatalf("Artifact(%s): %v", ref, err)
	}
	return info
}

// allFiles lists every file of a version, first at a time.
func (e *artEnv) allFiles(t testing.TB, id string, first int) []File {
	t.Helper()
	var files []File
	for page, err := range e.c.ArtifactFilePages(e.ctx, id, ArtifactFilesQuery{First: first}) {
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, page.Files...)
	}
	return files
}

var (
	demoModel   = wandbtest.DemoEntity + "/" + wandbtest.DemoProject + "/" + wandbtest.DemoModelArtifact
	demoDataset = wandbtest.DemoTeam + "/" + wandbtest.DemoTeamSmallProject + "/" + wandbtest.DemoDatasetArtifact
	demoRefs    = wandbtest.DemoEntity + "/" + wandbtest.DemoProject + "/" + wandbtest.DemoRefsArtifact
)

// TestArtifactByRef: a version is found by alias, version and URL, with
// its sequence's entity and project; unknown ones wrap
// ErrArtifactNotFound, and a URL of another type is refused.
func TestArtifactByRef(t *testing.T) {
	e := newArtEnv(t)
	best := e.artifact(t, demoModel+":best")
	if best.Version != 3 || !slices.Equal(best.Aliases, []string{"best"}) || best.Type != "model" ||
		best.Entity != wandbtest.DemoEntity || best.Project != wandbtest.DemoProject || best.Collection != wandbtest.DemoModelArtifact ||
		best.FileCount != 9 || best.Size <= 128<<20 || len(best.Digest) != 32 || best.ManifestURL == "" ||
		best.State != "COMMITTED" || best.CreatedAt.IsZero() || best.ID == "" {
		t.Errorf("model:best = %+v", best)
	}
	if best.Name() != wandbtest.DemoModelArtifact+":v3" || best.Ref().String() != demoModel+":v3" {
		t.Errorf("Name %q, Ref %q", best.Name(), best.Ref())
	}
	latest := e.artifact(t, demoModel+":latest")
	if latest.Version != wandbtest.DemoModelVersions-1 || !slices.Equal(latest.Aliases, []string{"latest"}) {
		t.Errorf("model:latest = v%d %v", latest.Version, latest.Aliases)
	}
	if v0 := e.artifact(t, demoModel+":v0"); v0.Version != 0 || len(v0.Aliases) != 0 {
		t.Errorf("model:v0 = v%d %v", v0.Version, v0.Aliases)
	}
	url := e.artifact(t, "https://wandb.ai/"+wandbtest.DemoTeam+"/"+wandbtest.DemoTeamSmallProject+"/artifacts/dataset/"+wandbtest.DemoDatasetArtifact+"/v0/files")
	if url.Version != 0 || url.Entity != wandbtest.DemoTeam || url.FileCount >= wandbtest.DemoDatasetFiles {
		t.Errorf("dataset URL: %+v", url)
	}
	byID, err := e.c.ArtifactByID(e.ctx, best.ID)
	if err != nil || byID.Version != 3 || byID.Entity != best.Entity || byID.Digest != best.Digest {
		t.Errorf("ArtifactByID: %+v, %v", byID, err)
	}
	for _, ref := range []string{demoModel + ":v99", demoModel + ":worst", wandbtest.DemoEntity + "/nope/m:latest", "nobody/x/m:latest"} {
		r, _ := ParseArtifactRef(ref, "")
		if _, err := e.c.Artifact(e.ctx, r); !errors.Is(err, ErrArtifactNotFound) || !strings.Contains(err.Error(), ref) {
			t.Errorf("Artifact(%s): %v; want ErrArtifactNotFound naming it", ref, err)
		}
	}
	if _, err := e.c.ArtifactByID(e.ctx, "QXJ0aWZhY3Q6MA=="); !errors.Is(err, ErrArtifactNotFound) {
		t.Errorf("ArtifactByID(unknown): %v", err)
	}
	r, _ := ParseArtifactRef("https://wandb.ai/"+wandbtest.DemoEntity+"/"+wandbtest.DemoProject+"/artifacts/dataset/"+wandbtest.DemoModelArtifact+"/v1", "")
	if _, err := e.c.Artifact(e.ctx, r); err == nil || !strings.Contains(err.Error(), "is a model artifact, not a dataset one") {
		t.Errorf("URL of the wrong type: %v", err)
	}
	if _, err := e.c.Artifact(e.ctx, ArtifactRef{Entity: "a", Project: "b", Name: "../m", Alias: "v1"}); !errors.Is(err, ErrInvalidArtifactRef) {
		t.Errorf("hostile ref: %v", err)
	}
}

// TestArtifactVersionsPaging: a collection's versions page newest first
// with their aliases and the total; page sizes are checked.
func TestArtifactVersionsPaging(t *testing.T) {
	e := newArtEnv(t)
	var got []string
	q := PageQuery{First: 2}
	for pages := 0; ; pages++ {
		p, err := e.c.ArtifactVersions(e.ctx, wandbtest.DemoEntity, wandbtest.DemoProject, wandbtest.DemoModelArtifact, q)
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != wandbtest.DemoModelVersions || len(p.Artifacts) > 2 {
			t.Fatalf("page %d: %d versions, total %d", pages, len(p.Artifacts), p.TotalCount)
		}
		for _, a := range p.Artifacts {
			got = append(got, fmt.Sprintf("%s %v", a.Name(), a.Aliases))
		}
		if !p.Info().HasNextPage {
			break
		}
		q.After = p.Info().EndCursor
	}
	want := []string{"llama-3.1-8b-lora:v4 [latest]", "llama-3.1-8b-lora:v3 [best]", "llama-3.1-8b-lora:v2 []",
		"llama-3.1-8b-lora:v1 []", "llama-3.1-8b-lora:v0 []"}
	if !slices.Equal(got, want) {
		t.Errorf("versions %q, want %q", got, want)
	}
	if _, err := e.c.ArtifactVersions(e.ctx, wandbtest.DemoEntity, wandbtest.DemoProject, "nope", PageQuery{}); !errors.Is(err, ErrArtifactNotFound) {
		t.Errorf("unknown collection: %v", err)
	}
	if _, err := e.c.ArtifactVersions(e.ctx, wandbtest.DemoEntity, wandbtest.DemoProject, wandbtest.DemoModelArtifact, PageQuery{First: MaxPageSize + 1}); err == nil {
		t.Error("a page of 1,001 versions was sent")
	}
}

// TestRunArtifacts: a run's logged versions page; its used ones say the
// project they live in, another entity's for the dataset.
func TestRunArtifacts(t *testing.T) {
	e := newArtEnv(t)
	run, _ := ParseRunRef(wandbtest.DemoRun, "")
	var logged []int
	q := PageQuery{First: 2}
	for {
		p, err := e.c.RunArtifacts(e.ctx, run, false, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Artifacts {
			if a.Collection != wandbtest.DemoModelArtifact {
				t.Errorf("logged %s", a.Name())
			}
			logged = append(logged, a.Version)
		}
		if !p.HasNextPage {
			break
		}
		q.After = p.EndCursor
	}
	if fmt.Sprint(logged) != "[0 1 2 3 4]" {
		t.Errorf("logged versions %v", logged)
	}
	used, err := e.c.RunArtifacts(e.ctx, run, true, PageQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, a := range used.Artifacts {
		where = append(where, a.Ref().String()+" "+a.Type)
	}
	slices.Sort(where)
	if want := []string{demoRefs + ":v0 dataset", demoDataset + ":v1 dataset"}; !slices.Equal(where, want) || used.TotalCount != 2 {
		t.Errorf("used %q (total %d), want %q", where, used.TotalCount, want)
	}
	if _, err := e.c.RunArtifacts(e.ctx, RunRef{Entity: "a", Project: "b", RunID: "c"}, true, PageQuery{}); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("unknown run: %v", err)
	}
}

// TestArtifactFilesPages: every file of the dataset once, in path order,
// with its artifact, digest and md5; names select exact paths; reference
// entries have their URI as Ref and no URL.
func TestArtifactFilesPages(t *testing.T) {
	e := newArtEnv(t)
	ds := e.artifact(t, demoDataset+":latest")
	files := e.allFiles(t, ds.ID, 1000)
	if len(files) != wandbtest.DemoDatasetFiles || len(files) != ds.FileCount {
		t.Fatalf("%d files, FileCount %d, want %d", len(files), ds.FileCount, wandbtest.DemoDatasetFiles)
	}
	for i, f := range files {
		if (i > 0 && f.Name <= files[i-1].Name) || f.ArtifactID != ds.ID || f.MD5 == "" || f.Digest != f.MD5 ||
			f.DirectURL == "" || f.URL != "" || f.IsReference() || f.SizeBytes <= 0 {
			t.Fatalf("file %d: %+v", i, f)
		}
	}
	p, err := e.c.ArtifactFiles(e.ctx, ds.ID, ArtifactFilesQuery{Names: []string{"README.md", "nope", "train/lima/de/part-00007.jsonl"}})
	if err != nil || len(p.Files) != 2 || p.Files[0].Name != "README.md" || p.HasNextPage {
		t.Errorf("by names: %+v, %v", p, err)
	}
	refs := e.artifact(t, demoRefs+":v0")
	var got []string
	for _, f := range e.allFiles(t, refs.ID, 3) {
		if f.IsReference() {
			if f.DirectURL != "" || f.MD5 != "" || f.Digest == "" {
				t.Errorf("reference %+v", f)
			}
			got = append(got, f.Ref[:strings.Index(f.Ref, ":")])
		}
	}
	slices.Sort(got)
	if fmt.Sprint(got) != "[file gs https s3 s3 s3]" {
		t.Errorf("reference schemes %v", got)
	}
	if _, err := e.c.ArtifactFiles(e.ctx, "QXJ0aWZhY3Q6MA==", ArtifactFilesQuery{}); !errors.Is(err, ErrArtifactNotFound) {
		t.Errorf("unknown artifact: %v", err)
	}
	if _, err := e.c.ArtifactFiles(e.ctx, ds.ID, ArtifactFilesQuery{First: MaxArtifactPageSize + 1}); err == nil {
		t.Error("a page over MaxArtifactPageSize was sent")
	}
	if p, err := e.c.ArtifactFiles(e.ctx, ds.ID, ArtifactFilesQuery{First: MaxArtifactPageSize}); err != nil || len(p.Files) != wandbtest.DemoDatasetFiles {
		t.Errorf("a page of %d: %d files, %v", MaxArtifactPageSize, len(p.Files), err)
	}
}

// TestArtifactManifestAgrees: the manifest lists what the pages list
// (paths, sizes, digests, references), its digest is the version's, and
// its totals count a folder and the references.
func TestArtifactManifestAgrees(t *testing.T) {
	e := newArtEnv(t)
	for _, ref := range []string{demoDataset + ":v1", demoRefs + ":latest", demoModel + ":best"} {
		info := e.artifact(t, ref)
		m, err := e.c.ArtifactManifest(e.ctx, info)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		files := e.allFiles(t, info.ID, 1000)
		if len(m.Entries) != len(files) || m.Version != 1 || m.StorageLayout != "V2" || m.Digest() != info.Digest {
			t.Fatalf("%s: %d entries (digest %s) vs %d files (digest %s)", ref, len(m.Entries), m.Digest(), len(files), info.Digest)
		}
		var size int64
		for i, f := range files {
			me := m.Entries[i]
			size += me.Size
			if me.Path != f.Name || me.Size != f.SizeBytes || me.Digest != f.Digest || me.Ref != f.Ref ||
				(me.Ref == "") == (me.BirthArtifactID == "") {
				t.Fatalf("%s: entry %+v, file %+v", ref, me, f)
			}
		}
		if size != info.Size {
			t.Errorf("%s: entries sum to %d bytes, the version says %d", ref, size, info.Size)
		}
		rows := m.Files(info.ID)
		if len(rows) != len(files) || rows[0].ArtifactID != info.ID || rows[0].DirectURL != "" {
			t.Errorf("%s: Files rows %+v", ref, rows[0])
		}
	}
	ds := e.artifact(t, demoDataset+":v1")
	m, _ := e.c.ArtifactManifest(e.ctx, ds)
	all, train := m.Totals(""), m.Totals("train/")
	if all.Files != wandbtest.DemoDatasetFiles || train.Files != 8*4*75 || all.References != 0 || train.Bytes <= 0 || train.Bytes >= all.Bytes {
		t.Errorf("totals %+v, train/ %+v", all, train)
	}
	v0 := e.artifact(t, demoDataset+":v0")
	if en, ok := m.Entry("train/alpaca/de/part-00001.jsonl"); !ok || en.BirthArtifactID != v0.ID {
		t.Errorf("an entry v1 kept from v0: %+v, want birth %s", en, v0.ID)
	}
	if en, ok := m.Entry("train/alpaca/ja/part-00001.jsonl"); !ok || en.BirthArtifactID != ds.ID {
		t.Errorf("an entry new in v1: %+v, want birth %s", en, ds.ID)
	}
	refs := e.artifact(t, demoRefs+":v0")
	mr, _ := e.c.ArtifactManifest(e.ctx, refs)
	if tot := mr.Totals(""); tot.Files != 2 || tot.References != wandbtest.DemoRefsEntries || tot.ReferenceBytes <= 0 {
		t.Errorf("refs totals %+v", tot)
	}
}

// TestArtifactFilesPagingFaults: a cursor that never advances stops the
// walk with ErrCursorStuck; errors beside a page are its warnings.
func TestArtifactFilesPagingFaults(t *testing.T) {
	e := newArtEnv(t)
	ds := e.artifact(t, demoDataset+":v1")
	e.srv.SetPagingFaults(wandbtest.PagingFaults{StuckCursor: true, Only: wandbtest.ArtifactFilesConnection})
	pages := 0
	var last error
	for _, err := range e.c.ArtifactFilePages(e.ctx, ds.ID, ArtifactFilesQuery{First: 100}) {
		pages++
		last = err
	}
	if !errors.Is(last, ErrCursorStuck) || pages > 3 {
		t.Errorf("stuck cursor: %d pages, last error %v", pages, last)
	}
	e.srv.SetPagingFaults(wandbtest.PagingFaults{ErrorWithData: "shard 7 unavailable", Only: wandbtest.ArtifactFilesConnection})
	p, err := e.c.ArtifactFiles(e.ctx, ds.ID, ArtifactFilesQuery{First: 10})
	if err != nil || len(p.Files) != 10 || !slices.Equal(p.Warnings, []string{"shard 7 unavailable"}) {
		t.Errorf("error beside the page: %d files, warnings %q, %v", len(p.Files), p.Warnings, err)
	}
	// Run files are not touched by a fault for artifact files.
	run, _ := ParseRunRef(wandbtest.DemoRun, "")
	if p, err := e.c.Files(e.ctx, run, FilesQuery{First: 5}); err != nil || len(p.Warnings) != 0 {
		t.Errorf("run files: %v, %v", p.Warnings, err)
	}
}
