package wandb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors of the picker's listings, matched with errors.Is.
var (
	// ErrEntityNotFound means the server answered null for an entity's
	// projects: no such entity, or not visible with this key.
	ErrEntityNotFound = errors.New("entity not found")
	// ErrProjectNotFound means the server answered null for a project.
	ErrProjectNotFound = errors.New("project not found")
)

// Entity is a place projects live in: the viewer's own entity or one of
// its teams.
type Entity struct {
	Name string
	// Team is false for the viewer's own entity.
	Team bool
}

// teamsPageSize is the page size of the viewer's teams: a user belongs to
// few, so one request is the rule.
const teamsPageSize = 100

// Entities returns the viewer's own entity first, then its teams in the
// server's order, each once. It walks every page of viewer.teams. A null
// viewer (the key has no user) is an error wrapping ErrUnauthorized. When
// the server sends GraphQL errors along with the data, the entities read
// so far are returned with the *GraphQLError (Partial set).
func (c *Client) Entities(ctx context.Context) ([]Entity, error) {
	var out []Entity
	seen := map[string]bool{}
	add := func(name string, team bool) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, Entity{Name: name, Team: team})
		}
	}
	var partial error
	fetch := func(after string) (teamsPage, error) {
		var data struct {
			Viewer *struct {
				Entity   string                `json:"entity"`
				Username string                `json:"username"`
				Teams    *connJSON[entityNode] `json:"teams"`
			} `json:"viewer"`
		}
		vars := pageVars(map[string]any{}, teamsPageSize, after)
		err := c.graphql(ctx, opViewerEntities, queryViewerEntities, vars, &data)
		if err != nil && !isPartial(err) {
			return teamsPage{}, err
		}
		partial = cmp.Or(partial, err)
		v := data.Viewer
		if v == nil {
			return teamsPage{}, fmt.Errorf("%w by %s: it belongs to no user", ErrUnauthorized, c.Host())
		}
		add(cmp.Or(v.Entity, v.Username), false)
		if v.Teams == nil {
			return teamsPage{}, nil
		}
		for _, n := range v.Teams.nodes() {
			add(n.Name, true)
		}
		return teamsPage{v.Teams.info()}, nil
	}
	for _, err := range walkPages("", fetch) {
		if err != nil {
			return out, err
		}
	}
	return out, partial
}

// teamsPage is one page of viewer.teams, for walkPages; the names go
// straight into Entities' list.
type teamsPage struct{ info PageInfo }

func (p teamsPage) Info() PageInfo { return p.info }

// entityNode is an Entity as the server sends it.
type entityNode struct {
	Name string `json:"name"`
}

// Project is one project of an entity.
type Project struct {
	Entity, Name string
	// CreatedAt and UpdatedAt (the last activity the server reports) are
	// zero when unknown.
	CreatedAt, UpdatedAt time.Time
	// RunCount is the number of runs, or -1 when unknown.
	RunCount int
}

// ProjectsPage is one page of an entity's projects.
type ProjectsPage struct {
	Projects []Project
	// EndCursor is the cursor to pass as After for the next page.
	EndCursor   string
	HasNextPage bool
	// Warnings are the messages of GraphQL errors sent along with the page.
	Warnings []string
}

// Info returns the page's paging part.
func (p ProjectsPage) Info() PageInfo {
	return PageInfo{EndCursor: p.EndCursor, HasNextPage: p.HasNextPage, Warnings: p.Warnings}
}

// Projects returns one page of the entity's projects, q.First of them
// (DefaultPageSize when 0) after the cursor q.After, in the server's order
// (W&B's models connection, which the SDK's api.projects() sends). A null
// connection is the GraphQL errors that came with it, or without any an
// error wrapping ErrEntityNotFound; GraphQL errors sent
// with the data are the page's Warnings; a page that claims more but ends
// at the cursor it was sent is an error wrapping ErrCursorStuck.
func (c *Client) Projects(ctx context.Context, entity string, q PageQuery) (ProjectsPage, error) {
	if err := checkNames(entity, ""); err != nil {
		return ProjectsPage{}, err
	}
	first, err := pageSize(q.First)
	if err != nil {
		return ProjectsPage{}, err
	}
	vars := pageVars(map[string]any{}, first, q.After)
	vars["entity"] = entity
	var data struct {
		Models *connJSON[projectNode] `json:"models"`
	}
	gqlErr := c.graphql(ctx, opProjects, queryProjects, vars, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return ProjectsPage{}, gqlErr
	}
	if data.Models == nil {
		return ProjectsPage{}, cmp.Or(noData(gqlErr), fmt.Errorf("%w: %s", ErrEntityNotFound, entity))
	}
	page := ProjectsPage{Warnings: warnings(gqlErr)}
	info := data.Models.info()
	page.EndCursor, page.HasNextPage = info.EndCursor, info.HasNextPage
	for _, n := range data.Models.nodes() {
		page.Projects = append(page.Projects, n.project(entity))
	}
	return page, checkPage(q.After, page.Info())
}

// projectNode is a Project as the server sends it.
type projectNode struct {
	Name       string   `json:"name"`
	EntityName string   `json:"entityName"`
	CreatedAt  optTime  `json:"createdAt"`
	UpdatedAt  optTime  `json:"updatedAt"`
	RunCount   optInt64 `json:"runCount"`
}

// project converts a node of entity's projects.
func (n *projectNode) project(entity string) Project {
	p := Project{Entity: cmp.Or(n.EntityName, entity), Name: n.Name, CreatedAt: n.CreatedAt.t, UpdatedAt: n.UpdatedAt.t, RunCount: -1}
	if n.RunCount.ok {
		p.RunCount = int(n.RunCount.v)
	}
	return p
}

// connJSON is any connection as the server sends it: edges with a cursor
// and a nullable node, and the page info.
type connJSON[N any] struct {
	Edges []struct {
		Cursor string `json:"cursor"`
		Node   *N     `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		EndCursor   *string `json:"endCursor"`
		HasNextPage bool    `json:"hasNextPage"`
	} `json:"pageInfo"`
}

// nodes returns the edges' nodes, skipping null ones.
func (c *connJSON[N]) nodes() []*N {
	out := make([]*N, 0, len(c.Edges))
	for _, e := range c.Edges {
		if e.Node != nil {
			out = append(out, e.Node)
		}
	}
	return out
}

// info returns the paging part as Files reads it: a null or empty
// endCursor is replaced by the last edge's cursor, and with no cursor at
// all the page is the last (asking again would return the first).
func (c *connJSON[N]) info() PageInfo {
	info := PageInfo{HasNextPage: c.PageInfo.HasNextPage}
	switch {
	case c.PageInfo.EndCursor != nil && *c.PageInfo.EndCursor != "":
		info.EndCursor = *c.PageInfo.EndCursor
	case len(c.Edges) > 0:
		info.EndCursor = c.Edges[len(c.Edges)-1].Cursor
	}
	if info.EndCursor == "" {
		info.HasNextPage = false
	}
	return info
}

// warnings returns the messages of a partial *GraphQLError, or nil.
func warnings(gqlErr error) []string {
	var ge *GraphQLError
	if errors.As(gqlErr, &ge) {
		return ge.Messages
	}
	return nil
}

// noData returns gqlErr, a *GraphQLError or nil, as the error of a
// request whose data turned out unusable: not Partial, since no result
// comes with it.
func noData(gqlErr error) error {
	var ge *GraphQLError
	if !errors.As(gqlErr, &ge) {
		return gqlErr
	}
	whole := *ge
	whole.Partial = false
	return &whole
}

// Operation names of the picker's listings, as sent in operationName.
const (
	opViewerEntities = "ViewerEntities"
	opProjects       = "GetProjects"
)

// queryViewerEntities is the SDK's Viewer query with a page of the user's
// teams.
const queryViewerEntities = `query ViewerEntities($cursor: String, $perPage: Int = 100) {
  viewer {
    id
    entity
    username
    teams(after: $cursor, first: $perPage) {
      edges {
        cursor
        node {
          name
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
}`

// queryProjects is the SDK's GetProjects (api.projects() sends models)
// with what a projects list shows: last activity and run count.
const queryProjects = `query GetProjects($entity: String, $cursor: String, $perPage: Int = 50) {
  models(entityName: $entity, after: $cursor, first: $perPage) {
    edges {
      cursor
      node {
        id
        name
        entityName
        createdAt
        updatedAt
        runCount
      }
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}`
