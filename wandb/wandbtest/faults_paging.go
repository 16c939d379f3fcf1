package wandbtest

// PagingFaults are misbehaviours of Run.files paging that a client must
// survive without looping or repeating rows. The zero value is a
// well-behaved server. They apply to every run, on top of Faults.
type PagingFaults struct {
	// EchoCursor answers a files request that carries a cursor with no
	// edges, hasNextPage true and the cursor it was sent as endCursor: a
	// client that trusts it asks for the same empty page forever.
	EchoCursor bool
	// StuckCursor ignores the cursor: every files request gets the first
	// page (full when the run has more files) with the same endCursor and
	// hasNextPage true, so the cursor never advances.
	StuckCursor bool
	// ErrorWithData, when set, adds this message to the answer's errors
	// (at the files field's path) while the page is still answered, as a
	// server does when part of a query failed.
	ErrorWithData string
}

// SetPagingFaults replaces the paging faults.
func (s *Server) SetPagingFaults(f PagingFaults) { s.pagingFaults.Store(&f) }

// files answers Run.files with the paging faults applied.
func (s *Server) files(ec *execCtx, rd *runData, args map[string]any) (value, error) {
	f := s.pagingFaults.Load()
	if f == nil {
		return rd.page(args)
	}
	if f.ErrorWithData != "" {
		ec.addError(f.ErrorWithData)
	}
	after, _ := argString(args, "after")
	switch {
	case f.EchoCursor && after != "":
		return vObject(&echoConn{cursor: after}), nil
	case f.StuckCursor:
		first := make(map[string]any, len(args))
		for k, v := range args {
			if k != "after" {
				first[k] = v
			}
		}
		return rd.page(first)
	}
	return rd.page(args)
}

// echoConn is an empty FileConnection that claims more pages and gives
// back the cursor it was asked for.
type echoConn struct {
	fileConn
	cursor string
}

func (c *echoConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	if name == "pageInfo" {
		return vObject(&pageInfo{start: c.cursor, end: c.cursor, hasNext: true, hasPrev: true}), nil
	}
	return c.fileConn.resolve(ec, name, args)
}
