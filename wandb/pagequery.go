package wandb

// PageQuery selects one page of a paged listing: First rows (0 means the
// listing's default) after the cursor After ("" for the first page).
type PageQuery struct {
	First int
	After string
}
