package wandbtest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const filesQuery = `query Files($e: String!, $p: String!, $r: String!, $first: Int, $after: String, $names: [String], $pattern: String) {
  project(name: $p, entityName: $e) { run(name: $r) { fileCount
    files(first: $first, after: $after, names: $names, pattern: $pattern) {
      edges { cursor node { name } }
      pageInfo { endCursor hasNextPage hasPreviousPage startCursor } } } } }`

// page is one decoded files page.
type page struct {
	names    []string
	cursors  []string
	end      string
	hasNext  bool
	hasPrev  bool
	errors   []string
	nullConn bool
}

func fetchPage(t testing.TB, s *Server, ref string, vars map[string]any) page {
	t.Helper()
	parts := strings.Split(ref, "/")
	v := map[string]any{"e": parts[0], "p": parts[1], "r": parts[2]}
	for k, x := range vars {
		v[k] = x
	}
	st, body := gql(t, s, filesQuery, v)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, body)
	}
	m := decode(t, body)
	var pg page
	for _, e := range asList(m["errors"]) {
		pg.errors = append(pg.errors, e.(map[string]any)["message"].(string))
	}
	run := dig(m, "data", "project", "run")
	if run == nil {
		t.Fatalf("no run in %s", body)
	}
	files, _ := run.(map[string]any)["files"].(map[string]any)
	if files == nil {
		pg.nullConn = true
		return pg
	}
	for _, e := range asList(files["edges"]) {
		e := e.(map[string]any)
		pg.cursors = append(pg.cursors, e["cursor"].(string))
		if n, ok := e["node"].(map[string]any); ok {
			pg.names = append(pg.names, n["name"].(string))
		}
	}
	pi := files["pageInfo"].(map[string]any)
	pg.end, _ = pi["endCursor"].(string)
	pg.hasNext = pi["hasNextPage"].(bool)
	pg.hasPrev = pi["hasPreviousPage"].(bool)
	return pg
}

func asList(v any) []any { l, _ := v.([]any); return l }

func dig(m any, keys ...string) any {
	for _, k := range keys {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[k]
	}
	return m
}

// walk follows the cursors to the end and returns every name.
func walk(t testing.TB, s *Server, ref string, vars map[string]any) []string {
	t.Helper()
	var all []string
	after := any(nil)
	for i := 0; ; i++ {
		v := map[string]any{"after": after}
		for k, x := range vars {
			v[k] = x
		}
		pg := fetchPage(t, s, ref, v)
		if len(pg.errors) > 0 {
			t.Fatalf("errors: %v", pg.errors)
		}
		if i > 0 && !pg.hasPrev {
			t.Fatalf("page %d: hasPreviousPage false after a cursor", i)
		}
		all = append(all, pg.names...)
		if !pg.hasNext {
			return all
		}
		if pg.end == "" || pg.end != pg.cursors[len(pg.cursors)-1] {
			t.Fatalf("endCursor %q is not the last edge's cursor", pg.end)
		}
		after = pg.end
	}
}

// manyRun has n files spread over folders, added in a shuffled order.
func manyRun(n int) RunSpec {
	r := RunSpec{Entity: "ent", Project: "proj", ID: "many", State: "finished"}
	for i := 0; i < n; i++ {
		j := (i * 7919) % n
		r.Files = append(r.Files, FileSpec{Name: fmt.Sprintf("d%d/f_%04d.txt", j%5, j), Size: int64(j)})
	}
	return r
}

func TestPagingWalksAllFiles(t *testing.T) {
	s := startTest(t, manyRun(257))
	var want []string
	for _, f := range manyRun(257).Files {
		want = append(want, f.Name)
	}
	sort.Strings(want)
	for _, first := range []any{1, 2, 7, 50, 256, 257, 1000, nil} {
		t.Run(fmt.Sprint(first), func(t *testing.T) {
			got := walk(t, s, "ent/proj/many", map[string]any{"first": first})
			if !slices.Equal(got, want) {
				t.Fatalf("walk with first=%v returned %d names, want %d in order", first, len(got), len(want))
			}
		})
	}
	pg := fetchPage(t, s, "ent/proj/many", nil)
	if len(pg.names) != 50 || !pg.hasNext || pg.hasPrev {
		t.Fatalf("default page: %d names, hasNext %v, hasPrev %v; want 50, true, false", len(pg.names), pg.hasNext, pg.hasPrev)
	}
}

func TestPagingSweepRun(t *testing.T) {
	s := startTest(t, sweepRun())
	got := walk(t, s, DemoSweepRun, map[string]any{"first": 1000})
	if len(got) != DemoSweepFiles || !sort.StringsAreSorted(got) {
		t.Fatalf("got %d names (sorted %v), want %d sorted", len(got), sort.StringsAreSorted(got), DemoSweepFiles)
	}
}

func TestCursorsAreOpaque(t *testing.T) {
	s := startTest(t, manyRun(30))
	pg := fetchPage(t, s, "ent/proj/many", map[string]any{"first": 30})
	for i, c := range pg.cursors {
		if _, err := strconv.Atoi(c); err == nil || strings.Contains(c, pg.names[i]) || strings.Contains(c, "f_00") {
			t.Fatalf("cursor %q leaks its position", c)
		}
	}
	for _, bad := range []string{"12", "bm90IGEgY3Vyc29y", "%%%"} {
		pg := fetchPage(t, s, "ent/proj/many", map[string]any{"after": bad})
		if !pg.nullConn || len(pg.errors) != 1 || !strings.Contains(pg.errors[0], "invalid cursor") {
			t.Fatalf("cursor %q: %+v", bad, pg)
		}
	}
}

func TestPagingArgumentErrors(t *testing.T) {
	s := startTest(t, manyRun(3))
	tests := []struct {
		vars map[string]any
		want string
	}{
		{map[string]any{"first": 1001}, "at most 1000"},
		{map[string]any{"first": -1}, "non-negative"},
		{map[string]any{"names": []string{"d0/f_0000.txt"}, "pattern": "%"}, "names and pattern"},
	}
	for _, tc := range tests {
		pg := fetchPage(t, s, "ent/proj/many", tc.vars)
		if !pg.nullConn || len(pg.errors) != 1 || !strings.Contains(pg.errors[0], tc.want) {
			t.Errorf("%v: %+v, want an error containing %q", tc.vars, pg, tc.want)
		}
	}
	// As the SDK sends it: names: [] with a pattern is fine.
	pg := fetchPage(t, s, "ent/proj/many", map[string]any{"names": []string{}, "pattern": "d1/%"})
	if len(pg.errors) > 0 || len(pg.names) != 1 {
		t.Fatalf("names: [] with pattern: %+v", pg)
	}
}

func TestNames(t *testing.T) {
	s := startTest(t, manyRun(40))
	tests := []struct {
		names []any
		want  []string
	}{
		{[]any{"d1/f_0011.txt", "missing.txt", "d0/f_0000.txt", "d0/f_0000.txt"}, []string{"d0/f_0000.txt", "d1/f_0011.txt"}},
		{[]any{"D0/F_0000.TXT"}, nil}, // exact, case-sensitive
		{[]any{}, nil},                // [] means all: checked below
		{[]any{nil, "d2/f_0002.txt"}, []string{"d2/f_0002.txt"}},
	}
	// A single value where a list is expected is a list of one, as a
	// literal and as a variable.
	for _, q := range []string{
		`{ project(name: "proj", entityName: "ent") { run(name: "many") { files(names: "d3/f_0003.txt") { edges { node { name } } } } } }`,
		`query($n: [String]) { project(name: "proj", entityName: "ent") { run(name: "many") { files(names: $n) { edges { node { name } } } } } }`,
	} {
		st, body := gql(t, s, q, map[string]any{"n": "d3/f_0003.txt"})
		if want := `{"edges":[{"node":{"name":"d3/f_0003.txt"}}]}`; st != 200 || !strings.Contains(body, want) {
			t.Errorf("names as a single string: %d %s", st, body)
		}
	}
	for _, tc := range tests {
		got := walk(t, s, "ent/proj/many", map[string]any{"names": tc.names, "first": 1})
		if len(tc.names) == 0 {
			if len(got) != 40 {
				t.Errorf("names: [] returned %d files, want all 40", len(got))
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("names %v: got %v, want %v", tc.names, got, tc.want)
		}
	}
}

func likeRun() RunSpec {
	names := []string{
		"config.yaml", "wandb-summary.json", "media/a.json", "media/A.JSON", "media/a.json.bak",
		"résumé notes.txt", "RÉSUMÉ.TXT", "é.txt", "ab.txt", "a.txt", "100%_done.txt", "1000.txt",
		"a_b.txt", "axb.txt", `back\slash`, "日本語/データ.csv", "ΣΙΣΥΦΟΣ.md", "straße.txt",
		"deep/a/b/c/d/e/f.txt", "kelvin.txt",
	}
	r := RunSpec{Entity: "ent", Project: "proj", ID: "like"}
	for _, n := range names {
		r.Files = append(r.Files, FileSpec{Name: n, Size: 1})
	}
	return r
}

func TestLikePatterns(t *testing.T) {
	s := startTest(t, likeRun())
	tests := []struct {
		pattern string
		want    []string
	}{
		{"%.json", []string{"media/A.JSON", "media/a.json", "wandb-summary.json"}},
		{"media/%", []string{"media/A.JSON", "media/a.json", "media/a.json.bak"}},
		{"_.txt", []string{"a.txt", "é.txt"}},
		{"__.txt", []string{"ab.txt"}},
		{`100\%%`, []string{"100%_done.txt"}},
		{`100%`, []string{"100%_done.txt", "1000.txt"}},
		{`a\_b%`, []string{"a_b.txt"}},
		{`a_b%`, []string{"a_b.txt", "axb.txt"}},
		{"résumé%", []string{"RÉSUMÉ.TXT", "résumé notes.txt"}},
		{"RÉSUMÉ %", []string{"résumé notes.txt"}},
		{"日本語/%", []string{"日本語/データ.csv"}},
		{"%データ%", []string{"日本語/データ.csv"}},
		{"σισυφοσ.MD", []string{"ΣΙΣΥΦΟΣ.md"}},
		{"STRASSE.txt", nil}, // folding is simple, not full: ß is not ss
		{"STRAẞE.txt", []string{"straße.txt"}},
		{"\u212Aelvin%", []string{"kelvin.txt"}}, // KELVIN SIGN folds to k
		{`back\\slash`, []string{`back\slash`}},
		{`back\slash`, nil}, // \s is a literal s
		{`%\%`, nil},
		{"deep/%/f.txt", []string{"deep/a/b/c/d/e/f.txt"}},
		{"%%a%%.%%", []string{"a.txt", "a_b.txt", "ab.txt", "axb.txt", "deep/a/b/c/d/e/f.txt", "media/A.JSON", "media/a.json", "media/a.json.bak", "straße.txt", "wandb-summary.json"}},
		{"nothing", nil},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			for _, first := range []int{1, 3, 100} {
				got := walk(t, s, "ent/proj/like", map[string]any{"pattern": tc.pattern, "first": first})
				if !slices.Equal(got, tc.want) {
					t.Fatalf("pattern %q first %d: got %q, want %q", tc.pattern, first, got, tc.want)
				}
			}
		})
	}
	// An empty pattern is no filter.
	if got := walk(t, s, "ent/proj/like", map[string]any{"pattern": ""}); len(got) != len(likeRun().Files) {
		t.Fatalf("empty pattern returned %d files", len(got))
	}
}

func TestFileFieldsAndNullKnobs(t *testing.T) {
	r := RunSpec{Entity: "ent", Project: "proj", ID: "knobs", NullFileCount: true, Files: []FileSpec{
		{Name: "a plain/file #1?.json", Content: []byte(`{"x": 1}`)},
		{Name: "b", Size: 10, NullSize: true, NullURL: true, NullMD5: true, NullMimetype: true, NullUpdatedAt: true, EmptyDirectURL: true},
		{Name: "c", Size: 10, NullNode: true},
	}}
	s := startTest(t, r)
	st, body := gql(t, s, `{ project(name: "proj", entityName: "ent") { run(name: "knobs") { fileCount files { edges { node {
		name displayName url(upload: false) upload: url(upload: true) directUrl sizeBytes mimetype updatedAt md5 digest storagePath exists } } } } } }`, nil)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, body)
	}
	m := decode(t, body)
	run := dig(m, "data", "project", "run").(map[string]any)
	if run["fileCount"] != nil {
		t.Errorf("fileCount = %v, want null", run["fileCount"])
	}
	edges := asList(dig(run, "files", "edges"))
	if len(edges) != 3 {
		t.Fatalf("%d edges", len(edges))
	}
	a := edges[0].(map[string]any)["node"].(map[string]any)
	wantURL := s.URL() + "/files/ent/proj/knobs/a%20plain/file%20%231%3F.json"
	sum := r.Files[0].MD5()
	if a["url"] != wantURL || a["upload"] != nil || a["sizeBytes"] != 8.0 || a["mimetype"] != "application/json" ||
		a["md5"] != sum || a["digest"] != sum || a["displayName"] != "file #1?.json" || a["exists"] != true ||
		a["storagePath"] != "ent/proj/knobs/a plain/file #1?.json" || !strings.HasPrefix(a["directUrl"].(string), s.StorageURL()+"/") {
		t.Errorf("plain file: %v", a)
	}
	if raw, _ := base64.StdEncoding.DecodeString(a["md5"].(string)); len(raw) != 16 {
		t.Errorf("md5 %v is not base64 of a raw digest", a["md5"])
	}
	b := edges[1].(map[string]any)["node"].(map[string]any)
	for _, k := range []string{"url", "sizeBytes", "mimetype", "updatedAt", "md5", "digest"} {
		if v, present := b[k]; !present || v != nil {
			t.Errorf("knob file: %s = %v, want null", k, v)
		}
	}
	if b["directUrl"] != "" {
		t.Errorf("knob file: directUrl = %v, want empty", b["directUrl"])
	}
	if c := edges[2].(map[string]any); c["node"] != nil {
		t.Errorf("NullNode edge: %v", c)
	}
}
