package wandbtest

import (
	"errors"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Resolvers of the artifact types. The Query, Project and Run fields that
// lead to artifacts are answered here too (artifactRootField and friends),
// so resolve.go only hands them on.

// artifactRootField answers Query.artifact and Query.artifactCollection.
func (s *Server) artifactRootField(ec *execCtx, name string, args map[string]any) (value, error) {
	id, _ := argString(args, "id")
	switch name {
	case "artifact":
		if v := s.artVersionByID(id); v != nil {
			return vObject(v), nil
		}
		return null, nil
	case "artifactCollection":
		if c := s.artCollectionByID(id); c != nil {
			return vObject(c), nil
		}
		return null, nil
	}
	return null, unknownField("Query", name)
}

// projectArtifactField answers the artifact fields of Project.
func (s *Server) projectArtifactField(ec *execCtx, p *projectData, name string, args map[string]any) (value, error) {
	arg, _ := argString(args, "name")
	switch name {
	case "artifact", "artifactCollectionMembership":
		coll, alias := parseAliasName(arg)
		c := s.artCollection(p.entity, p.name, coll)
		if c == nil {
			return null, nil
		}
		v := c.version(alias)
		if v == nil {
			return null, nil
		}
		if name == "artifact" {
			return vObject(v), nil
		}
		return vObject(artMembership{v}), nil
	case "artifactCollection":
		if c := s.artCollection(p.entity, p.name, arg); c != nil {
			return vObject(c), nil
		}
		return null, nil
	case "artifactCollections":
		return collectionsPage(s.projectCollections(p.entity, p.name, ""), args)
	case "artifactType":
		if cs := s.projectCollections(p.entity, p.name, arg); len(cs) > 0 {
			return vObject(artType{entity: p.entity, project: p.name, name: arg}), nil
		}
		return null, nil
	case "artifactTypes":
		return typesPage(s.projectTypes(p.entity, p.name), args)
	}
	return null, unknownField("Project", name)
}

// runArtifactField answers Run.inputArtifacts and Run.outputArtifacts.
func (s *Server) runArtifactField(ec *execCtx, rd *runData, name string, args map[string]any) (value, error) {
	switch name {
	case "inputArtifacts", "outputArtifacts":
		return versionsPage(s.runArtifacts(rd.spec.Ref(), name == "inputArtifacts"), args)
	}
	return null, unknownField("Run", name)
}

// projectTypes returns the artifact types of a project, by name.
func (s *Server) projectTypes(entity, project string) []artType {
	var out []artType
	for _, c := range s.projectCollections(entity, project, "") {
		t := artType{entity: entity, project: project, name: c.typ}
		if !containsType(out, t) {
			out = append(out, t)
		}
	}
	sortTypes(out)
	return out
}

// typeName names the concrete type of an object of an interface or union
// type, for __typename and type conditions.
type typeNamer interface{ typeName() string }

// concreteType returns the object type of o, which a field of the
// abstract type def returned.
func concreteType(def *ast.Definition, o object) *ast.Definition {
	name := ""
	switch o := o.(type) {
	case typeNamer:
		name = o.typeName()
	case *runData:
		name = "Run"
	case *userObj:
		name = "User"
	}
	if t := schema.Types[name]; t != nil {
		return t
	}
	panic("wandbtest: no concrete type of " + def.Name + " for the value")
}

// Artifact.

func (v *artVersion) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	c := v.coll
	// Fields with artifactCollectionName answer for that collection only:
	// a version here belongs to its sequence alone.
	otherColl := false
	if n, ok := argString(args, "artifactCollectionName"); ok && n != c.name {
		otherColl = true
	}
	switch name {
	case "id":
		return vString(v.id), nil
	case "aliases":
		if otherColl {
			return vList(noStrings), nil
		}
		return vList(aliasList{v: v, aliases: v.aliases}), nil
	case "artifactMemberships":
		return membershipsPage([]*artVersion{v}, args)
	case "artifactSequence":
		return vObject(c), nil
	case "artifactType":
		return vObject(artType{entity: c.entity, project: c.project, name: c.typ}), nil
	case "commitHash":
		if otherColl {
			return null, nil
		}
		return vString(v.commit), nil
	case "createdAt", "updatedAt":
		return vTime(v.created), nil
	case "createdBy":
		if ref := strings.SplitN(v.loggedBy, "/", 3); len(ref) == 3 {
			if rd := ec.s.run(ref[0], ref[1], ref[2]); rd != nil {
				return vObject(rd), nil
			}
		}
		return null, nil
	case "currentManifest":
		return vObject(artManifest{v}), nil
	case "description":
		return vStringOrNull(v.spec.Description), nil
	case "digest":
		return vString(v.artifactDigest()), nil
	case "fileCount":
		return vInt(int64(len(v.entries))), nil
	case "files":
		return ec.s.artFiles(ec, v, args)
	case "filesByManifestEntries":
		return artFilesByEntries(v, args)
	case "historyStep":
		return null, nil
	case "metadata":
		if v.spec.Metadata == "" {
			return vString("{}"), nil
		}
		return vString(v.spec.Metadata), nil
	case "size":
		return vInt(v.size), nil
	case "state":
		return vString("COMMITTED"), nil
	case "tags":
		return vList(noStrings), nil
	case "ttlDurationSeconds":
		return vInt(-1), nil // no time to live
	case "ttlIsInherited":
		return vBool(true), nil
	case "usedBy":
		return ec.s.usedByPage(v, args)
	case "versionIndex":
		if otherColl {
			return null, nil
		}
		return vInt(int64(v.index)), nil
	}
	return null, unknownField("Artifact", name)
}

// usedByPage answers Artifact.usedBy: the runs (that exist) using v.
func (s *Server) usedByPage(v *artVersion, args map[string]any) (value, error) {
	var runs []*runData
	for _, ref := range v.spec.UsedBy {
		if p := strings.SplitN(ref, "/", 3); len(p) == 3 {
			if rd := s.run(p[0], p[1], p[2]); rd != nil {
				runs = append(runs, rd)
			}
		}
	}
	start, end, err := pageBounds(args, len(runs), func(i int) string { return runs[i].spec.ID }, "run")
	if err != nil {
		return null, err
	}
	return vObject(&runConn{runs: runs[start:end], total: len(runs), hasNext: end < len(runs), hasPrev: start > 0}), nil
}

// ArtifactSequence.

func (c *artCollection) typeName() string { return "ArtifactSequence" }

func (c *artCollection) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "id":
		return vString(c.id), nil
	case "name":
		return vString(c.name), nil
	case "description":
		return vStringOrNull(c.description), nil
	case "createdAt":
		return vTime(c.created), nil
	case "updatedAt":
		if n := len(c.versions); n > 0 {
			return vTime(c.versions[n-1].created), nil
		}
		return vTime(c.created), nil
	case "state":
		return vString("READY"), nil
	case "defaultArtifactType":
		return vObject(artType{entity: c.entity, project: c.project, name: c.typ}), nil
	case "project":
		if p := ec.s.project(c.entity, c.project); p != nil {
			return vObject(p), nil
		}
		return null, nil
	case "latestArtifact":
		if n := len(c.versions); n > 0 {
			return vObject(c.versions[n-1]), nil
		}
		return null, nil
	case "aliases":
		return c.aliasesPage(args)
	case "artifactMembership":
		alias, _ := argString(args, "aliasName")
		if v := c.version(alias); v != nil {
			return vObject(artMembership{v}), nil
		}
		return null, nil
	case "artifactMemberships":
		return membershipsPage(newestFirst(c.versions), args)
	case "artifacts":
		vs, err := c.ordered(args)
		if err != nil {
			return null, err
		}
		return versionsPage(vs, args)
	case "tags":
		return vObject(emptyConn{}), nil
	}
	return null, unknownField("ArtifactSequence", name)
}

// ordered returns the versions in the order of the artifacts field's
// order argument (newest first by default) after checking its filters.
func (c *artCollection) ordered(args map[string]any) ([]*artVersion, error) {
	if f, _ := argString(args, "filters"); f != "" && strings.TrimSpace(f) != "{}" {
		return nil, errors.New("filters on a collection's artifacts are not served by this server")
	}
	order, _ := argString(args, "order")
	switch strings.TrimLeft(order, "+-") {
	case "", "createdAt", "created_at", "versionIndex":
	default:
		return nil, errors.New("cannot order artifacts by " + strconv.Quote(order))
	}
	if order == "" || strings.HasPrefix(order, "-") {
		return newestFirst(c.versions), nil
	}
	return append([]*artVersion(nil), c.versions...), nil
}

// newestFirst returns the versions from the last to the first.
func newestFirst(vs []*artVersion) []*artVersion {
	out := make([]*artVersion, len(vs))
	for i, v := range vs {
		out[len(vs)-1-i] = v
	}
	return out
}

// artMembership is an ArtifactCollectionMembership: a version seen through
// its sequence.
type artMembership struct{ v *artVersion }

func (m artMembership) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	v := m.v
	switch name {
	case "id":
		return vString(opaqueID("ArtifactCollectionMembership", v.numID)), nil
	case "versionIndex":
		return vInt(int64(v.index)), nil
	case "aliases":
		return vList(aliasList{v: v, aliases: v.aliases}), nil
	case "artifact":
		return vObject(v), nil
	case "artifactCollection":
		return vObject(v.coll), nil
	case "commitHash":
		return vString(v.commit), nil
	case "createdAt":
		return vTime(v.created), nil
	case "files":
		return ec.s.artFiles(ec, v, args)
	}
	return null, unknownField("ArtifactCollectionMembership", name)
}

// artAlias is an ArtifactAlias of a version in its sequence.
type artAlias struct {
	v     *artVersion
	alias string
}

func (a artAlias) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "id":
		return vString(opaqueID("ArtifactAlias", a.v.coll.numID, a.alias)), nil
	case "alias":
		return vString(a.alias), nil
	case "artifact":
		return vObject(a.v), nil
	case "artifactCollection":
		return vObject(a.v.coll), nil
	case "artifactCollectionName":
		return vString(a.v.coll.name), nil
	}
	return null, unknownField("ArtifactAlias", name)
}

// aliasList is the aliases of one version.
type aliasList struct {
	v       *artVersion
	aliases []string
}

func (l aliasList) Len() int       { return len(l.aliases) }
func (l aliasList) At(i int) value { return vObject(artAlias{v: l.v, alias: l.aliases[i]}) }

// artType is an ArtifactType of a project.
type artType struct{ entity, project, name string }

func containsType(ts []artType, t artType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func (t artType) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	arg, _ := argString(args, "name")
	switch name {
	case "id":
		return vString(opaqueID("ArtifactType", numericID(t.entity, t.project, t.name))), nil
	case "name":
		return vString(t.name), nil
	case "description":
		return null, nil
	case "createdAt":
		cs := ec.s.projectCollections(t.entity, t.project, t.name)
		created := demoEpoch
		for i, c := range cs {
			if i == 0 || c.created.Before(created) {
				created = c.created
			}
		}
		return vTime(created), nil
	case "project":
		if p := ec.s.project(t.entity, t.project); p != nil {
			return vObject(p), nil
		}
		return null, nil
	case "artifact":
		coll, alias := parseAliasName(arg)
		if c := ec.s.artCollection(t.entity, t.project, coll); c != nil && c.typ == t.name {
			if v := c.version(alias); v != nil {
				return vObject(v), nil
			}
		}
		return null, nil
	case "artifactCollection", "artifactSequence":
		if c := ec.s.artCollection(t.entity, t.project, arg); c != nil && c.typ == t.name {
			return vObject(c), nil
		}
		return null, nil
	case "artifactCollections":
		return collectionsPage(ec.s.projectCollections(t.entity, t.project, t.name), args)
	}
	return null, unknownField("ArtifactType", name)
}

// artManifest is an ArtifactManifest: the version's current manifest.
type artManifest struct{ v *artVersion }

func (m artManifest) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "id":
		return vString(opaqueID("ArtifactManifest", m.v.numID)), nil
	case "artifact":
		return vObject(m.v), nil
	case "createdAt":
		return vTime(m.v.created), nil
	case "digest":
		return vString(m.v.artifactDigest()), nil
	case "type":
		return vString("FULL"), nil
	case "file":
		return vObject(artFile{v: m.v, e: m.v.manifestEntry(), manifest: true}), nil
	}
	return null, unknownField("ArtifactManifest", name)
}
