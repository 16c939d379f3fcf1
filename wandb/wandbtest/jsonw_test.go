package wandbtest

import (
	"encoding/json"
	"testing"
)

// TestAppendJSONString: the hand-written encoder agrees with encoding/json
// on what a client decodes.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"résumé notes.txt", "日本語/データ.csv", "emoji 🚀", "line\u2028sep\u2029", "bad \xff\xfe utf8",
		"<html>&amp;</html>", "100%_done",
	} {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
		}
		want, _ := json.Marshal(s)
		var wantS string
		json.Unmarshal(want, &wantS)
		if got != wantS {
			t.Errorf("%q round-trips to %q, encoding/json gives %q", s, got, wantS)
		}
	}
}
