package wandbtest

import (
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
)

// Introspection: __schema and __type answered from the loaded SDL, as the
// GraphQL spec describes them. The W&B SDK asks __type(name) for the
// fields of Run and Project before it loads runs, to learn which optional
// fields the server has.

// introspect resolves the introspection fields of the query root.
func introspect(name string, args map[string]any) value {
	if name == "__schema" {
		return vObject(schemaObj{})
	}
	n, _ := argString(args, "name")
	if schema.Types[n] == nil {
		return null
	}
	return vObject(typeObj{ast.NamedType(n, nil)})
}

// objects is a list of objects.
type objects []object

func (l objects) Len() int       { return len(l) }
func (l objects) At(i int) value { return vObject(l[i]) }

// schemaObj is __Schema.
type schemaObj struct{}

func (schemaObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "description", "mutationType", "subscriptionType":
		return null, nil // this server answers queries only
	case "queryType":
		return vObject(typeObj{ast.NamedType(schema.Query.Name, nil)}), nil
	case "types":
		names := make([]string, 0, len(schema.Types))
		for n := range schema.Types {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make(objects, len(names))
		for i, n := range names {
			out[i] = typeObj{ast.NamedType(n, nil)}
		}
		return vList(out), nil
	case "directives":
		names := make([]string, 0, len(schema.Directives))
		for n := range schema.Directives {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make(objects, len(names))
		for i, n := range names {
			out[i] = directiveObj{schema.Directives[n]}
		}
		return vList(out), nil
	}
	return null, unknownField("__Schema", name)
}

// typeObj is __Type: a named type, or a list or non-null wrapper of one.
type typeObj struct{ t *ast.Type }

func (o typeObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	t := o.t
	if t.NonNull || t.Elem != nil {
		return o.wrapper(name)
	}
	def := schema.Types[t.NamedType]
	includeDeprecated, _ := args["includeDeprecated"].(bool)
	switch name {
	case "kind":
		return vString(string(def.Kind)), nil
	case "name":
		return vString(def.Name), nil
	case "description":
		return vStringOrNull(def.Description), nil
	case "specifiedByURL":
		if d := def.Directives.ForName("specifiedBy"); d != nil {
			if a := d.Arguments.ForName("url"); a != nil {
				return vString(a.Value.Raw), nil
			}
		}
		return null, nil
	case "fields":
		if def.Kind != ast.Object && def.Kind != ast.Interface {
			return null, nil
		}
		var out objects
		for _, f := range def.Fields {
			if len(f.Name) < 2 || f.Name[:2] != "__" {
				if includeDeprecated || !deprecated(f.Directives) {
					out = append(out, fieldObj{f})
				}
			}
		}
		return vList(out), nil
	case "interfaces":
		if def.Kind != ast.Object && def.Kind != ast.Interface {
			return null, nil
		}
		out := make(objects, len(def.Interfaces))
		for i, n := range def.Interfaces {
			out[i] = typeObj{ast.NamedType(n, nil)}
		}
		return vList(out), nil
	case "possibleTypes":
		if def.Kind != ast.Interface && def.Kind != ast.Union {
			return null, nil
		}
		var out objects
		for _, p := range schema.GetPossibleTypes(def) {
			out = append(out, typeObj{ast.NamedType(p.Name, nil)})
		}
		return vList(out), nil
	case "enumValues":
		if def.Kind != ast.Enum {
			return null, nil
		}
		var out objects
		for _, v := range def.EnumValues {
			if includeDeprecated || !deprecated(v.Directives) {
				out = append(out, enumValueObj{v})
			}
		}
		return vList(out), nil
	case "inputFields":
		if def.Kind != ast.InputObject {
			return null, nil
		}
		var out objects
		for _, f := range def.Fields {
			if includeDeprecated || !deprecated(f.Directives) {
				out = append(out, inputValueObj{f.Name, f.Description, f.Type, f.DefaultValue, f.Directives})
			}
		}
		return vList(out), nil
	case "isOneOf":
		if def.Kind != ast.InputObject {
			return null, nil
		}
		return vBool(def.Directives.ForName("oneOf") != nil), nil
	case "ofType":
		return null, nil
	}
	return null, unknownField("__Type", name)
}

// wrapper resolves a LIST or NON_NULL type: a kind and what it wraps.
func (o typeObj) wrapper(name string) (value, error) {
	t := o.t
	switch name {
	case "kind":
		if t.NonNull {
			return vString("NON_NULL"), nil
		}
		return vString("LIST"), nil
	case "ofType":
		if t.NonNull {
			inner := *t
			inner.NonNull = false
			return vObject(typeObj{&inner}), nil
		}
		return vObject(typeObj{t.Elem}), nil
	case "name", "description", "specifiedByURL", "fields", "interfaces", "possibleTypes",
		"enumValues", "inputFields", "isOneOf":
		return null, nil
	}
	return null, unknownField("__Type", name)
}

// fieldObj is __Field.
type fieldObj struct{ f *ast.FieldDefinition }

func (o fieldObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "name":
		return vString(o.f.Name), nil
	case "description":
		return vStringOrNull(o.f.Description), nil
	case "args":
		return vList(argList(o.f.Arguments, args)), nil
	case "type":
		return vObject(typeObj{o.f.Type}), nil
	case "isDeprecated":
		return vBool(deprecated(o.f.Directives)), nil
	case "deprecationReason":
		return deprecationReason(o.f.Directives), nil
	}
	return null, unknownField("__Field", name)
}

// argList returns the arguments as __InputValue objects.
func argList(defs ast.ArgumentDefinitionList, args map[string]any) objects {
	includeDeprecated, _ := args["includeDeprecated"].(bool)
	out := objects{}
	for _, a := range defs {
		if includeDeprecated || !deprecated(a.Directives) {
			out = append(out, inputValueObj{a.Name, a.Description, a.Type, a.DefaultValue, a.Directives})
		}
	}
	return out
}

// inputValueObj is __InputValue: an argument or an input object's field.
type inputValueObj struct {
	name, description string
	t                 *ast.Type
	defaultValue      *ast.Value
	directives        ast.DirectiveList
}

func (o inputValueObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "name":
		return vString(o.name), nil
	case "description":
		return vStringOrNull(o.description), nil
	case "type":
		return vObject(typeObj{o.t}), nil
	case "defaultValue":
		if o.defaultValue == nil {
			return null, nil
		}
		return vString(o.defaultValue.String()), nil
	case "isDeprecated":
		return vBool(deprecated(o.directives)), nil
	case "deprecationReason":
		return deprecationReason(o.directives), nil
	}
	return null, unknownField("__InputValue", name)
}

// enumValueObj is __EnumValue.
type enumValueObj struct{ v *ast.EnumValueDefinition }

func (o enumValueObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "name":
		return vString(o.v.Name), nil
	case "description":
		return vStringOrNull(o.v.Description), nil
	case "isDeprecated":
		return vBool(deprecated(o.v.Directives)), nil
	case "deprecationReason":
		return deprecationReason(o.v.Directives), nil
	}
	return null, unknownField("__EnumValue", name)
}

// directiveObj is __Directive.
type directiveObj struct{ d *ast.DirectiveDefinition }

func (o directiveObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "name":
		return vString(o.d.Name), nil
	case "description":
		return vStringOrNull(o.d.Description), nil
	case "isRepeatable":
		return vBool(o.d.IsRepeatable), nil
	case "locations":
		locs := make(stringList, len(o.d.Locations))
		for i, l := range o.d.Locations {
			locs[i] = string(l)
		}
		return vList(locs), nil
	case "args":
		return vList(argList(o.d.Arguments, args)), nil
	}
	return null, unknownField("__Directive", name)
}

// deprecated reports whether directives hold @deprecated.
func deprecated(dirs ast.DirectiveList) bool {
	return dirs.ForName("deprecated") != nil
}

// deprecationReason is the reason of @deprecated, with the spec's default,
// or null when not deprecated.
func deprecationReason(dirs ast.DirectiveList) value {
	d := dirs.ForName("deprecated")
	if d == nil {
		return null
	}
	if a := d.Arguments.ForName("reason"); a != nil {
		return vString(a.Value.Raw)
	}
	return vString("No longer supported")
}
