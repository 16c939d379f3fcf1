// Package model holds the state of the file browser with no terminal in
// sight: the files loaded so far, the lazy paging state machine, the
// server-side filter, the local narrowing typed in the filter line, the
// sort order and the cursor window. The TUI renders it and turns its
// requests into commands; tests drive it directly.
//
// Costs are chosen for large runs: moving the cursor is O(1), appending a
// page is O(page) (O(loaded) when a sort order is active, once per page),
// and only changing the narrowing text or the sort order walks every
// loaded row.
package model
