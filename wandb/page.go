package wandb

// PageInfo is the paging part of any page the client returns (files,
// projects, runs, artifacts): where the next page starts, whether there is
// one, and the GraphQL errors the server sent beside the data. Lazy lists
// and page walkers work on it whatever the rows are.
type PageInfo struct {
	// EndCursor is the cursor to pass as After for the next page.
	EndCursor   string
	HasNextPage bool
	// Warnings are the messages of GraphQL errors sent along with the
	// page: it is usable but may lack rows or fields.
	Warnings []string
}

// Info returns the page's paging part.
func (p FilesPage) Info() PageInfo {
	return PageInfo{EndCursor: p.EndCursor, HasNextPage: p.HasNextPage, Warnings: p.Warnings}
}
