package wandb

import "testing"

// TestMatchLike: the patterns the TUI sends (a folder, a glob, escaped
// wildcards, names) match as the server's LIKE does, case ignored.
func TestMatchLike(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{EscapeLike("images/") + "%", "images/a/b.png", true},
		{EscapeLike("images/") + "%", "Images/a.png", true},
		{EscapeLike("images/") + "%", "imagesX/a.png", false},
		{EscapeLike("my_run/") + "%", "my_run/x", true},
		{EscapeLike("my_run/") + "%", "myXrun/x", false},
		{EscapeLike(`100%\_/`) + "%", `100%\_/a`, true},
		{EscapeLike(`100%\_/`) + "%", `100x\_/a`, false},
		{GlobToLike("*.json"), "a/b/config.JSON", true},
		{GlobToLike("*.json"), "a/b/config.jsonl", false},
		{GlobToLike("step_??.pt"), "step_01.pt", true},
		{GlobToLike("step_??.pt"), "stepX01.pt", false},
		{GlobToLike("step_??.pt"), "step_1.pt", false},
		{GlobToLike("loss"), "eval/LOSS.csv", true},
		{GlobToLike("日本"), "データ/日本語.txt", true},
		{"_.txt", "é.txt", true},
		{"_.txt", "ab.txt", false},
		{"ÄRZTE/%", "ärzte/x", true},
		{"", "", true},
		{"", "x", false},
	} {
		if got := MatchLike(tc.pattern, tc.s); got != tc.want {
			t.Errorf("MatchLike(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// TestMatchLikeEscapeLike: an escaped name matches itself, whatever
// wildcards and backslashes it holds, and not a name that differs in one
// of them.
func TestMatchLikeEscapeLike(t *testing.T) {
	for _, name := range []string{"a%b", "a_b", `a\b`, `\`, `%_\`, "plain", "x\\%_y/ü", ""} {
		if !MatchLike(EscapeLike(name), name) {
			t.Errorf("EscapeLike(%q) does not match the name", name)
		}
		if other := name + "z"; MatchLike(EscapeLike(name), other) {
			t.Errorf("EscapeLike(%q) matches %q", name, other)
		}
	}
	if MatchLike(EscapeLike("a_b"), "axb") || MatchLike(EscapeLike("a%"), "abc") {
		t.Error("an escaped wildcard matched as a wildcard")
	}
}
