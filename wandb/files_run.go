package wandb

import "context"

// Run returns the header of the run ref. An unknown project or run (W&B
// answers null) is an error wrapping ErrRunNotFound. When the server sends
// GraphQL errors along with the run, the info is returned with a
// *GraphQLError whose Partial is set.
func (c *Client) Run(ctx context.Context, ref RunRef) (RunInfo, error) {
	if err := ref.check(); err != nil {
		return RunInfo{}, err
	}
	var data struct {
		Project *struct {
			Run *runJSON `json:"run"`
		} `json:"project"`
	}
	gqlErr := c.graphql(ctx, opRunInfo, queryRunInfo, runVars(ref), &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return RunInfo{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return RunInfo{}, notFound(ref, gqlErr)
	}
	return data.Project.Run.info(ref), gqlErr
}

// RunWithFiles is Run and Files in one round trip, for start-up: it
// returns the header of the run ref and the page of its files that q
// selects, asked for in one GraphQL request. q is checked as Files checks
// it, and the run's errors are Run's: an unknown project or run is an error
// wrapping ErrRunNotFound, and a request that failed is that failure, with
// neither result.
//
// GraphQL errors the server sends along with the data are the page's
// Warnings, with a nil error, as with Files. When the files connection is
// null, the run is returned with the error that explains it (and an empty
// page); a page that claims more but ends at the cursor it was sent is an
// error wrapping ErrCursorStuck, also returned with the run.
func (c *Client) RunWithFiles(ctx context.Context, ref RunRef, q FilesQuery) (RunInfo, FilesPage, error) {
	if err := ref.check(); err != nil {
		return RunInfo{}, FilesPage{}, err
	}
	q, err := q.checked()
	if err != nil {
		return RunInfo{}, FilesPage{}, err
	}
	var data struct {
		Project *struct {
			Run *struct {
				runJSON
				Files *fileConnJSON `json:"files"`
			} `json:"run"`
		} `json:"project"`
	}
	gqlErr := c.graphql(ctx, opRunWithFiles, queryRunWithFiles, filesVars(ref, q), &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return RunInfo{}, FilesPage{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return RunInfo{}, FilesPage{}, notFound(ref, gqlErr)
	}
	run := data.Project.Run
	page, err := filesResult(run.Files, q.After, gqlErr)
	return run.info(ref), page, err
}

// runJSON is a run's header as the server sends it (runFields).
type runJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	DisplayName string   `json:"displayName"`
	State       string   `json:"state"`
	FileCount   optInt64 `json:"fileCount"`
	CreatedAt   optTime  `json:"createdAt"`
	HeartbeatAt optTime  `json:"heartbeatAt"`
	Tags        []string `json:"tags"`
	Group       string   `json:"group"`
	JobType     string   `json:"jobType"`
	User        *struct {
		Username string `json:"username"`
	} `json:"user"`
}

// info converts the header of the run ref. The run's name, when sent, is
// the run id W&B knows it by.
func (r *runJSON) info(ref RunRef) RunInfo {
	info := RunInfo{Ref: ref, DisplayName: r.DisplayName, State: r.State, FileCount: -1,
		CreatedAt: r.CreatedAt.t, HeartbeatAt: r.HeartbeatAt.t, Tags: r.Tags, Group: r.Group, JobType: r.JobType}
	if r.User != nil {
		info.User = r.User.Username
	}
	if r.Name != "" {
		info.Ref.RunID = r.Name
	}
	if r.FileCount.ok {
		info.FileCount = int(r.FileCount.v)
	}
	return info
}
