package wandb

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// source is the TUI's Source (tui/source.go), which the listing must
// implement unchanged.
type source interface {
	Files(ctx context.Context, run RunRef, q FilesQuery) (FilesPage, error)
	FilePages(ctx context.Context, run RunRef, q FilesQuery) iter.Seq2[FilesPage, error]
	Preview(ctx context.Context, f File, max int64) ([]byte, bool, error)
}

var _ source = (*ArtifactListing)(nil)

// listAll walks every page of q and returns the names in order and the
// number of pages.
func listAll(t testing.TB, ctx context.Context, l *ArtifactListing, q FilesQuery) ([]string, int) {
	t.Helper()
	var names []string
	pages := 0
	for page, err := range l.FilePages(ctx, RunRef{}, q) {
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		pages++
		for _, f := range page.Files {
			names = append(names, f.Name)
		}
	}
	return names, pages
}

// manifestPaths returns the paths of m that keep says to, in order.
func manifestPaths(m Manifest, keep func(string) bool) []string {
	var out []string
	for _, e := range m.Entries {
		if keep(e.Path) {
			out = append(out, e.Path)
		}
	}
	return out
}

// TestArtifactListingFolders: the folder view's patterns (an escaped
// folder and %), a glob's and case-insensitive ones select from the
// manifest what the server's LIKE would, with the server's rows.
func TestArtifactListingFolders(t *testing.T) {
	e := newArtEnv(t)
	ds := e.artifact(t, demoDataset+":v1")
	l := e.c.ArtifactListing(ds)
	m, err := e.c.ArtifactManifest(e.ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	under := func(prefix string) func(string) bool {
		return func(p string) bool { return strings.HasPrefix(p, prefix) }
	}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{EscapeLike("train/") + "%", manifestPaths(m, under("train/"))},
		{EscapeLike("train/lima/de/") + "%", manifestPaths(m, under("train/lima/de/"))},
		{"TRAIN/LIMA/DE/%", manifestPaths(m, under("train/lima/de/"))},
		{GlobToLike("*.json"), []string{"dataset_info.json"}},
		{"%.JSON", []string{"dataset_info.json"}},
		{EscapeLike("dataset_info") + "%", []string{"dataset_info.json"}},
		{"%/part-0000_.jsonl", manifestPaths(m, func(p string) bool {
			return strings.HasSuffix(p, ".jsonl") && p[len(p)-len("part-00000.jsonl"):][:9] == "part-0000"
		})},
		{GlobToLike("token"), []string{"stats/token_counts.csv"}},
		{EscapeLike("nowhere/") + "%", nil},
	} {
		got, _ := listAll(t, e.ctx, l, FilesQuery{First: 100, Pattern: tc.pattern})
		if !slices.Equal(got, tc.want) || (len(tc.want) == 0) != (len(got) == 0) {
			t.Errorf("%q: %d files (%.3q…), want %d", tc.pattern, len(got), got, len(tc.want))
		}
	}
	if n := len(manifestPaths(m, under("train/"))); n != 8*4*75 {
		t.Fatalf("train/ holds %d files", n)
	}
	tot, err := l.Totals(e.ctx, "train/")
	if err != nil || tot.Files != 8*4*75 || tot.Bytes <= 0 || tot.References != 0 {
		t.Errorf("Totals(train/) = %+v, %v", tot, err)
	}

	page, err := l.Files(e.ctx, RunRef{}, FilesQuery{Pattern: EscapeLike("validation/dolly/") + "%"})
	if err != nil || len(page.Files) != 4*8 || page.HasNextPage || page.EndCursor == "" {
		t.Fatalf("validation/dolly/: %d files, more %v, cursor %q, %v", len(page.Files), page.HasNextPage, page.EndCursor, err)
	}
	v0 := e.artifact(t, demoDataset+":v0")
	for _, f := range page.Files {
		en, _ := m.Entry(f.Name)
		if f.ArtifactID != ds.ID || f.ID == "" || f.DirectURL == "" || f.MD5 == "" || f.MD5 != en.Digest || f.Digest != en.Digest ||
			f.SizeBytes != en.Size || f.UpdatedAt.IsZero() || f.Mimetype == "" || f.IsReference() ||
			f.BirthArtifactID != en.BirthArtifactID || (f.BirthArtifactID != ds.ID && f.BirthArtifactID != v0.ID) {
			t.Fatalf("row %+v, entry %+v", f, en)
		}
	}
}

// TestArtifactListingEscapes: an escaped _ or % is literal, an unescaped
// one a wildcard, and case and non-ASCII names match as the server's
// LIKE, in an artifact made for it.
func TestArtifactListingEscapes(t *testing.T) {
	e := newArtEnv(t)
	paths := []string{"100%/a.json", "100x/b.json", "Images/UPPER.PNG", "images/lower.png", "imagesX/c.png",
		"my_run/a.txt", "myXrun/b.txt", "日本語/データ 1%.csv", "ÉTÉ/x.txt"}
	spec := wandbtest.ArtifactSpec{Entity: wandbtest.DemoEntity, Project: wandbtest.DemoProject, Name: "escapes", Type: "dataset",
		Versions: []wandbtest.ArtifactVersion{{}}}
	for _, p := range paths {
		spec.Versions[0].Files = append(spec.Versions[0].Files, wandbtest.ArtifactFile{Path: p, Content: []byte(p)})
	}
	if err := e.srv.AddArtifact(spec); err != nil {
		t.Fatal(err)
	}
	l := e.c.ArtifactListing(e.artifact(t, wandbtest.DemoEntity+"/"+wandbtest.DemoProject+"/escapes:v0"))
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{EscapeLike("my_run/") + "%", []string{"my_run/a.txt"}},
		{"my_run/%", []string{"myXrun/b.txt", "my_run/a.txt"}},
		{EscapeLike("100%/") + "%", []string{"100%/a.json"}},
		{"100%/%", []string{"100%/a.json", "100x/b.json"}},
		{EscapeLike("images/") + "%", []string{"Images/UPPER.PNG", "images/lower.png"}},
		{"%.png", []string{"Images/UPPER.PNG", "images/lower.png", "imagesX/c.png"}},
		{EscapeLike("日本語/") + "%", []string{"日本語/データ 1%.csv"}},
		{"%データ _" + EscapeLike("%") + ".csv", []string{"日本語/データ 1%.csv"}},
		{"été/%", []string{"ÉTÉ/x.txt"}},
		{"___/x.txt", []string{"ÉTÉ/x.txt"}},
	} {
		got, _ := listAll(t, e.ctx, l, FilesQuery{First: 1, Pattern: tc.pattern})
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.pattern, got, tc.want)
		}
	}
}

// TestArtifactListingPaging: every page size walks all 2,787 files in
// path order with no duplicate and no gap, for one manifest fetch and one
// files request a page; the last page says so, and the cursors are the
// listing's own.
func TestArtifactListingPaging(t *testing.T) {
	e := newArtEnv(t)
	ds := e.artifact(t, demoDataset+":v1")
	m, err := e.c.ArtifactManifest(e.ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	all := manifestPaths(m, func(string) bool { return true })
	if len(all) != wandbtest.DemoDatasetFiles {
		t.Fatalf("the manifest has %d paths", len(all))
	}
	for _, first := range []int{0, 1000, 333} {
		l := e.c.ArtifactListing(ds)
		e.srv.ResetStats()
		got, pages := listAll(t, e.ctx, l, FilesQuery{First: first})
		st := e.srv.Stats()
		size := max(first, DefaultPageSize)
		wantPages := (len(all) + size - 1) / size
		if !slices.Equal(got, all) || pages != wantPages {
			t.Errorf("First %d: %d names in %d pages, want %d in %d", first, len(got), pages, len(all), wantPages)
		}
		if st.StorageRequests != 1 || st.GraphQLRequests != int64(pages) {
			t.Errorf("First %d: %d storage and %d GraphQL requests for %d pages; want 1 manifest and one a page",
				first, st.StorageRequests, st.GraphQLRequests, pages)
		}
		t.Logf("First %d: %d pages, %d GraphQL + %d storage requests", first, pages, st.GraphQLRequests, st.StorageRequests)
		// Once fetched, the manifest is kept: counting a folder asks nothing.
		if _, err := l.Totals(e.ctx, "test/"); err != nil || e.srv.Stats() != st {
			t.Errorf("Totals after the walk: %v, requests %+v then %+v", err, st, e.srv.Stats())
		}
	}

	// Page by page by hand, a folder: the cursor moves on, the last page
	// says it is the last.
	l := e.c.ArtifactListing(ds)
	q := FilesQuery{First: 7, Pattern: EscapeLike("test/alpaca/") + "%"}
	var got []string
	for i := 0; ; i++ {
		page, err := l.Files(e.ctx, RunRef{}, q)
		if err != nil || i > 10 {
			t.Fatalf("page %d: %v", i, err)
		}
		for _, f := range page.Files {
			got = append(got, f.Name)
		}
		if !page.HasNextPage {
			if len(got) != 4*4 || len(page.Files) != 2 {
				t.Errorf("%d files, last page %d", len(got), len(page.Files))
			}
			break
		}
		if page.EndCursor == q.After || len(page.Files) != 7 {
			t.Fatalf("page %d: %d files, cursor %q after %q", i, len(page.Files), page.EndCursor, q.After)
		}
		q.After = page.EndCursor
	}

	// An empty selection asks nothing beyond the manifest.
	e.srv.ResetStats()
	if p, err := l.Files(e.ctx, RunRef{}, FilesQuery{Pattern: "nothing%"}); err != nil || len(p.Files) != 0 || p.HasNextPage ||
		e.srv.Stats().GraphQLRequests != 0 {
		t.Errorf("no match: %+v, %v, %+v", p, err, e.srv.Stats())
	}
	server, err := e.c.ArtifactFiles(e.ctx, ds.ID, ArtifactFilesQuery{First: 1})
	if err != nil || server.EndCursor == "" {
		t.Fatalf("a server's cursor: %+v, %v", server, err)
	}
	for _, bad := range []FilesQuery{
		{After: "not a cursor"},
		{After: server.EndCursor},
		{First: MaxPageSize + 1},
		{Names: []string{"a"}, Pattern: "%"},
	} {
		if _, err := l.Files(e.ctx, RunRef{}, bad); err == nil {
			t.Errorf("%+v was taken", bad)
		}
	}
}

// TestArtifactListingNames: exact paths, in path order whatever order
// they were asked in, each once, unknown ones left out, paged.
func TestArtifactListingNames(t *testing.T) {
	e := newArtEnv(t)
	l := e.c.ArtifactListing(e.artifact(t, demoDataset+":v1"))
	names := []string{"train/lima/de/part-00007.jsonl", "README.md", "nope", "readme.md", "README.md", "stats/token_counts.csv"}
	got, pages := listAll(t, e.ctx, l, FilesQuery{First: 2, Names: names})
	want := []string{"README.md", "stats/token_counts.csv", "train/lima/de/part-00007.jsonl"}
	if !slices.Equal(got, want) || pages != 2 {
		t.Errorf("names: %q in %d pages, want %q in 2", got, pages, want)
	}
	p, err := l.Files(e.ctx, RunRef{}, FilesQuery{Names: []string{"README.md"}})
	if err != nil || len(p.Files) != 1 || p.HasNextPage || p.Files[0].DirectURL == "" {
		t.Errorf("one name: %+v, %v", p, err)
	}
}

// TestArtifactListingReferences: reference entries are listed, marked
// with their URI and without a URL, counted apart, and never previewed;
// the manifest marks one the server's row does not.
func TestArtifactListingReferences(t *testing.T) {
	e := newArtEnv(t)
	refs := e.artifact(t, demoRefs+":v0")
	l := e.c.ArtifactListing(refs)
	page, err := l.Files(e.ctx, RunRef{}, FilesQuery{})
	if err != nil || len(page.Files) != 2+wandbtest.DemoRefsEntries {
		t.Fatalf("%d files, %v", len(page.Files), err)
	}
	var schemes []string
	for _, f := range page.Files {
		switch {
		case f.IsReference():
			if f.DirectURL != "" || f.URL != "" || f.MD5 != "" || f.Digest == "" || f.BirthArtifactID != "" {
				t.Errorf("reference %+v", f)
			}
			scheme, _, _ := strings.Cut(f.Ref, ":")
			schemes = append(schemes, scheme)
			e.srv.ResetStats()
			if _, _, err := l.Preview(e.ctx, f, 100); !errors.Is(err, ErrReference) || e.srv.Stats() != (wandbtest.Stats{}) {
				t.Errorf("preview of %s: %v, %+v", f.Name, err, e.srv.Stats())
			}
		case f.DirectURL == "" || f.MD5 == "" || f.BirthArtifactID != refs.ID:
			t.Errorf("stored %+v", f)
		}
	}
	slices.Sort(schemes)
	if strings.Join(schemes, " ") != "file gs https s3 s3 s3" {
		t.Errorf("reference schemes %q", schemes)
	}
	if tot, err := l.Totals(e.ctx, ""); err != nil || tot.Files != 2 || tot.References != wandbtest.DemoRefsEntries {
		t.Errorf("totals %+v, %v", tot, err)
	}
	hs, err := l.Files(e.ctx, RunRef{}, FilesQuery{Pattern: "hellaswag/%"})
	if err != nil || len(hs.Files) != 2 || !hs.Files[0].IsReference() || !hs.Files[1].IsReference() {
		t.Errorf("hellaswag/: %+v, %v", hs, err)
	}

	// A server row that does not say it is a reference.
	row := File{Name: "mmlu/test.parquet", DirectURL: "https://storage.example/x?sig=1", PathURI: "s3://x/y", SizeBytes: -1, MD5: "bWQ1"}
	f := withManifestEntry(row, ManifestEntry{Path: row.Name, Digest: "etag", Size: 9, Ref: "s3://bucket/mmlu"}, "A1")
	if !f.IsReference() || f.Ref != "s3://bucket/mmlu" || f.DirectURL != "" || f.PathURI != "" || f.MD5 != "" ||
		f.Digest != "etag" || f.SizeBytes != 9 || f.ArtifactID != "A1" {
		t.Errorf("a reference the server did not mark: %+v", f)
	}
}

// TestArtifactListingManifestRefused: a manifest the storage host
// refuses fails the listing with a clear error, which is not kept: the
// next call fetches again and succeeds.
func TestArtifactListingManifestRefused(t *testing.T) {
	e := newArtEnv(t)
	e.srv.SetURLLifetime(-time.Hour) // every signed URL handed out has expired
	ds := e.artifact(t, demoDataset+":v1")
	l := e.c.ArtifactListing(ds)
	_, err := l.Files(e.ctx, RunRef{}, FilesQuery{})
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	t.Logf("refused: %v", err)
	for _, want := range []string{"cannot list the files without the manifest", "manifest of " + wandbtest.DemoDatasetArtifact + ":v1", "403", "also with a fresh URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "://") {
		t.Errorf("the error shows a signed URL: %s", msg)
	}
	if _, err := l.Totals(e.ctx, ""); err == nil {
		t.Error("Totals without a manifest")
	}
	e.srv.SetURLLifetime(0)
	page, err := l.Files(e.ctx, RunRef{}, FilesQuery{})
	if err != nil || len(page.Files) != DefaultPageSize {
		t.Errorf("after the storage host took URLs again: %d files, %v", len(page.Files), err)
	}

	// No id: nothing to ask for.
	if _, err := e.c.ArtifactListing(ArtifactInfo{}).Files(e.ctx, RunRef{}, FilesQuery{}); !errors.Is(err, ErrArtifactNotFound) {
		t.Errorf("no id: %v", err)
	}
}

// TestArtifactListingConcurrent: callers at once share one manifest
// fetch; one whose context ends does not spoil the others' fetch.
func TestArtifactListingConcurrent(t *testing.T) {
	e := newArtEnv(t)
	ds := e.artifact(t, demoDataset+":v1")
	e.srv.SetFaults(wandbtest.Storage, wandbtest.Faults{Latency: 50 * time.Millisecond})
	l := e.c.ArtifactListing(ds)
	e.srv.ResetStats()
	cancelled, cancel := context.WithCancel(e.ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			ctx := e.ctx
			if i == 0 {
				ctx = cancelled
			}
			_, errs[i] = l.Files(ctx, RunRef{}, FilesQuery{Pattern: EscapeLike("train/") + "%", First: 10})
		})
		if i == 0 {
			time.Sleep(10 * time.Millisecond) // the cancelled caller fetches first
			cancel()
		}
	}
	wg.Wait()
	if !errors.Is(errs[0], context.Canceled) {
		t.Errorf("the cancelled caller: %v", errs[0])
	}
	for i, err := range errs[1:] {
		if err != nil {
			t.Errorf("caller %d: %v", i+1, err)
		}
	}
	if st := e.srv.Stats(); st.StorageRequests > 2 || st.GraphQLRequests != 7 {
		t.Errorf("%d manifest fetches, %d files requests for 7 pages (the first caller's fetch was cancelled)", st.StorageRequests, st.GraphQLRequests)
	}
}

// TestArtifactListingPreview: a row's preview comes from its signed URL,
// and a row without one (a manifest's) is asked for.
func TestArtifactListingPreview(t *testing.T) {
	e := newArtEnv(t)
	l := e.c.ArtifactListing(e.artifact(t, demoDataset+":v1"))
	p, err := l.Files(e.ctx, RunRef{}, FilesQuery{Names: []string{"README.md"}})
	if err != nil || len(p.Files) != 1 {
		t.Fatalf("README.md: %+v, %v", p, err)
	}
	f := p.Files[0]
	body, more, err := l.Preview(e.ctx, f, 10)
	if err != nil || string(body) != "# instruct" || !more {
		t.Errorf("preview %q, %v, %v", body, more, err)
	}
	bare := f
	bare.URL, bare.DirectURL, bare.ArtifactID = "", "", ""
	if body, _, err := l.Preview(e.ctx, bare, 5); err != nil || string(body) != "# ins" {
		t.Errorf("a row without URL: %q, %v", body, err)
	}
}
