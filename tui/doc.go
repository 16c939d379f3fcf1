// Package tui is the terminal interface of wbfiles: a Bubble Tea v2
// program over the files of one W&B run with a list view that pages
// lazily, a filter line, a detail view with a preview and a help overlay.
//
// The root Model is a small state machine; it hands a common value (size,
// styles, keys, clock) to its child views, sends window sizes to all of
// them and every other message only to the active one. The state the
// views show lives in package model, which knows nothing of terminals.
package tui
