// Package tui is the terminal interface of wbfiles: a Bubble Tea v2
// program over the files of one W&B run.
//
// The root Model is a small state machine (root.go) that routes messages
// to its children and switches views: answers to commands go to whoever
// asked, whatever the view; keys go to an open question first, then to
// the active view. The children are components in bubbles' shape, each
// with its own Update returning its concrete type and its own View:
//   - Table, one generic list over any row type (a row source and a column
//     set; narrow terminals drop columns), used by the files list
//     (listView: the run header, the table, a status line);
//   - filterBar, the filter line; detailView, one file's fields and preview;
//   - questions, the queue of questions (a large batch, select-all's
//     count, quit while downloading), asked one at a time;
//   - jobsView, the downloads view, which renders the snapshots of the
//     download runner (wandb/runner) and sends it commands.
//
// Downloads run on the runner, not as Bubble Tea commands; while they run
// the root redraws on a frame tick (15 a second), never per download
// event. The state the views show lives in package model and in the
// runner, which know nothing of terminals; the text rules (sanitizing,
// fitting, wording) live in internal/termtext.
package tui
