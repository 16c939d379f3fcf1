package tui

// previewCacheSize bounds the previews kept (each at most previewMax).
const previewCacheSize = 64

// previewCache keeps fetched previews by fileKey for the session, the
// oldest dropped first, so opening a file again sends no request. Only
// the root's Update touches it.
type previewCache struct {
	entries map[string]previewFetchedMsg
	order   []string
}

func newPreviewCache() *previewCache {
	return &previewCache{entries: map[string]previewFetchedMsg{}}
}

func (c *previewCache) get(key string) (previewFetchedMsg, bool) {
	p, ok := c.entries[key]
	return p, ok
}

// put stores an answer; failures are not kept, so reopening retries.
func (c *previewCache) put(p previewFetchedMsg) {
	if p.err != nil {
		return
	}
	if _, ok := c.entries[p.key]; !ok {
		c.order = append(c.order, p.key)
	}
	c.entries[p.key] = p
	for len(c.order) > previewCacheSize {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}

// len returns how many previews are cached.
func (c *previewCache) len() int { return len(c.entries) }
