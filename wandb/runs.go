package wandb

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// RunsQuery selects one page of a project's runs.
type RunsQuery struct {
	// First is the page size; 0 means DefaultPageSize. Valid: 1..MaxPageSize.
	First int
	// After is the cursor to continue from ("" for the first page).
	After string
	// Filters is a JSON filters document (MongoDB style, see
	// RunSearch.Filters); "" means {} (every run).
	Filters string
	// Order is a key with a sign ("-created_at", see RunOrder.Param); ""
	// means "-created_at", newest first.
	Order string
}

// DefaultRunOrder is the order of RunsQuery when none is given: newest
// first. (The SDK's default is "+created_at", oldest first.)
const DefaultRunOrder = "-created_at"

// RunsPage is one page of a project's runs.
type RunsPage struct {
	Runs []RunInfo
	// Total is runCount(filters), asked for in the same request: how many
	// runs match in all, or -1 when unknown.
	Total int
	// EndCursor is the cursor to pass as After for the next page.
	EndCursor   string
	HasNextPage bool
	// Warnings are the messages of GraphQL errors sent along with the page.
	Warnings []string
}

// Info returns the page's paging part.
func (p RunsPage) Info() PageInfo {
	return PageInfo{EndCursor: p.EndCursor, HasNextPage: p.HasNextPage, Warnings: p.Warnings}
}

// Runs returns one page of the project's runs that q.Filters selects, in
// q.Order, with their count, in one request (the SDK's Runs query). A filter
// that is not a JSON object is an error before any request; a null project
// without errors is an error wrapping ErrProjectNotFound; a filter the
// server refuses is a *GraphQLError; GraphQL errors sent with the data are the page's Warnings;
// a page that claims more but ends at the cursor it was sent is an error
// wrapping ErrCursorStuck.
func (c *Client) Runs(ctx context.Context, entity, project string, q RunsQuery) (RunsPage, error) {
	if err := checkNames(entity, project); err != nil {
		return RunsPage{}, err
	}
	first, err := pageSize(q.First)
	if err != nil {
		return RunsPage{}, err
	}
	filters, err := checkFilters(q.Filters)
	if err != nil {
		return RunsPage{}, err
	}
	q.First, q.Filters = first, filters
	vars := runsVars(entity, project, q)
	var data struct {
		Project *struct {
			RunCount optInt64           `json:"runCount"`
			Runs     *connJSON[runJSON] `json:"runs"`
		} `json:"project"`
	}
	gqlErr := c.graphql(ctx, opRuns, queryRuns, vars, &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return RunsPage{}, gqlErr
	}
	if data.Project == nil {
		// W&B answers an unknown project with null and no error; with
		// errors, they are why (runCount is Int!: a filter it refused
		// nulls the project).
		return RunsPage{}, cmp.Or(noData(gqlErr), fmt.Errorf("%w: %s/%s", ErrProjectNotFound, entity, project))
	}
	if data.Project.Runs == nil {
		return RunsPage{}, cmp.Or(noData(gqlErr), fmt.Errorf("%s sent no runs for %s/%s", c.Host(), entity, project))
	}
	page := RunsPage{Total: -1, Warnings: warnings(gqlErr)}
	if data.Project.RunCount.ok {
		page.Total = int(data.Project.RunCount.v)
	}
	info := data.Project.Runs.info()
	page.EndCursor, page.HasNextPage = info.EndCursor, info.HasNextPage
	nodes := data.Project.Runs.nodes()
	page.Runs = make([]RunInfo, 0, len(nodes))
	for _, n := range nodes {
		page.Runs = append(page.Runs, n.info(RunRef{Entity: entity, Project: project}))
	}
	return page, checkPage(q.After, page.Info())
}

// runsVars returns the variables of Runs; q must be checked already.
func runsVars(entity, project string, q RunsQuery) map[string]any {
	v := map[string]any{
		"entity": entity, "project": project, "perPage": q.First,
		"filters": q.Filters, "order": cmp.Or(q.Order, DefaultRunOrder),
	}
	if q.After != "" {
		v["cursor"] = q.After
	}
	return v
}

// checkFilters returns the filters document to send: "{}" for none (as the
// SDK sends), else f when it is one JSON object.
func checkFilters(f string) (string, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return "{}", nil
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(f), &doc); err != nil || doc == nil {
		return "", errors.New("the runs filter is not a JSON object")
	}
	return f, nil
}

// Operation names of the runs queries.
const (
	opRuns      = "Runs"
	opRunDetail = "RunDetail"
)

// queryRuns is the SDK's Runs query (wandb/apis/public/runs.py) with the
// header fields of runFields.
const queryRuns = `query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    runCount(filters: $filters)
    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
      edges {
        cursor
        node {` + runFields + `
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
}`
