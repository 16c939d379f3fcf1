package wandb

import (
	"context"
	"slices"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func TestEscapeLike(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain.txt", "plain.txt"},
		{"100%", `100\%`},
		{"a_b", `a\_b`},
		{`back\slash`, `back\\slash`},
		{`%_\`, `\%\_\\`},
		{"été_1", `été\_1`},
		{"*?", "*?"},
	}
	for _, tt := range tests {
		if got := EscapeLike(tt.in); got != tt.want {
			t.Errorf("EscapeLike(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGlobToLike(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"loss", "%loss%"},
		{"with space", "%with space%"},
		{"100%", `%100\%%`},
		{"a_b", `%a\_b%`},
		{`back\slash`, `%back\\slash%`},
		{"été", "%été%"},
		{"*.json", "%.json"},
		{"media/*", "media/%"},
		{"?", "_"},
		{"*", "%"},
		{"step_??.pt", `step\___.pt`},
		{"*100%*", `%100\%%`},
		{`*\*`, `%\\%`},
		{"a*b?c", "a%b_c"},
	}
	for _, tt := range tests {
		if got := GlobToLike(tt.in); got != tt.want {
			t.Errorf("GlobToLike(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestGlobToLikeOnServer sends each pattern to the server and checks that
// it selects exactly the expected names.
func TestGlobToLikeOnServer(t *testing.T) {
	names := []string{
		"100%.txt", "100x.txt", "a_b.txt", "axb.txt", `back\slash.txt`, "backslash.txt",
		"with space.txt", "withspace.txt", "Données/été.csv", "données/ÉTÉ.CSV", "dete.csv",
		"README.md", "readme.MD", "media/images/a.png", "media/images/b.png",
		"media/tables/t.json", "config.yaml", "wandb-summary.json",
		"step_01.pt", "step_02.pt", "stepX01.pt", "深い/フォルダ/ファイル.txt",
	}
	_, c := newAPIEnv(t, runWithNames("ent", "proj", "like", names...))
	ref := RunRef{Entity: "ent", Project: "proj", RunID: "like"}
	tests := []struct {
		in   string
		want []string
	}{
		{"*.json", []string{"media/tables/t.json", "wandb-summary.json"}},
		{"media/*", []string{"media/images/a.png", "media/images/b.png", "media/tables/t.json"}},
		{"media/images/?.png", []string{"media/images/a.png", "media/images/b.png"}},
		{"?.png", nil},
		{"100%", []string{"100%.txt"}},
		{"a_b", []string{"a_b.txt"}},
		{`back\slash`, []string{`back\slash.txt`}},
		{"with space", []string{"with space.txt"}},
		{"été", []string{"Données/été.csv", "données/ÉTÉ.CSV"}},
		{"readme", []string{"README.md", "readme.MD"}},
		{"step_??.pt", []string{"step_01.pt", "step_02.pt"}},
		{"step_*", []string{"step_01.pt", "step_02.pt"}},
		{"フォルダ", []string{"深い/フォルダ/ファイル.txt"}},
		{"*", names},
		{"nothing-like-this", nil},
	}
	for _, tt := range tests {
		var got []string
		q := FilesQuery{First: 7, Pattern: GlobToLike(tt.in)}
		for {
			page, err := c.Files(context.Background(), ref, q)
			if err != nil {
				t.Fatalf("%q: %v", tt.in, err)
			}
			for _, f := range page.Files {
				got = append(got, f.Name)
			}
			if !page.HasNextPage {
				break
			}
			q.After = page.EndCursor
		}
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q (LIKE %q) selected %q, want %q", tt.in, q.Pattern, got, want)
		}
	}
}

// runWithNames is a run of small files with the given names.
func runWithNames(entity, project, id string, names ...string) wandbtest.RunSpec {
	r := wandbtest.RunSpec{Entity: entity, Project: project, ID: id, State: "finished"}
	for i, n := range names {
		r.Files = append(r.Files, wandbtest.FileSpec{Name: n, Size: int64(i + 1)})
	}
	return r
}
