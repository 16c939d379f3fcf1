package tui

import (
	"errors"
	"fmt"
	"testing"
)

func TestPreviewCacheBoundsAndFailures(t *testing.T) {
	c := newPreviewCache()
	c.put(previewFetchedMsg{key: "a", err: errors.New("boom")})
	if _, ok := c.get("a"); ok {
		t.Fatal("a failed preview was cached")
	}
	for i := range previewCacheSize + 10 {
		c.put(previewFetchedMsg{key: fmt.Sprint(i), body: []byte("x")})
	}
	if c.len() != previewCacheSize {
		t.Fatalf("%d previews kept; want %d", c.len(), previewCacheSize)
	}
	if _, ok := c.get("0"); ok {
		t.Fatal("the oldest preview was not dropped")
	}
	if _, ok := c.get(fmt.Sprint(previewCacheSize + 9)); !ok {
		t.Fatal("the newest preview is missing")
	}
}
