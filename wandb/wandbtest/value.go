package wandbtest

import "time"

// valueKind says which field of a value is set.
type valueKind uint8

const (
	kNull       valueKind = iota // null
	kSchemaNull                  // null sent for a non-null field on purpose
	kString
	kBool
	kInt
	kFloat
	kTime
	kJSON // s is JSON text, written as it is (the JSON scalar)
	kObject
	kList
)

// value is what a resolver returns for one field. It is a plain struct
// rather than an interface so that resolving a page of files boxes
// nothing: the server shares the process with client benchmarks that count
// allocations per file.
type value struct {
	kind valueKind
	b    bool
	n    int64
	f    float64
	s    string
	t    time.Time
	o    object
	l    list
}

// null is the null value.
var null = value{}

// schemaNull is null sent for a non-null field on purpose: real W&B servers
// do it (sizeBytes, for one), and clients must cope.
var schemaNull = value{kind: kSchemaNull}

func vString(s string) value { return value{kind: kString, s: s} }
func vBool(b bool) value     { return value{kind: kBool, b: b} }
func vInt(n int64) value     { return value{kind: kInt, n: n} }
func vFloat(f float64) value { return value{kind: kFloat, f: f} }
func vTime(t time.Time) value {
	return value{kind: kTime, t: t}
}
func vJSON(text string) value { return value{kind: kJSON, s: text} }
func vObject(o object) value  { return value{kind: kObject, o: o} }
func vList(l list) value      { return value{kind: kList, l: l} }

// vStringOrNull maps "" to null.
func vStringOrNull(s string) value {
	if s == "" {
		return null
	}
	return vString(s)
}

// object is a value of a GraphQL object type. resolve returns the value of
// one field; a returned error becomes a GraphQL error at that field, whose
// value is then null.
type object interface {
	resolve(ec *execCtx, name string, args map[string]any) (value, error)
}

// list is a GraphQL list value.
type list interface {
	Len() int
	At(i int) value
}

// stringList is a list of strings.
type stringList []string

func (l stringList) Len() int       { return len(l) }
func (l stringList) At(i int) value { return vString(l[i]) }

// noStrings is the empty list, boxed once.
var noStrings list = stringList(nil)
