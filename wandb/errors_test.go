package wandb

import (
	"encoding/base64"
	"strings"
	"testing"
)

// leaks reports the longest prefix (of at least 4 bytes) of secret that
// s holds, or "".
func leaks(s, secret string) string {
	for l := len(secret); l >= 4; l-- {
		if strings.Contains(s, secret[:l]) {
			return secret[:l]
		}
	}
	return ""
}

// TestExcerptMasksKeyAtTheCut puts the key, and its basic-auth form, at
// every position around the excerpt's length limit: neither the whole key
// nor a prefix cut off by the limit may show.
func TestExcerptMasksKeyAtTheCut(t *testing.T) {
	const key = "0123456789abcdef0123456789abcdef01234567"
	c, err := NewClient(Config{BaseURL: "http://127.0.0.1:1", APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("api:" + key))
	excerpts := []struct {
		name  string
		limit int
		fn    func(string) string
	}{
		{"bodyExcerpt", maxExcerpt, func(s string) string { return c.bodyExcerpt([]byte(s)) }},
		{"cleanMessage", 500, c.cleanMessage},
	}
	for _, ex := range excerpts {
		for _, secret := range []string{key, basic} {
			for at := ex.limit - len(secret) - 2; at <= ex.limit+2; at++ {
				body := strings.Repeat("-", at) + secret + " and more text after it"
				got := ex.fn(body)
				if l := leaks(got, secret); l != "" {
					t.Fatalf("%s: secret at %d: %q shows %q", ex.name, at, got, l)
				}
				if at+len(secret) <= ex.limit && !strings.Contains(got, "[redacted]") {
					t.Errorf("%s: secret at %d: %q has no mark where the key was", ex.name, at, got)
				}
			}
		}
		// A key split by control characters, which the excerpt drops.
		split := "error: " + key[:20] + "\x00\x01" + key[20:] + " end"
		if got := ex.fn(split); leaks(got, key) != "" {
			t.Errorf("%s: split key: %q shows the key", ex.name, got)
		}
		// Text without the key is left as it is.
		if got := ex.fn("plain error"); got != "plain error" {
			t.Errorf("%s: plain text became %q", ex.name, got)
		}
	}
}
