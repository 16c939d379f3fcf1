package wandbtest

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// errNull marks a null that must propagate to the nearest nullable parent.
var errNull = errors.New("null in non-null position")

// gqlError is one entry of the response's errors.
type gqlError struct {
	msg  string
	path []pathElem
}

// pathElem is a response key, or a list index when key is "".
type pathElem struct {
	key string
	idx int
}

// execCtx is the state of one request.
type execCtx struct {
	s        *Server
	doc      *ast.QueryDocument
	vars     map[string]any
	base     string // API base URL the request came to
	now      time.Time
	wrongMD5 bool
	buf      []byte
	errs     []gqlError
	path     []pathElem
}

// plan is the collected fields of a selection set on one object type, in
// response order, computed once per field per request (every edge of a
// page shares its node's plan).
type plan struct {
	groups []*fieldGroup
}

// fieldGroup is one response key: its first field (the one resolved), the
// merged sub-selection of every field with that key, and lazily its
// argument values and child plan.
type fieldGroup struct {
	key   string
	field *ast.Field
	sel   ast.SelectionSet
	args  map[string]any
	argOK bool
	child *plan
}

// run executes op and returns the response body.
func (ec *execCtx) run(op *ast.OperationDefinition) []byte {
	root := schema.Types["Query"]
	p := ec.planFor(root, op.SelectionSet)
	ec.buf = append(ec.buf, `{"data":`...)
	mark := len(ec.buf)
	if err := ec.execObject(queryObj{}, root, p); err != nil {
		ec.buf = append(ec.buf[:mark], "null"...)
	}
	if len(ec.errs) > 0 {
		ec.buf = append(ec.buf, `,"errors":[`...)
		for i, e := range ec.errs {
			if i > 0 {
				ec.buf = append(ec.buf, ',')
			}
			ec.buf = append(ec.buf, `{"message":`...)
			ec.buf = appendJSONString(ec.buf, e.msg)
			ec.buf = append(ec.buf, `,"path":[`...)
			for j, p := range e.path {
				if j > 0 {
					ec.buf = append(ec.buf, ',')
				}
				if p.key != "" {
					ec.buf = appendJSONString(ec.buf, p.key)
				} else {
					ec.buf = appendInt(ec.buf, int64(p.idx))
				}
			}
			ec.buf = append(ec.buf, "]}"...)
		}
		ec.buf = append(ec.buf, ']')
	}
	return append(ec.buf, "}\n"...)
}

// addError records an error at the current path.
func (ec *execCtx) addError(msg string) {
	ec.errs = append(ec.errs, gqlError{msg: msg, path: append([]pathElem(nil), ec.path...)})
}

// planFor collects the fields of sel that apply to type def.
func (ec *execCtx) planFor(def *ast.Definition, sel ast.SelectionSet) *plan {
	p := &plan{}
	index := map[string]*fieldGroup{}
	ec.collect(def, sel, p, index, map[string]bool{})
	return p
}

// collect is CollectFields of the GraphQL spec: it flattens fragments whose
// type condition applies, honours @skip and @include, and merges fields
// with the same response key.
func (ec *execCtx) collect(def *ast.Definition, sel ast.SelectionSet, p *plan, index map[string]*fieldGroup, visited map[string]bool) {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if !ec.included(s.Directives) {
				continue
			}
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			if g := index[key]; g != nil {
				g.sel = append(g.sel[:len(g.sel):len(g.sel)], s.SelectionSet...)
				continue
			}
			g := &fieldGroup{key: key, field: s, sel: s.SelectionSet}
			index[key] = g
			p.groups = append(p.groups, g)
		case *ast.InlineFragment:
			if !ec.included(s.Directives) || !applies(def, s.TypeCondition) {
				continue
			}
			ec.collect(def, s.SelectionSet, p, index, visited)
		case *ast.FragmentSpread:
			if !ec.included(s.Directives) || visited[s.Name] {
				continue
			}
			visited[s.Name] = true
			frag := ec.doc.Fragments.ForName(s.Name)
			if frag == nil || !applies(def, frag.TypeCondition) {
				continue
			}
			ec.collect(def, frag.SelectionSet, p, index, visited)
		}
	}
}

// applies reports whether a fragment on cond applies to objects of def.
func applies(def *ast.Definition, cond string) bool {
	if cond == "" || cond == def.Name {
		return true
	}
	for _, i := range def.Interfaces {
		if i == cond {
			return true
		}
	}
	return false
}

// included evaluates @skip(if:) and @include(if:).
func (ec *execCtx) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		v, _ := d.ArgumentMap(ec.vars)["if"].(bool)
		if d.Name == "skip" && v || d.Name == "include" && !v {
			return false
		}
	}
	return true
}

// execObject writes obj's selected fields as a JSON object. It returns
// errNull when a non-null field came out null, so the caller nulls obj.
func (ec *execCtx) execObject(obj object, def *ast.Definition, p *plan) error {
	ec.buf = append(ec.buf, '{')
	for i, g := range p.groups {
		if i > 0 {
			ec.buf = append(ec.buf, ',')
		}
		ec.buf = appendJSONString(ec.buf, g.key)
		ec.buf = append(ec.buf, ':')
		if g.field.Name == "__typename" {
			ec.buf = appendJSONString(ec.buf, def.Name)
			continue
		}
		ec.path = append(ec.path, pathElem{key: g.key})
		err := ec.execField(obj, g)
		ec.path = ec.path[:len(ec.path)-1]
		if err != nil {
			return err
		}
	}
	ec.buf = append(ec.buf, '}')
	return nil
}

// execField resolves and writes one field.
func (ec *execCtx) execField(obj object, g *fieldGroup) error {
	if !g.argOK {
		if len(g.field.Arguments) > 0 {
			g.args = g.field.ArgumentMap(ec.vars)
		}
		g.argOK = true
	}
	var val value
	var err error
	switch g.field.Name {
	case "__schema", "__type":
		val = introspect(g.field.Name, g.args)
	default:
		val, err = obj.resolve(ec, g.field.Name, g.args)
	}
	if err != nil {
		ec.addError(err.Error())
		val = null
	}
	return ec.complete(g.field.Definition.Type, val, g, err != nil)
}

// complete writes val as type t. reported says an error for this field was
// recorded already, so a null needs no second message.
func (ec *execCtx) complete(t *ast.Type, val value, g *fieldGroup, reported bool) error {
	switch val.kind {
	case kNull:
		if t.NonNull {
			if !reported {
				ec.addError("Cannot return null for non-nullable field " + g.field.ObjectDefinition.Name + "." + g.field.Name)
			}
			return errNull
		}
		ec.buf = append(ec.buf, "null"...)
		return nil
	case kSchemaNull:
		ec.buf = append(ec.buf, "null"...)
		return nil
	case kList:
		l := val.l
		mark := len(ec.buf)
		ec.buf = append(ec.buf, '[')
		for i := 0; i < l.Len(); i++ {
			if i > 0 {
				ec.buf = append(ec.buf, ',')
			}
			ec.path = append(ec.path, pathElem{idx: i})
			err := ec.complete(t.Elem, l.At(i), g, false)
			ec.path = ec.path[:len(ec.path)-1]
			if err != nil {
				if t.NonNull {
					return err
				}
				ec.buf = append(ec.buf[:mark], "null"...)
				return nil
			}
		}
		ec.buf = append(ec.buf, ']')
		return nil
	case kObject:
		def := schema.Types[t.NamedType]
		var p *plan
		if def.IsAbstractType() {
			// An interface or union: the plan is the concrete type's.
			def = concreteType(def, val.o)
			p = ec.planFor(def, g.sel)
		} else {
			if g.child == nil {
				g.child = ec.planFor(def, g.sel)
			}
			p = g.child
		}
		mark := len(ec.buf)
		if err := ec.execObject(val.o, def, p); err != nil {
			if t.NonNull {
				return err
			}
			ec.buf = append(ec.buf[:mark], "null"...)
		}
		return nil
	}
	ec.buf = appendScalar(ec.buf, val)
	return nil
}

// appendScalar writes a scalar value as JSON.
func appendScalar(b []byte, v value) []byte {
	switch v.kind {
	case kString:
		return appendJSONString(b, v.s)
	case kBool:
		return strconv.AppendBool(b, v.b)
	case kInt:
		return appendInt(b, v.n)
	case kFloat:
		if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, v.f, 'g', -1, 64)
	case kJSON:
		return append(b, v.s...)
	case kTime:
		b = append(b, '"')
		b = v.t.UTC().AppendFormat(b, time.RFC3339)
		return append(b, '"')
	}
	panic("wandbtest: unsupported scalar value")
}
