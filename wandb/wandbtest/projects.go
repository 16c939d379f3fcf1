package wandbtest

import (
	"fmt"
	"sort"
	"strings"
)

// Query.models and Query.projects: the projects of an entity (the
// viewer's when none is given), ordered by name, or by a signed key of
// projects' order ("-created_at", "+name"), one page at a time.
// api.projects() sends models.

// projectConn is a ProjectConnection: one page of projects.
type projectConn struct {
	projects         []*projectData
	hasNext, hasPrev bool
}

func (c *projectConn) Len() int       { return len(c.projects) }
func (c *projectConn) At(i int) value { return vObject(projectEdge{c.projects[i]}) }

func (c *projectConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.projects), func(i int) string { return encodeCursor(c.projects[i].name) }), nil
	}
	return null, unknownField("ProjectConnection", name)
}

// projectEdge is a ProjectEdge.
type projectEdge struct{ p *projectData }

func (e projectEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.p.name)), nil
	case "node":
		return vObject(e.p), nil
	}
	return null, unknownField("ProjectEdge", name)
}

// projectsPage answers Query.models and Query.projects.
func (s *Server) projectsPage(args map[string]any) (value, error) {
	entity, ok := argString(args, "entityName")
	if !ok {
		entity = s.viewer
	}
	s.mu.RLock()
	var ps []*projectData
	for _, p := range s.projects {
		if p.entity == entity {
			ps = append(ps, p)
		}
	}
	s.mu.RUnlock()
	order, _ := argString(args, "order")
	if err := sortProjects(ps, order); err != nil {
		return null, err
	}
	start, end, err := pageBounds(args, len(ps), func(i int) string { return ps[i].name }, "project")
	if err != nil {
		return null, err
	}
	return vObject(&projectConn{projects: ps[start:end], hasNext: end < len(ps), hasPrev: start > 0}), nil
}

// sortProjects orders projects by name, or by the order key: name or
// created_at with a sign.
func sortProjects(ps []*projectData, order string) error {
	desc := strings.HasPrefix(order, "-")
	key := strings.TrimLeft(order, "+-")
	var less func(a, b *projectData) int
	switch key {
	case "", "name":
		less = func(a, b *projectData) int { return strings.Compare(a.name, b.name) }
	case "created_at", "createdAt":
		less = func(a, b *projectData) int { return a.createdAt.Compare(b.createdAt) }
	default:
		return fmt.Errorf("cannot order projects by %q", key)
	}
	sort.Slice(ps, func(i, j int) bool {
		c := less(ps[i], ps[j])
		if c == 0 {
			c = strings.Compare(ps[i].name, ps[j].name)
		} else if desc {
			c = -c
		}
		return c < 0
	})
	return nil
}

// serverInfo is ServerInfo: the optional features of artifacts this
// server serves (serverFeatures), no CLI version limits, and not a local
// (self-hosted) install.
type serverInfo struct{}

func (serverInfo) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cliVersionInfo":
		return vJSON("{}"), nil
	case "features":
		return vList(serverFeatures), nil
	case "latestLocalVersionInfo":
		return null, nil
	}
	return null, unknownField("ServerInfo", name)
}
