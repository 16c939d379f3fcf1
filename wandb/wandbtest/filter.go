package wandbtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Run filters: the MongoDB-style documents api.runs() sends as the filters
// of Project.runs and runCount. Operators: $and $or $nor of documents;
// $eq $ne $gt $gte $lt $lte $in $nin $exists $regex (RE2) on a key; a plain
// value means $eq, and an array field (tags) matches when an element does.
// $regex is case-sensitive unless the pattern starts with (?i) (SOURCE.md:
// whether W&B folds case is not confirmed). Keys: name (the run id),
// displayName (display_name), state, group, host, jobType, username (the
// run's user: RunSpec.User, else the entity), tags, createdAt (created_at), heartbeatAt (heartbeat_at),
// duration (seconds), config.<key> (the value of a {"value": v} entry; a
// trailing .value is accepted) and summary_metrics.<key>.

// runFilter is a parsed filter document with its compiled regexps.
type runFilter struct {
	doc map[string]any
	res map[string]*regexp.Regexp // by pattern
}

// parseRunFilter parses the filters argument; "" and null mean none.
func parseRunFilter(text string) (*runFilter, error) {
	f := &runFilter{res: map[string]*regexp.Regexp{}}
	if strings.TrimSpace(text) == "" {
		return f, nil
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&f.doc); err != nil {
		return nil, fmt.Errorf("filters is not a JSON object: %v", err)
	}
	// Check operators and compile regexps once, on an empty run.
	if _, err := f.match(func(string) (any, bool) { return nil, false }); err != nil {
		return nil, err
	}
	return f, nil
}

// match reports whether the run whose fields get returns matches f.
func (f *runFilter) match(get func(key string) (any, bool)) (bool, error) {
	return f.matchDoc(f.doc, get)
}

// matchDoc evaluates one document. It evaluates every condition, so that
// a bad one is an error whatever the run.
func (f *runFilter) matchDoc(doc map[string]any, get func(key string) (any, bool)) (bool, error) {
	all := true
	for key, cond := range doc {
		var ok bool
		var err error
		switch key {
		case "$and", "$or", "$nor":
			ok, err = f.matchLogic(key, cond, get)
		default:
			if strings.HasPrefix(key, "$") {
				return false, fmt.Errorf("unknown filter operator %s", key)
			}
			v, has := get(key)
			ok, err = f.matchField(v, has, cond)
		}
		if err != nil {
			return false, err
		}
		all = all && ok
	}
	return all, nil
}

// matchLogic evaluates $and, $or or $nor over a list of documents.
func (f *runFilter) matchLogic(op string, cond any, get func(string) (any, bool)) (bool, error) {
	list, ok := cond.([]any)
	if !ok {
		return false, fmt.Errorf("%s takes a list of filters", op)
	}
	any1, all := false, true
	for _, c := range list {
		doc, ok := c.(map[string]any)
		if !ok {
			return false, fmt.Errorf("%s takes a list of filters", op)
		}
		m, err := f.matchDoc(doc, get)
		if err != nil {
			return false, err
		}
		any1, all = any1 || m, all && m
	}
	switch op {
	case "$and":
		return all, nil
	case "$or":
		return any1, nil
	}
	return !any1, nil
}

// matchField evaluates a condition on one field: a value, or a document
// of operators.
func (f *runFilter) matchField(v any, has bool, cond any) (bool, error) {
	ops, isOps := cond.(map[string]any)
	if isOps {
		for k := range ops {
			isOps = isOps && strings.HasPrefix(k, "$")
		}
	}
	if !isOps {
		return has && matchEach(v, func(x any) bool { return compare(x, cond) == 0 }), nil
	}
	all := true
	for op, arg := range ops {
		ok, err := f.matchOp(op, arg, v, has)
		if err != nil {
			return false, err
		}
		all = all && ok
	}
	return all, nil
}

// matchOp evaluates one operator.
func (f *runFilter) matchOp(op string, arg, v any, has bool) (bool, error) {
	cmp := func(want func(int) bool) bool {
		return has && matchEach(v, func(x any) bool { c := compare(x, arg); return c != noOrder && want(c) })
	}
	switch op {
	case "$eq":
		return cmp(func(c int) bool { return c == 0 }), nil
	case "$ne":
		return !cmp(func(c int) bool { return c == 0 }), nil
	case "$gt":
		return cmp(func(c int) bool { return c > 0 }), nil
	case "$gte":
		return cmp(func(c int) bool { return c >= 0 }), nil
	case "$lt":
		return cmp(func(c int) bool { return c < 0 }), nil
	case "$lte":
		return cmp(func(c int) bool { return c <= 0 }), nil
	case "$in", "$nin":
		list, ok := arg.([]any)
		if !ok {
			return false, fmt.Errorf("%s takes a list", op)
		}
		in := has && matchEach(v, func(x any) bool {
			for _, a := range list {
				if compare(x, a) == 0 {
					return true
				}
			}
			return false
		})
		return in == (op == "$in"), nil
	case "$exists":
		want, _ := arg.(bool)
		return has == want, nil
	case "$regex":
		pat, ok := arg.(string)
		if !ok {
			return false, fmt.Errorf("$regex takes a string")
		}
		re := f.res[pat]
		if re == nil {
			var err error
			if re, err = regexp.Compile(pat); err != nil {
				return false, fmt.Errorf("bad $regex %q: %v", pat, err)
			}
			f.res[pat] = re
		}
		return has && matchEach(v, func(x any) bool { s, ok := x.(string); return ok && re.MatchString(s) }), nil
	}
	return false, fmt.Errorf("unknown filter operator %s", op)
}

// matchEach applies ok to v, or to each element when v is a list.
func matchEach(v any, ok func(any) bool) bool {
	if l, isList := v.([]any); isList {
		for _, x := range l {
			if ok(x) {
				return true
			}
		}
		return false
	}
	return ok(v)
}

// noOrder is compare's answer for values of different kinds.
const noOrder = 2

// compare orders two JSON values of the same kind: numbers by value,
// times (RFC 3339, with or without a zone) in time, other strings by
// bytes, booleans false first; nulls equal nulls. Values of different
// kinds give noOrder.
func compare(a, b any) int {
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			return sign(fa - fb)
		}
		return noOrder
	}
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		if !ok {
			return noOrder
		}
		if ta, ok := parseTime(a); ok {
			if tb, ok := parseTime(b); ok {
				return ta.Compare(tb)
			}
		}
		return strings.Compare(a, b)
	case bool:
		b, ok := b.(bool)
		if !ok {
			return noOrder
		}
		switch {
		case a == b:
			return 0
		case b:
			return -1
		}
		return 1
	case nil:
		if b == nil {
			return 0
		}
	}
	return noOrder
}

// number converts a JSON number (json.Number or float64) to float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func sign(f float64) int {
	switch {
	case f < 0:
		return -1
	case f > 0:
		return 1
	}
	return 0
}

// parseTime reads the timestamps filters compare createdAt with: RFC 3339,
// or UTC without a zone designator as W&B writes them.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
