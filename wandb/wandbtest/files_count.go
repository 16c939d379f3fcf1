package wandbtest

import "github.com/wbfiles/wbfiles/internal/like"

// countFiles returns the totalCount of a run's files connection: the
// files the names (when given) or the LIKE pattern (when not "") select,
// wherever the page's cursor stands.
func (rd *runData) countFiles(names []string, pattern string) int {
	switch {
	case len(names) > 0:
		seen := make(map[int]bool, len(names))
		for _, n := range names {
			if i, ok := rd.byName[n]; ok {
				seen[i] = true
			}
		}
		return len(seen)
	case pattern != "":
		p := like.Compile(pattern)
		n := 0
		for _, f := range rd.files {
			if p.Match(f.spec.Name) {
				n++
			}
		}
		return n
	}
	return len(rd.files)
}
