package wandbtest

import "time"

// PagingFaults are misbehaviours of cursor paging that a client must
// survive without looping or repeating rows. The zero value is a
// well-behaved server. They apply to every run and project, on top of
// Faults, to the connections Only names (all of them when zero): a run's
// files, a project's runs, an entity's projects (Query.models and
// Query.projects), and an artifact version's files.
type PagingFaults struct {
	// EchoCursor answers a request that carries a cursor with no edges,
	// hasNextPage true and the cursor it was sent as endCursor: a client
	// that trusts it asks for the same empty page forever. (A runs
	// connection keeps its totalCount.)
	EchoCursor bool
	// StuckCursor ignores the cursor: every request gets the first page
	// (full when there is more) with the same endCursor and hasNextPage
	// true, so the cursor never advances.
	StuckCursor bool
	// ErrorWithData, when set, adds this message to the answer's errors
	// (at the connection field's path) while the page is still answered,
	// as a server does when part of a query failed.
	ErrorWithData string
	// Only names the connections the faults apply to; 0 means all.
	Only Connection
}

// Connection names the paged connections of PagingFaults.Only.
type Connection int

// Connections of PagingFaults.Only.
const (
	FilesConnection         Connection = 1 << iota // Run.files
	RunsConnection                                 // Project.runs
	ProjectsConnection                             // Query.models, Query.projects
	ArtifactFilesConnection                        // Artifact.files, ArtifactCollectionMembership.files
	AllConnections          = FilesConnection | RunsConnection | ProjectsConnection | ArtifactFilesConnection
)

// SetPagingFaults replaces the paging faults.
func (s *Server) SetPagingFaults(f PagingFaults) { s.pagingFaults.Store(&f) }

// withPagingFaults answers a connection field of kind c with the paging
// faults applied; page answers it for the given arguments.
func (s *Server) withPagingFaults(ec *execCtx, c Connection, args map[string]any, page func(map[string]any) (value, error)) (value, error) {
	f := s.pagingFaults.Load()
	if f == nil || f.Only != 0 && f.Only&c == 0 {
		return page(args)
	}
	if f.ErrorWithData != "" {
		ec.addError(f.ErrorWithData)
	}
	after, _ := argString(args, "after")
	switch {
	case f.EchoCursor && after != "":
		v, err := page(args)
		if err != nil || v.kind != kObject {
			return v, err
		}
		return vObject(&echoConn{inner: v.o, cursor: after}), nil
	case f.StuckCursor:
		first := make(map[string]any, len(args))
		for k, v := range args {
			if k != "after" {
				first[k] = v
			}
		}
		return page(first)
	}
	return page(args)
}

// files answers Run.files with the paging faults applied.
func (s *Server) files(ec *execCtx, rd *runData, args map[string]any) (value, error) {
	return s.withPagingFaults(ec, FilesConnection, args, rd.page)
}

// runsWithFaults answers Project.runs with the paging faults applied.
func (s *Server) runsWithFaults(ec *execCtx, p *projectData, args map[string]any, now time.Time) (value, error) {
	return s.withPagingFaults(ec, RunsConnection, args, func(a map[string]any) (value, error) {
		return s.runsPage(p, a, now)
	})
}

// projectsWithFaults answers Query.models and Query.projects with the
// paging faults applied.
func (s *Server) projectsWithFaults(ec *execCtx, args map[string]any) (value, error) {
	return s.withPagingFaults(ec, ProjectsConnection, args, s.projectsPage)
}

// echoConn is a connection with no edges that claims more pages and gives
// back the cursor it was asked for; its other fields (totalCount) are the
// real page's.
type echoConn struct {
	inner  object
	cursor string
}

func (c *echoConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "pageInfo":
		return vObject(&pageInfo{start: c.cursor, end: c.cursor, hasNext: true, hasPrev: true}), nil
	case "edges":
		return vList(noStrings), nil
	}
	return c.inner.resolve(ec, name, args)
}
