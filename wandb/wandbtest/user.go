package wandbtest

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// userObj is a User: the viewer, or the owner of a run or project (the
// user named like the entity).
type userObj struct {
	name string
}

func (u *userObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "id":
		return vString(opaqueID("User", u.name)), nil
	case "entity", "username":
		return vString(u.name), nil
	case "name":
		return vString(strings.ReplaceAll(u.name, "-", " ")), nil
	case "email":
		return vString(u.name + "@example.com"), nil
	case "flags":
		return vString("{}"), nil
	case "teams":
		return ec.s.teams(u.name).page(args)
	case "admin":
		return vBool(false), nil
	case "deletedAt":
		return null, nil
	case "apiKeys":
		// Only the viewer sees keys, and only the one it sent.
		if u.name != ec.s.viewer {
			return null, nil
		}
		return vObject(apiKeyObj{id: opaqueID("ApiKey", u.name), name: keyName(ec.s.apiKey)}), nil
	}
	return null, unknownField("User", name)
}

// teams lists the user's entity and every entity that owns a run.
func (s *Server) teams(user string) *entityConn {
	s.mu.RLock()
	seen := map[string]bool{user: true}
	for _, p := range s.projects {
		seen[p.entity] = true
	}
	s.mu.RUnlock()
	c := &entityConn{}
	for e := range seen {
		c.names = append(c.names, e)
	}
	sort.Strings(c.names)
	return c
}

// entityConn is an EntityConnection: entities by name, one page of them.
type entityConn struct {
	names            []string
	hasNext, hasPrev bool
}

// page applies teams(first, after): first defaults to 50, at most 1000.
func (c *entityConn) page(args map[string]any) (value, error) {
	start, end, err := pageBounds(args, len(c.names), func(i int) string { return c.names[i] }, "entity")
	if err != nil {
		return null, err
	}
	return vObject(&entityConn{names: c.names[start:end], hasNext: end < len(c.names), hasPrev: start > 0}), nil
}

func (c *entityConn) Len() int       { return len(c.names) }
func (c *entityConn) At(i int) value { return vObject(entityObj(c.names[i])) }

func (c *entityConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.names), func(i int) string { return encodeCursor(c.names[i]) }), nil
	}
	return null, unknownField("EntityConnection", name)
}

// entityObj serves as both an EntityEdge and its Entity node.
type entityObj string

func (e entityObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(string(e))), nil
	case "node":
		return vObject(e), nil
	case "id":
		return vString(opaqueID("Entity", string(e))), nil
	case "name":
		return vString(string(e)), nil
	}
	return null, unknownField("Entity", name)
}

// keyName names an API key without giving it away: W&B lists a user's
// keys by name, and this server must never send the key itself.
func keyName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "key-" + hex.EncodeToString(sum[:4])
}

// apiKeyObj serves as an ApiKeyConnection of one key, its edge and the
// ApiKey node.
type apiKeyObj struct{ id, name string }

func (k apiKeyObj) Len() int       { return 1 }
func (k apiKeyObj) At(i int) value { return vObject(k) }

func (k apiKeyObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(k), nil
	case "pageInfo":
		c := encodeCursor(k.id)
		return vObject(&pageInfo{start: c, end: c}), nil
	case "cursor":
		return vString(encodeCursor(k.id)), nil
	case "node":
		return vObject(k), nil
	case "id":
		return vString(k.id), nil
	case "name":
		return vString(k.name), nil
	case "description":
		return vString("the key of the wbfiles test server"), nil
	}
	return null, unknownField("ApiKey", name)
}
