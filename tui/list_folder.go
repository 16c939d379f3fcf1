package tui

import (
	"fmt"
	"strings"

	"github.com/wbfiles/wbfiles/internal/termtext"
)

// folderHeaderView is the header of a folder: the breadcrumb, what is
// loaded under the folder, the filters and the destination.
func (l listView) folderHeaderView() string {
	f := l.folder
	parts := []string{l.folderCountText()}
	if l.note != "" {
		parts = append(parts, termtext.Safe(l.note))
	}
	if t := f.FilterText(); t != "" {
		parts = append(parts, fmt.Sprintf("filter %q", t))
	}
	if n := f.Narrowing(); n != "" {
		parts = append(parts, fmt.Sprintf("%s of %s loaded entries contain %q",
			termtext.Comma(int64(f.Len())), termtext.Comma(int64(f.Loaded())), n))
	}
	if l.dl.on() && l.dl.sel.Len() > 0 {
		parts = append(parts, selectionText(l.dl.sel))
	}
	return l.headerLines(l.breadcrumb(), parts)
}

// breadcrumb is where the folder is: the levels above the run, the run,
// then the folder's path, one part each ("acme / vision / bold-sun-42 /
// checkpoints / step_03000"), the last one in the title style. A crumb
// too long for the width loses its first parts.
func (l listView) breadcrumb() string {
	run := l.b.Run
	name := run.Ref.RunID
	if run.DisplayName != "" {
		name = run.DisplayName
	}
	parts := append(append([]string{}, l.crumbs...), name)
	if p := strings.TrimSuffix(l.folder.Path, "/"); p != "" {
		parts = append(parts, strings.Split(p, "/")...)
	}
	title, used := crumbLine(l.styles, parts, l.width)
	if run.State != "" && used+len(run.State)+4 <= l.width {
		title += l.styles.Subtle.Render("  (" + termtext.Safe(run.State) + ")")
	}
	return title
}

// crumbLine draws a breadcrumb ("acme / vision / bold-sun-42 /
// checkpoints") in at most width cells, the last part in the title style;
// the first parts give way to "…" when it is too long, never the last.
// used is the width drawn.
func crumbLine(s Styles, parts []string, width int) (line string, used int) {
	parts = append([]string{}, parts...)
	for i := range parts {
		parts[i] = termtext.Safe(parts[i])
	}
	last := parts[len(parts)-1]
	head := parts[:len(parts)-1]
	sep := " / "
	room := width - termtext.Width(last)
	for len(head) > 0 && termtext.Width(strings.Join(head, sep)+sep) > room {
		head = head[1:]
		if len(head) > 0 {
			head[0] = "…"
		}
	}
	prefix := ""
	if len(head) > 0 {
		prefix = strings.Join(head, sep) + sep
	}
	last = termtext.Fit(last, width-termtext.Width(prefix))
	return s.Subtle.Render(prefix) + s.Title.Render(last), termtext.Width(prefix + last)
}

// folderCountText says how much is loaded under the folder: "1,204 of
// 5,000 files loaded · 2.3 GiB", "≥ 1,204 files · ≥ 2.3 GiB" while pages
// remain and the total is unknown.
func (l listView) folderCountText() string {
	f := l.folder
	tally, exact := f.Tally()
	size := termtext.AtLeast(termtext.Size(tally.Bytes, tally.Unknown), exact)
	switch total := f.Total(); {
	case exact:
		return termtext.Count(tally.Files, "file") + " · " + size
	case total >= 0:
		return fmt.Sprintf("%s of %s loaded · %s", termtext.Comma(int64(tally.Files)), termtext.Count(total, "file"), size)
	}
	return termtext.AtLeast(termtext.Count(tally.Files, "file"), false) + " · " + size + " (more pages to load)"
}

// folderEmptyText explains an empty folder.
func (l listView) folderEmptyText() string {
	f := l.folder
	switch {
	case f.Loaded() > 0:
		return fmt.Sprintf("no loaded entry contains %q (enter searches the folder)", f.Narrowing())
	case f.Err() != nil:
		return "no files loaded"
	case f.InFlight() || f.Pages() == 0:
		return "loading…"
	case f.FilterText() != "":
		return "no file in this folder matches the filter (esc clears it)"
	case f.Path == "":
		return "this run has no files"
	}
	return "this folder has no files"
}
