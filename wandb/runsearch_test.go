package wandb

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestParseRunSearch reads text, tokens, quotes and repeats.
func TestParseRunSearch(t *testing.T) {
	tests := []struct {
		in   string
		want RunSearch
	}{
		{"", RunSearch{}},
		{"   ", RunSearch{}},
		{`""`, RunSearch{}},
		{"brisk", RunSearch{Text: "brisk"}},
		{"  ViT-B/16   baseline ", RunSearch{Text: "ViT-B/16 baseline"}},
		{"state:running", RunSearch{States: []string{"running"}}},
		{"State:CRASHED state:failed state:crashed", RunSearch{States: []string{"crashed", "failed"}}},
		{"tag:baseline tag:vit-b tag:baseline", RunSearch{Tags: []string{"baseline", "vit-b"}}},
		{"user:alice user:dana-k", RunSearch{Users: []string{"alice", "dana-k"}}},
		{"since:30m", RunSearch{Since: 30 * time.Minute}},
		{"since:24h", RunSearch{Since: 24 * time.Hour}},
		{"since:7d", RunSearch{Since: 7 * 24 * time.Hour}},
		{"since:2W", RunSearch{Since: 14 * 24 * time.Hour}},
		{"lr=3e-4 since:7d noble state:running tag:mixup user:bob",
			RunSearch{Text: "lr=3e-4 noble", States: []string{"running"}, Tags: []string{"mixup"}, Users: []string{"bob"}, Since: 7 * 24 * time.Hour}},
		{`"state:running"`, RunSearch{Text: "state:running"}},
		{`"patch  8" (slow)`, RunSearch{Text: "patch  8 (slow)"}},
		{`tag:"my tag" tag:a:b`, RunSearch{Tags: []string{"my tag", "a:b"}}},
		{`"say \"hi\" \\o/"`, RunSearch{Text: `say "hi" \o/`}},
		{"12:30 :x résumé", RunSearch{Text: "12:30 :x résumé"}},
		{`[debug]`, RunSearch{Text: "[debug]"}},
	}
	for _, tt := range tests {
		got, err := ParseRunSearch(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRunSearch(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if got.Empty() != reflect.DeepEqual(tt.want, RunSearch{}) {
			t.Errorf("%q: Empty() = %v", tt.in, got.Empty())
		}
	}
}

// TestParseRunSearchErrors: bad tokens are errors that say what is wrong.
func TestParseRunSearchErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"state:", "state: needs a value (state:running)"},
		{"since:", "since: needs a value"},
		{"tag:", "tag: needs a value"},
		{"since:abc", "since:abc is not an age"},
		{"since:7", "since:7 is not an age"},
		{"since:0d", "since:0d is not an age"},
		{"since:-3d", "is not an age"},
		{"since:7y", "since:7y is not an age"},
		{"since:99999999w", "more than a century"},
		{"since:7d since:2d", "given twice"},
		{"state:runing", "state:runing is not a run state: use one of running, finished"},
		{"foo:bar", `foo: is not a search key (state:, tag:, user:, since:); to search for the text, quote it: "foo:bar"`},
		{`"open`, "a quote is not closed"},
	}
	for _, tt := range tests {
		_, err := ParseRunSearch(tt.in)
		if !errors.Is(err, ErrBadSearch) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRunSearch(%q): %v; want an error with %q", tt.in, err, tt.want)
		}
	}
}

// TestRunSearchString: the canonical form reads back to the same search.
func TestRunSearchString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"since:24h tag:a  brisk   sun state:Running", "brisk sun state:running tag:a since:1d"},
		{`"a:b" c`, `"a:b c"`},
		{`"x  y"`, `"x  y"`},
		{`tag:"my tag" user:o'neil`, `tag:"my tag" user:o'neil`},
		{`"say \"hi\""`, `"say \"hi\""`},
		{"since:90m", "since:90m"},
		{"since:14d", "since:2w"},
	}
	for _, tt := range tests {
		s, err := ParseRunSearch(tt.in)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if got := s.String(); got != tt.want {
			t.Errorf("String of %q = %q, want %q", tt.in, got, tt.want)
		}
		back, err := ParseRunSearch(s.String())
		if err != nil || !reflect.DeepEqual(back, s) {
			t.Errorf("%q does not read back: %+v, %v; want %+v", s.String(), back, err, s)
		}
	}
}

// TestRunSearchFilters checks the documents: the text as an escaped,
// case-insensitive regex over name and id, $in per kind, $and of several.
func TestRunSearchFilters(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.FixedZone("X", 3600))
	tests := []struct{ in, want string }{
		{"", ""},
		{"state:running", `{"state":{"$in":["running"]}}`},
		{"ViT-B/16 (x)", `{"$or":[{"display_name":{"$regex":"(?i)ViT-B/16 \\(x\\)"}},{"name":{"$regex":"(?i)ViT-B/16 \\(x\\)"}}]}`},
		{"a<b user:x user:y tag:t since:2d", `{"$and":[` +
			`{"$or":[{"display_name":{"$regex":"(?i)a<b"}},{"name":{"$regex":"(?i)a<b"}}]},` +
			`{"tags":{"$in":["t"]}},{"username":{"$in":["x","y"]}},{"createdAt":{"$gt":"2026-11-27T11:00:00"}}]}`},
	}
	for _, tt := range tests {
		s, err := ParseRunSearch(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got := s.Filters(now)
		if got != tt.want {
			t.Errorf("Filters(%q) =\n %s\nwant\n %s", tt.in, got, tt.want)
		}
		if got != "" && !json.Valid([]byte(got)) {
			t.Errorf("Filters(%q) is not JSON", tt.in)
		}
	}
}

// TestRunOrder cycles the picker's orders and reads them back.
func TestRunOrder(t *testing.T) {
	o := OrderCreated
	var seen []string
	for range 4 {
		seen = append(seen, o.String()+"="+o.Param())
		back, err := ParseRunOrder(o.String())
		if err != nil || back != o {
			t.Errorf("ParseRunOrder(%q) = %v, %v", o.String(), back, err)
		}
		o = o.Next()
	}
	want := []string{"created=-created_at", "heartbeat=-heartbeat_at", "name=+display_name", "created=-created_at"}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("cycle %v, want %v", seen, want)
	}
	if RunOrder(9).Param() != "-created_at" {
		t.Error("an order out of range is not the default")
	}
	if _, err := ParseRunOrder("size"); err == nil || !strings.Contains(err.Error(), "created, heartbeat or name") {
		t.Errorf("ParseRunOrder(size): %v", err)
	}
}
