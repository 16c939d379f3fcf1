// Package model holds the browsing state of the file browser with no
// terminal in sight: the files loaded so far, the lazy paging state
// machine (one request in flight, stale answers dropped, a cursor that
// does not advance ends paging), the server-side filter, the local
// narrowing typed in the filter line (substring or glob), the sort order,
// the cursor window and the selection. Download jobs live with the runner
// (wandb/runner) and display wording with the TUI (internal/termtext);
// the TUI renders this state and turns its requests into commands; tests
// drive it directly.
//
// Costs are chosen for large runs: moving the cursor is O(1), appending a
// page is O(page) (O(loaded) when a sort order is active, once per page),
// and only changing the narrowing text or the sort order walks every
// loaded row.
package model
