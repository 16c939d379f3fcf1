package wandbtest

import (
	"sort"
	"strconv"
)

// The paged connections of artifacts. Each is cut by pageBounds (first
// defaults to 50, at most 1000; a cursor names an item of the listing),
// and one Go type answers every connection type over the same items: the
// schema decides which fields a request may select.

// versionConn is an ArtifactConnection, an InputArtifactConnection or a
// VersionedArtifactConnection: one page of versions.
type versionConn struct {
	vs               []*artVersion
	total            int
	hasNext, hasPrev bool
}

func (c *versionConn) Len() int       { return len(c.vs) }
func (c *versionConn) At(i int) value { return vObject(versionEdge{c.vs[i]}) }

func (c *versionConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.vs), func(i int) string { return encodeCursor(c.vs[i].numID) }), nil
	case "totalCount":
		return vInt(int64(c.total)), nil
	}
	return null, unknownField("ArtifactConnection", name)
}

// versionEdge is an ArtifactEdge, InputArtifactEdge or VersionedArtifactEdge.
type versionEdge struct{ v *artVersion }

func (e versionEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.v.numID)), nil
	case "node":
		return vObject(e.v), nil
	case "usedAs":
		return vList(noStrings), nil
	case "version":
		return vString("v" + strconv.Itoa(e.v.index)), nil
	}
	return null, unknownField("ArtifactEdge", name)
}

// versionsPage pages versions in the order given.
func versionsPage(vs []*artVersion, args map[string]any) (value, error) {
	start, end, err := pageBounds(args, len(vs), func(i int) string { return vs[i].numID }, "artifact")
	if err != nil {
		return null, err
	}
	return vObject(&versionConn{vs: vs[start:end], total: len(vs), hasNext: end < len(vs), hasPrev: start > 0}), nil
}

// membershipConn is an ArtifactCollectionMembershipConnection.
type membershipConn struct {
	vs               []*artVersion
	hasNext, hasPrev bool
}

func (c *membershipConn) Len() int       { return len(c.vs) }
func (c *membershipConn) At(i int) value { return vObject(membershipEdge{c.vs[i]}) }

func (c *membershipConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.vs), func(i int) string { return encodeCursor(c.vs[i].numID) }), nil
	}
	return null, unknownField("ArtifactCollectionMembershipConnection", name)
}

// membershipEdge is an ArtifactCollectionMembershipEdge.
type membershipEdge struct{ v *artVersion }

func (e membershipEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.v.numID)), nil
	case "node":
		return vObject(artMembership(e)), nil
	}
	return null, unknownField("ArtifactCollectionMembershipEdge", name)
}

// membershipsPage pages the memberships of versions.
func membershipsPage(vs []*artVersion, args map[string]any) (value, error) {
	start, end, err := pageBounds(args, len(vs), func(i int) string { return vs[i].numID }, "artifact")
	if err != nil {
		return null, err
	}
	return vObject(&membershipConn{vs: vs[start:end], hasNext: end < len(vs), hasPrev: start > 0}), nil
}

// aliasConn is an ArtifactAliasConnection: a collection's aliases.
type aliasConn struct {
	as               []artAlias
	hasNext, hasPrev bool
}

func (c *aliasConn) Len() int       { return len(c.as) }
func (c *aliasConn) At(i int) value { return vObject(aliasEdge(c.as[i])) }

func (c *aliasConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.as), func(i int) string { return encodeCursor(c.as[i].alias) }), nil
	}
	return null, unknownField("ArtifactAliasConnection", name)
}

// aliasEdge is an ArtifactAliasEdge.
type aliasEdge artAlias

func (e aliasEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.alias)), nil
	case "node":
		return vObject(artAlias(e)), nil
	}
	return null, unknownField("ArtifactAliasEdge", name)
}

// aliasesPage pages a collection's aliases, by version then as listed.
func (c *artCollection) aliasesPage(args map[string]any) (value, error) {
	var as []artAlias
	for _, v := range c.versions {
		for _, al := range v.aliases {
			as = append(as, artAlias{v: v, alias: al})
		}
	}
	start, end, err := pageBounds(args, len(as), func(i int) string { return as[i].alias }, "alias")
	if err != nil {
		return null, err
	}
	return vObject(&aliasConn{as: as[start:end], hasNext: end < len(as), hasPrev: start > 0}), nil
}

// collectionConn is an ArtifactCollectionConnection.
type collectionConn struct {
	cs               []*artCollection
	total            int
	hasNext, hasPrev bool
}

func (c *collectionConn) Len() int       { return len(c.cs) }
func (c *collectionConn) At(i int) value { return vObject(collectionEdge{c.cs[i]}) }

func (c *collectionConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.cs), func(i int) string { return encodeCursor(c.cs[i].name) }), nil
	case "totalCount":
		return vInt(int64(c.total)), nil
	}
	return null, unknownField("ArtifactCollectionConnection", name)
}

// collectionEdge is an ArtifactCollectionEdge.
type collectionEdge struct{ c *artCollection }

func (e collectionEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.c.name)), nil
	case "node":
		return vObject(e.c), nil
	}
	return null, unknownField("ArtifactCollectionEdge", name)
}

// collectionsPage pages collections (sorted by name).
func collectionsPage(cs []*artCollection, args map[string]any) (value, error) {
	start, end, err := pageBounds(args, len(cs), func(i int) string { return cs[i].name }, "collection")
	if err != nil {
		return null, err
	}
	return vObject(&collectionConn{cs: cs[start:end], total: len(cs), hasNext: end < len(cs), hasPrev: start > 0}), nil
}

// typeConn is an ArtifactTypeConnection.
type typeConn struct {
	ts               []artType
	hasNext, hasPrev bool
}

func (c *typeConn) Len() int       { return len(c.ts) }
func (c *typeConn) At(i int) value { return vObject(typeEdge(c.ts[i])) }

func (c *typeConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(c), nil
	case "pageInfo":
		return pageInfoOf(c.hasNext, c.hasPrev, len(c.ts), func(i int) string { return encodeCursor(c.ts[i].name) }), nil
	}
	return null, unknownField("ArtifactTypeConnection", name)
}

// typeEdge is an ArtifactTypeEdge.
type typeEdge artType

func (e typeEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "cursor":
		return vString(encodeCursor(e.name)), nil
	case "node":
		return vObject(artType(e)), nil
	}
	return null, unknownField("ArtifactTypeEdge", name)
}

// typesPage pages a project's artifact types (sorted by name).
func typesPage(ts []artType, args map[string]any) (value, error) {
	start, end, err := pageBounds(args, len(ts), func(i int) string { return ts[i].name }, "type")
	if err != nil {
		return null, err
	}
	return vObject(&typeConn{ts: ts[start:end], hasNext: end < len(ts), hasPrev: start > 0}), nil
}

func sortTypes(ts []artType) { sort.Slice(ts, func(i, j int) bool { return ts[i].name < ts[j].name }) }

// emptyConn is a connection with no edges (TagConnection: no tags here).
type emptyConn struct{}

func (emptyConn) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "edges":
		return vList(noStrings), nil
	case "pageInfo":
		return vObject(&pageInfo{}), nil
	}
	return null, unknownField("TagConnection", name)
}
