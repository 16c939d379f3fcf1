package wandbtest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// artDemo starts the demo server for a test.
func artDemo(t *testing.T) *Server {
	t.Helper()
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// mustGQL runs a query and returns data, failing on any error.
func mustGQL(t *testing.T, s *Server, q string, vars map[string]any) map[string]any {
	t.Helper()
	return sdkGQL(t, s, q, vars)
}

// artifactID returns the id of entity/project/name:alias.
func artifactID(t *testing.T, s *Server, entity, project, name string) string {
	t.Helper()
	d := mustGQL(t, s, `query($e: String!, $p: String!, $n: String!) { project(entityName: $e, name: $p) { artifact(name: $n) { id } } }`,
		map[string]any{"e": entity, "p": project, "n": name})
	id, _ := dig(d, "project", "artifact", "id").(string)
	if id == "" {
		t.Fatalf("%s/%s/%s not found: %v", entity, project, name, d)
	}
	return id
}

// artNode is an artifact file as the files connection lists it.
type artNode struct {
	Name, DirectURL, Digest string
	URL, MD5                *string
	SizeBytes               int64
	IsReference             bool
}

// listArtifact walks every page of an artifact's files, first at a time.
func listArtifact(t *testing.T, s *Server, id string, first int) ([]artNode, int) {
	t.Helper()
	const q = `query($id: ID!, $after: String, $first: Int) { artifact(id: $id) { files(after: $after, first: $first) {
  totalCount edges { cursor node { name directUrl digest url md5 sizeBytes isReference } } pageInfo { endCursor hasNextPage } } } }`
	var out []artNode
	var after any
	total := -1
	for pages := 0; ; pages++ {
		st, body := gql(t, s, q, map[string]any{"id": id, "after": after, "first": first})
		var resp struct {
			Data struct {
				Artifact struct {
					Files struct {
						TotalCount int
						Edges      []struct{ Node artNode }
						PageInfo   struct {
							EndCursor   string
							HasNextPage bool
						}
					}
				}
			}
			Errors []any
		}
		if err := json.Unmarshal([]byte(body), &resp); err != nil || st != 200 || resp.Errors != nil {
			t.Fatalf("status %d, %v: %.300s", st, err, body)
		}
		f := resp.Data.Artifact.Files
		total = f.TotalCount
		for _, e := range f.Edges {
			out = append(out, e.Node)
		}
		if !f.PageInfo.HasNextPage {
			return out, total
		}
		if pages > 100 {
			t.Fatal("more than 100 pages")
		}
		after = f.PageInfo.EndCursor
	}
}

// manifestOf fetches and parses an artifact's manifest from its URL.
func manifestOf(t *testing.T, s *Server, id string) (map[string]map[string]any, map[string]any) {
	t.Helper()
	d := mustGQL(t, s, sdkFetchArtifactManifest, map[string]any{"id": id})
	u, _ := dig(d, "artifact", "currentManifest", "file", "directUrl").(string)
	st, body := artGet(t, u, "")
	if st != http.StatusOK {
		t.Fatalf("manifest: HTTP %d: %s", st, body)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	contents := map[string]map[string]any{}
	for k, v := range doc["contents"].(map[string]any) {
		contents[k] = v.(map[string]any)
	}
	return contents, doc
}

// artGet fetches u, with basic auth when key is set, and returns the status
// and the body.
func artGet(t *testing.T, u, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.SetBasicAuth("api", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestArtifactFilesPaging: the dataset's files page by path in any page
// size, each once, with totalCount; names select exact paths; a page
// larger than the limit is refused.
func TestArtifactFilesPaging(t *testing.T) {
	s := artDemo(t)
	id := artifactID(t, s, DemoTeam, DemoTeamSmallProject, DemoDatasetArtifact+":latest")
	for _, first := range []int{1000, 777, 5000} {
		files, total := listArtifact(t, s, id, first)
		if total != DemoDatasetFiles || len(files) != DemoDatasetFiles {
			t.Fatalf("first %d: %d files, totalCount %d; want %d", first, len(files), total, DemoDatasetFiles)
		}
		if !sort.SliceIsSorted(files, func(i, j int) bool { return files[i].Name < files[j].Name }) {
			t.Errorf("first %d: not in path order", first)
		}
		for i := 1; i < len(files); i++ {
			if files[i].Name == files[i-1].Name {
				t.Fatalf("first %d: %s twice", first, files[i].Name)
			}
		}
	}
	d := mustGQL(t, s, `query($id: ID!) { artifact(id: $id) { files(names: ["test/lima/ja/part-00003.jsonl", "nope", "README.md", "README.md"], first: 1) {
  totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } } }`, map[string]any{"id": id})
	f := dig(d, "artifact", "files")
	if e := asList(dig(f, "edges")); len(e) != 1 || dig(e[0], "node", "name") != "README.md" || dig(f, "totalCount") != 2.0 || dig(f, "pageInfo", "hasNextPage") != true {
		t.Errorf("names, first 1: %v", f)
	}
	st, body := gql(t, s, `query($id: ID!) { artifact(id: $id) { files(first: 10001) { edges { cursor } } } }`, map[string]any{"id": id})
	if st != 200 || !strings.Contains(body, "first must be between 0 and 10000") || !strings.Contains(body, `"files":null`) {
		t.Errorf("first 10001: %d %s", st, body)
	}
	st, body = gql(t, s, `query($id: ID!) { artifact(id: $id) { files(after: "bogus") { edges { cursor } } } }`, map[string]any{"id": id})
	if st != 200 || !strings.Contains(body, "invalid cursor") {
		t.Errorf("bad cursor: %d %s", st, body)
	}
}

// TestArtifactManifestAgrees: each demo version's manifest lists what its
// files connection lists (path, size, digest; references with their URI),
// unchanged entries name the version that stored them, and the version's
// digest is the SDK's digest of its manifest.
func TestArtifactManifestAgrees(t *testing.T) {
	s := artDemo(t)
	for _, a := range DemoArtifacts() {
		for i := range a.Versions {
			name := fmt.Sprintf("%s:v%d", a.Name, i)
			id := artifactID(t, s, a.Entity, a.Project, name)
			files, _ := listArtifact(t, s, id, 1000)
			contents, doc := manifestOf(t, s, id)
			if doc["version"] != 1.0 || doc["storagePolicy"] != "wandb-storage-policy-v1" || len(contents) != len(files) {
				t.Fatalf("%s: manifest %v with %d entries, %d files listed", name, doc["version"], len(contents), len(files))
			}
			paths := make([]string, 0, len(files))
			for _, f := range files {
				e := contents[f.Name]
				paths = append(paths, f.Name)
				if e == nil || e["size"] != float64(f.SizeBytes) || e["digest"] != f.Digest {
					t.Fatalf("%s %s: manifest %v, listed %+v", name, f.Name, e, f)
				}
				ref, _ := e["ref"].(string)
				if f.IsReference != (ref != "") || (ref != "" && (f.DirectURL != ref || f.MD5 != nil || f.URL != nil)) {
					t.Errorf("%s %s: reference %q listed as %+v", name, f.Name, ref, f)
				}
				if !f.IsReference && (f.MD5 == nil || *f.MD5 != f.Digest || e["birthArtifactID"] == nil) {
					t.Errorf("%s %s: stored entry %v listed as %+v", name, f.Name, e, f)
				}
			}
			sort.Strings(paths)
			h := md5.New()
			io.WriteString(h, "wandb-artifact-manifest-v1\n")
			for _, p := range paths {
				fmt.Fprintf(h, "%s:%s\n", p, contents[p]["digest"])
			}
			got := mustGQL(t, s, `query($id: ID!) { artifact(id: $id) { digest currentManifest { digest } } }`, map[string]any{"id": id})
			if want := hex.EncodeToString(h.Sum(nil)); dig(got, "artifact", "digest") != want || dig(got, "artifact", "currentManifest", "digest") != want {
				t.Errorf("%s: digest %v, want %s", name, got, want)
			}
		}
	}
	// The dataset's v1 keeps v0's files: they were born in v0.
	v0 := artifactID(t, s, DemoTeam, DemoTeamSmallProject, DemoDatasetArtifact+":v0")
	v1 := artifactID(t, s, DemoTeam, DemoTeamSmallProject, DemoDatasetArtifact+":v1")
	m1, _ := manifestOf(t, s, v1)
	for _, c := range []struct{ path, birth string }{
		{"train/alpaca/en/part-00000.jsonl", v0}, {"train/alpaca/fr/part-00000.jsonl", v1},
		{"dataset_info.json", v0}, {"README.md", v1}, {"stats/token_counts.csv", v1},
	} {
		if got := m1[c.path]["birthArtifactID"]; got != c.birth {
			t.Errorf("%s: birthArtifactID %v, want %s", c.path, got, c.birth)
		}
	}
}

// TestArtifactBodies: a stored entry's directUrl serves its bytes without
// credentials (and refuses them), its url serves them on the API host
// with the key only; a reference is served by nobody here.
func TestArtifactBodies(t *testing.T) {
	s := artDemo(t)
	id := artifactID(t, s, DemoEntity, DemoProject, DemoRefsArtifact+":latest")
	files, _ := listArtifact(t, s, id, 50)
	var stored, refs int
	for _, f := range files {
		if f.IsReference {
			refs++
			if strings.HasPrefix(f.DirectURL, s.StorageURL()) || strings.HasPrefix(f.DirectURL, s.URL()) {
				t.Errorf("reference %s has a URL here: %s", f.Name, f.DirectURL)
			}
			continue
		}
		stored++
		st, body := artGet(t, f.DirectURL, "")
		sum := md5.Sum([]byte(body))
		if st != 200 || base64.StdEncoding.EncodeToString(sum[:]) != *f.MD5 {
			t.Errorf("%s: HTTP %d, md5 %x, want %s", f.Name, st, sum, *f.MD5)
		}
		if st, _ := artGet(t, f.DirectURL, s.APIKey()); st != http.StatusForbidden {
			t.Errorf("%s: storage answered %d to a request with the key; want 403", f.Name, st)
		}
		if st, b := artGet(t, *f.URL, s.APIKey()); st != 200 || b != body {
			t.Errorf("%s url: HTTP %d, same body %v", f.Name, st, b == body)
		}
		if st, _ := artGet(t, *f.URL, ""); st != http.StatusUnauthorized {
			t.Errorf("%s url without the key: HTTP %d, want 401", f.Name, st)
		}
	}
	if stored != 2 || refs != DemoRefsEntries {
		t.Errorf("%d stored, %d references; want 2 and %d", stored, refs, DemoRefsEntries)
	}
}

// TestURLLifetime: with SetURLLifetime(-1) the storage refuses the URLs
// handed out (entries, manifests, run files) as expired; URLs asked for
// again after SetURLLifetime(0) work; a positive lifetime is signed.
func TestURLLifetime(t *testing.T) {
	s := artDemo(t)
	id := artifactID(t, s, DemoEntity, DemoProject, DemoModelArtifact+":best")
	const q = `query($id: ID!, $e: String!, $p: String!) { artifact(id: $id) { currentManifest { file { directUrl } }
  files(names: ["README.md"]) { edges { node { directUrl } } } }
  project(entityName: $e, name: $p) { run(name: "3k9x2p7q") { files(names: ["config.yaml"]) { edges { node { directUrl } } } } } }`
	urls := func() []string {
		d := mustGQL(t, s, q, map[string]any{"id": id, "e": DemoEntity, "p": DemoProject})
		return []string{
			dig(d, "artifact", "currentManifest", "file", "directUrl").(string),
			dig(asList(dig(d, "artifact", "files", "edges"))[0], "node", "directUrl").(string),
			dig(asList(dig(d, "project", "run", "files", "edges"))[0], "node", "directUrl").(string),
		}
	}
	s.SetURLLifetime(-1)
	expired := urls()
	s.SetURLLifetime(0)
	fresh := urls()
	for i := range expired {
		if st, body := artGet(t, expired[i], ""); st != http.StatusForbidden || !strings.Contains(body, "ExpiredToken") {
			t.Errorf("expired URL %d: HTTP %d %s", i, st, body)
		}
		if st, _ := artGet(t, fresh[i], ""); st != http.StatusOK {
			t.Errorf("fresh URL %d: HTTP %d", i, st)
		}
	}
	s.SetURLLifetime(3 * time.Second)
	if u := urls()[1]; !strings.Contains(u, "X-Goog-Expires=4&") {
		t.Errorf("3 s lifetime signs %s", u)
	}
}

// TestArtifactLookups: a version is found by alias, vN, commit hash and
// digest, "latest" is the last, a name without alias means latest, an
// alias claimed twice stays with the later version, and unknown names are
// null without errors.
func TestArtifactLookups(t *testing.T) {
	s := startTest(t, RunSpec{Entity: "e", Project: "p", ID: "r1"})
	err := s.AddArtifact(ArtifactSpec{Entity: "e", Project: "p", Name: "m", Type: "model", Versions: []ArtifactVersion{
		{Aliases: []string{"best", "prod"}, LoggedBy: "e/p/r1", Files: []ArtifactFile{{Path: "w", Size: 10}}},
		{Aliases: []string{"best"}, LoggedBy: "e/p/r1", Files: []ArtifactFile{{Path: "w", Size: 10}}},
		{LoggedBy: "e/p/r1", Files: []ArtifactFile{{Path: "w", Size: 10, Rev: 1}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	const q = `query($n: String!) { project(entityName: "e", name: "p") { artifact(name: $n) { versionIndex commitHash digest aliases { alias } } } }`
	version := func(name string) any {
		return dig(mustGQL(t, s, q, map[string]any{"n": name}), "project", "artifact", "versionIndex")
	}
	v1 := dig(mustGQL(t, s, q, map[string]any{"n": "m:v1"}), "project", "artifact")
	v2 := dig(mustGQL(t, s, q, map[string]any{"n": "m:v2"}), "project", "artifact")
	for name, want := range map[string]any{
		"m:best": 1.0, "m:prod": 0.0, "m:latest": 2.0, "m": 2.0, "m:v0": 0.0, "m:v2": 2.0,
		"m:" + dig(v1, "commitHash").(string): 1.0, "m:" + dig(v2, "digest").(string): 2.0,
		"m:v3": nil, "m:nope": nil, "other:latest": nil,
	} {
		if got := version(name); got != want {
			t.Errorf("%s: versionIndex %v, want %v", name, got, want)
		}
	}
	var aliases []string
	for _, a := range asList(dig(v1, "aliases")) {
		aliases = append(aliases, dig(a, "alias").(string))
	}
	if !slices.Equal(aliases, []string{"best", "v1"}) {
		t.Errorf("v1 aliases %v, want best and v1", aliases)
	}
	// v1 keeps v0's bytes of "w", v2 (another Rev) has its own.
	d0, d1, d2 := dig(mustGQL(t, s, q, map[string]any{"n": "m:v0"}), "project", "artifact", "digest"), dig(v1, "digest"), dig(v2, "digest")
	if d0 != d1 || d1 == d2 {
		t.Errorf("digests v0 %v, v1 %v, v2 %v: want v0 = v1 ≠ v2", d0, d1, d2)
	}
	for _, bad := range []ArtifactSpec{
		{Entity: "e", Project: "p", Name: "x", Type: "t", Versions: []ArtifactVersion{{Aliases: []string{"latest"}}}},
		{Entity: "e", Project: "p", Name: "x", Type: "t", Versions: []ArtifactVersion{{Aliases: []string{"v0"}}}},
		{Entity: "e", Project: "p", Name: "x", Type: "t", Versions: []ArtifactVersion{{Files: []ArtifactFile{{Path: "a"}, {Path: "a"}}}}},
		{Entity: "e", Project: "p", Name: "x:y", Type: "t"},
		{Entity: "e", Project: "p", Name: "x"},
	} {
		if err := s.AddArtifact(bad); err == nil {
			t.Errorf("AddArtifact(%+v) took it", bad)
		}
	}
}

// TestRunArtifactsPaging: a run's logged and used versions page with
// totalCount; a used version of another entity's project names its own
// sequence and project.
func TestRunArtifactsPaging(t *testing.T) {
	s := artDemo(t)
	const q = `query($f: Int, $a: String) { project(entityName: "wbfiles-demo", name: "llama-finetune") { run(name: "3k9x2p7q") {
  outputArtifacts(first: $f, after: $a) { totalCount edges { node { versionIndex } } pageInfo { endCursor hasNextPage } }
  inputArtifacts { totalCount edges { usedAs node { artifactSequence { name project { entityName name } } } } } } } }`
	var got []any
	var after any
	for range DemoModelVersions + 1 {
		d := mustGQL(t, s, q, map[string]any{"f": 2, "a": after})
		out := dig(d, "project", "run", "outputArtifacts")
		for _, e := range asList(dig(out, "edges")) {
			got = append(got, dig(e, "node", "versionIndex"))
		}
		if dig(out, "totalCount") != float64(DemoModelVersions) {
			t.Fatalf("totalCount %v", dig(out, "totalCount"))
		}
		in := asList(dig(d, "project", "run", "inputArtifacts", "edges"))
		var where []string
		for _, e := range in {
			where = append(where, fmt.Sprint(dig(e, "node", "artifactSequence", "project", "entityName"), "/", dig(e, "node", "artifactSequence", "name")))
		}
		slices.Sort(where)
		if !slices.Equal(where, []string{DemoEntity + "/" + DemoRefsArtifact, DemoTeam + "/" + DemoDatasetArtifact}) {
			t.Fatalf("inputArtifacts: %v", where)
		}
		if dig(out, "pageInfo", "hasNextPage") != true {
			break
		}
		after = dig(out, "pageInfo", "endCursor")
	}
	if fmt.Sprint(got) != "[0 1 2 3 4]" {
		t.Errorf("outputArtifacts paged: %v", got)
	}
}

// TestArtifactHostilePaths: entry paths are served as given (the client
// must refuse to write them), in the listing and the manifest alike.
func TestArtifactHostilePaths(t *testing.T) {
	s := startTest(t)
	paths := []string{"../escape.txt", "/etc/passwd", `a\b.txt`, "日本語/データ.csv", "dir//x", "ok/file.txt", "ctl\x1b[31m.txt"}
	var files []ArtifactFile
	for _, p := range paths {
		files = append(files, ArtifactFile{Path: p, Size: 5})
	}
	if err := s.AddArtifact(ArtifactSpec{Entity: "e", Project: "p", Name: "h", Type: "dataset", Versions: []ArtifactVersion{{Files: files}}}); err != nil {
		t.Fatal(err)
	}
	id := artifactID(t, s, "e", "p", "h:v0")
	listed, _ := listArtifact(t, s, id, 3)
	contents, _ := manifestOf(t, s, id)
	var names []string
	for _, f := range listed {
		names = append(names, f.Name)
		if contents[f.Name] == nil {
			t.Errorf("%q listed but not in the manifest", f.Name)
		}
		if st, _ := artGet(t, f.DirectURL, ""); st != 200 {
			t.Errorf("%q: HTTP %d", f.Name, st)
		}
	}
	want := slices.Clone(paths)
	slices.Sort(want)
	if !slices.Equal(names, want) || len(contents) != len(paths) {
		t.Errorf("listed %q, manifest %d entries; want %q", names, len(contents), want)
	}
}

// TestRunFilesTotalCount: a run's files connection counts what its names
// or pattern select, wherever the page is.
func TestRunFilesTotalCount(t *testing.T) {
	s := startTest(t, RunSpec{Entity: "e", Project: "p", ID: "r", Files: SmallFiles(20)})
	const q = `query($n: [String], $p: String) { project(entityName: "e", name: "p") { run(name: "r") {
  files(first: 2, names: $n, pattern: $p) { totalCount } } } }`
	for _, c := range []struct {
		vars map[string]any
		want float64
	}{
		{map[string]any{}, 20},
		{map[string]any{"p": "part1/%"}, 5},
		{map[string]any{"n": []string{"part0/file0000.bin", "nope", "part0/file0000.bin", "part1/file0001.bin"}}, 2},
	} {
		d := mustGQL(t, s, q, c.vars)
		if got := dig(d, "project", "run", "files", "totalCount"); got != c.want {
			t.Errorf("%v: totalCount %v, want %v", c.vars, got, c.want)
		}
	}
}
