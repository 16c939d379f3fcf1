// Package termtext is the one home of the rules for text that reaches a
// terminal or a log line: making server-supplied text harmless (no control
// characters, escape sequences or invalid UTF-8), keeping it on one line,
// fitting it to a number of cells (cut at the end or in the middle,
// padded left or right), and the wording of sizes, speeds, durations and
// counts. The TUI, the download runner's summary and the command line all
// use it, so a name or an error is shown by the same rules everywhere.
package termtext
