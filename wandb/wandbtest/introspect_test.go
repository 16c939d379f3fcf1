package wandbtest

import (
	"slices"
	"testing"
)

// TestIntrospectionProbes: the SDK asks __type(name: "Run") and
// __type(name: "Project") for their field names before it lists or loads
// runs (wandb/apis/public/runs.py), to learn whether projectId and
// internalId exist; an error there fails api.run().
func TestIntrospectionProbes(t *testing.T) {
	s := startTest(t, tinyRun())
	data := sdkGQL(t, s, `query Probe { RunType: __type(name: "Run") { fields { name } }
		ProjectType: __type(name: "Project") { fields { name } } nope: __type(name: "Nope") { name } }`, nil)
	names := func(alias string) []string {
		var out []string
		for _, f := range asList(dig(data, alias, "fields")) {
			out = append(out, f.(map[string]any)["name"].(string))
		}
		return out
	}
	run, project := names("RunType"), names("ProjectType")
	if !slices.Contains(run, "projectId") || !slices.Contains(project, "internalId") || len(run) != len(schema.Types["Run"].Fields) {
		t.Errorf("Run fields %v, Project fields %v", run, project)
	}
	if data["nope"] != nil {
		t.Errorf("an unknown type: %v", data["nope"])
	}
}

// TestIntrospectionTypes: wrappers, kinds, arguments with defaults,
// interfaces and the schema's roots come out as the spec says.
func TestIntrospectionTypes(t *testing.T) {
	s := startTest(t)
	data := sdkGQL(t, s, `{
		__schema { queryType { name } mutationType { name } types { name kind } directives { name locations } }
		run: __type(name: "Run") { kind name interfaces { name } fields { name args { name defaultValue type { kind name } }
			type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
		node: __type(name: "Node") { kind possibleTypes { name } }
		kind: __type(name: "__TypeKind") { kind enumValues { name } } }`, nil)
	if dig(data, "__schema", "queryType", "name") != "Query" || dig(data, "__schema", "mutationType") != nil {
		t.Errorf("schema roots: %v", data["__schema"])
	}
	kinds := map[string]any{}
	for _, ty := range asList(dig(data, "__schema", "types")) {
		kinds[ty.(map[string]any)["name"].(string)] = ty.(map[string]any)["kind"]
	}
	if kinds["Run"] != "OBJECT" || kinds["Node"] != "INTERFACE" || kinds["JSON"] != "SCALAR" || kinds["__TypeKind"] != "ENUM" {
		t.Errorf("types: %v", kinds)
	}
	if len(asList(dig(data, "__schema", "directives"))) < 3 {
		t.Errorf("directives: %v", dig(data, "__schema", "directives"))
	}
	run := data["run"].(map[string]any)
	if run["kind"] != "OBJECT" || len(asList(run["interfaces"])) != 1 {
		t.Errorf("Run: %v %v", run["kind"], run["interfaces"])
	}
	fields := map[string]map[string]any{}
	for _, f := range asList(run["fields"]) {
		fields[f.(map[string]any)["name"].(string)] = f.(map[string]any)
	}
	// tags: [String!] is LIST of NON_NULL of String.
	tags := dig(fields["tags"], "type").(map[string]any)
	if tags["kind"] != "LIST" || dig(tags, "ofType", "kind") != "NON_NULL" || dig(tags, "ofType", "ofType", "name") != "String" {
		t.Errorf("tags: %v", tags)
	}
	if dig(fields["id"], "type", "kind") != "NON_NULL" || dig(fields["id"], "type", "ofType", "name") != "ID" {
		t.Errorf("id: %v", fields["id"])
	}
	if len(asList(fields["files"]["args"])) != 4 {
		t.Errorf("files args: %v", fields["files"]["args"])
	}
	if n := len(asList(dig(data, "node", "possibleTypes"))); dig(data, "node", "kind") != "INTERFACE" || n != 4 { // Entity, Project, Run, File
		t.Errorf("Node: %v", data["node"])
	}
	if n := len(asList(dig(data, "kind", "enumValues"))); n != 8 {
		t.Errorf("__TypeKind: %d values", n)
	}
}
