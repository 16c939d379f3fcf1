package wandbtest

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// Project.runs(filters, order, first, after) and runCount(filters): the
// runs of a project that match a filter (see filter.go), in an order
// given as a key with a sign ("+created_at", the SDK's default, or
// "-heartbeat_at", "+summary_metrics.<k>", "-config.<k>.value"; no sign
// means ascending), one page at a time.

// runConn is a RunConnection: one page of runs.
type runConn struct {
	runs             []*runData
	total            int
	hasNext, hasPrev bool
}

func (c *runConn) Len() int       { return len(c.runs) }
func (c *runConn) At(i int) value { return vObject(runEdge{c.runs[i]}) }

func (c *runConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.runs), func(i int) string { return encodeCursor(c.runs[i].spec.ID) }), nil
	case "totalCount":
		return vInt(int64(c.total)), nil
	}
	return null, unknownField("RunConnection", name)
}

// runEdge is a RunEdge.
type runEdge struct{ rd *runData }

func (e runEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.rd.spec.ID)), nil
	case "node":
		return vObject(e.rd), nil
	}
	return null, unknownField("RunEdge", name)
}

// projectRuns returns the runs of p that match the filters argument.
func (s *Server) projectRuns(p *projectData, args map[string]any, now time.Time) ([]*runData, error) {
	text, _ := argString(args, "filters")
	f, err := parseRunFilter(text)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	var all []*runData
	for _, rd := range s.runs {
		if rd.spec.Entity == p.entity && rd.spec.Project == p.name {
			all = append(all, rd)
		}
	}
	s.mu.RUnlock()
	var out []*runData
	for _, rd := range all {
		if ok, _ := f.match(func(k string) (any, bool) { return rd.field(k, now) }); ok {
			out = append(out, rd)
		}
	}
	return out, nil
}

// projectActive is when the project was last updated, as W&B's
// Project.updatedAt says it: its latest run's start or end, or three days
// after its creation when it has no run. (A running run counts from its
// start, so the answer does not move with the clock.)
func (s *Server) projectActive(p *projectData, now time.Time) time.Time {
	last := p.createdAt.Add(72 * time.Hour)
	runs, _ := s.projectRuns(p, nil, now)
	for _, rd := range runs {
		t := rd.spec.CreatedAt
		if rd.spec.State != "running" {
			t = rd.ended
		}
		if t.After(last) {
			last = t
		}
	}
	return last
}

// runsPage answers Project.runs.
func (s *Server) runsPage(p *projectData, args map[string]any, now time.Time) (value, error) {
	runs, err := s.projectRuns(p, args, now)
	if err != nil {
		return null, err
	}
	order, _ := argString(args, "order")
	sortRuns(runs, order, now)
	start, end, err := pageBounds(args, len(runs), func(i int) string { return runs[i].spec.ID }, "run")
	if err != nil {
		return null, err
	}
	return vObject(&runConn{runs: runs[start:end], total: len(runs), hasNext: end < len(runs), hasPrev: start > 0}), nil
}

// sortRuns orders runs by the order key; missing values sort first
// ascending, and ties go by creation and id.
func sortRuns(runs []*runData, order string, now time.Time) {
	desc := strings.HasPrefix(order, "-")
	key := strings.TrimLeft(order, "+-")
	if key == "" {
		key = "createdAt"
	}
	// Each run's key once, not once per comparison.
	type keyed struct {
		v   any
		has bool
	}
	keys := make(map[*runData]keyed, len(runs))
	for _, rd := range runs {
		v, has := rd.field(key, now)
		keys[rd] = keyed{v, has}
	}
	sort.SliceStable(runs, func(i, j int) bool {
		ka, kb := keys[runs[i]], keys[runs[j]]
		a, hasA, b, hasB := ka.v, ka.has, kb.v, kb.has
		c := 0
		switch {
		case !hasA && hasB:
			c = -1
		case hasA && !hasB:
			c = 1
		case hasA && hasB:
			if c = compare(a, b); c == noOrder {
				c = 0
			}
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = runs[i].spec.CreatedAt.Compare(runs[j].spec.CreatedAt)
		}
		if c == 0 {
			c = strings.Compare(runs[i].spec.ID, runs[j].spec.ID)
		}
		return c < 0
	})
}

// user returns the username of the run's user.
func (rd *runData) user() string {
	if rd.spec.User != "" {
		return rd.spec.User
	}
	return rd.spec.Entity
}

// field returns the value of a filter or order key for the run, as of
// now, and whether the run has it.
func (rd *runData) field(key string, now time.Time) (any, bool) {
	r := &rd.spec
	str := func(s string) (any, bool) { return s, s != "" }
	switch key {
	case "name":
		return r.ID, true
	case "displayName", "display_name":
		return str(r.DisplayName)
	case "state":
		return str(r.State)
	case "group":
		return str(r.Group)
	case "host":
		return str(r.Host)
	case "jobType", "job_type":
		return str(r.JobType)
	case "username":
		return rd.user(), true
	case "tags":
		tags := make([]any, len(r.Tags))
		for i, t := range r.Tags {
			tags[i] = t
		}
		return tags, true
	case "createdAt", "created_at":
		return r.CreatedAt.UTC().Format(time.RFC3339), true
	case "heartbeatAt", "heartbeat_at":
		return rd.heartbeat(now).UTC().Format(time.RFC3339), true
	case "duration":
		return rd.heartbeat(now).Sub(r.CreatedAt).Seconds(), true
	}
	if k, ok := strings.CutPrefix(key, "config."); ok {
		return configValue(r.Config, k)
	}
	for _, prefix := range []string{"summary_metrics.", "summaryMetrics."} {
		if k, ok := strings.CutPrefix(key, prefix); ok {
			return jsonKey(rd.summary(), k)
		}
	}
	return nil, false
}

// configValue returns the value of a config key: the v of {"value": v}
// entries, with or without a trailing ".value" in the key.
func configValue(config, key string) (any, bool) {
	v, ok := jsonKey(config, key)
	if !ok {
		if k, cut := strings.CutSuffix(key, ".value"); cut {
			v, ok = jsonKey(config, k)
		}
	}
	if m, isMap := v.(map[string]any); ok && isMap {
		if inner, has := m["value"]; has {
			return inner, true
		}
	}
	return v, ok
}

// jsonKey returns the value of key in a JSON object text.
func jsonKey(text, key string) (any, bool) {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return nil, false
	}
	v, ok := m[key]
	return v, ok
}
