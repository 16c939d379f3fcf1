package wandbtest

import (
	"strings"
	"testing"
)

// The W&B SDK's artifact queries (wandb/sdk/artifacts/_generated/
// operations.py, tools/graphql_codegen/artifacts/*.graphql) and
// wandb-core's (core/api/graphql/query_artifact_*.graphql), restated with
// the fields their fragments select. Fragments shared by several queries
// are written once here and added to each document that spreads them.
const (
	sdkArtifactFragments = `
fragment ProjectInfoFragment on Project { name entity { name } }
fragment SourceCollectionInfoFragment on ArtifactSequence { __typename name project { ...ProjectInfoFragment } }
fragment CollectionInfoFragment on ArtifactCollection { __typename name project { ...ProjectInfoFragment } }
fragment TagFragment on Tag { __typename id name }
fragment ArtifactAliasFragment on ArtifactAlias { __typename id alias }
fragment PageInfoFragment on PageInfo { __typename endCursor hasNextPage }
fragment ArtifactFragment on Artifact {
  __typename id artifactSequence { ...SourceCollectionInfoFragment } versionIndex artifactType { name }
  description metadata ttlDurationSeconds ttlIsInherited tags { ...TagFragment } historyStep state size
  digest commitHash fileCount createdAt updatedAt
  aliases @include(if: $includeAliases) { artifactCollection { ...CollectionInfoFragment } ...ArtifactAliasFragment } }
fragment ArtifactMembershipFragment on ArtifactCollectionMembership {
  __typename id versionIndex aliases { ...ArtifactAliasFragment }
  artifactCollection { ...CollectionInfoFragment } artifact { ...ArtifactFragment } }
fragment FileFragment on File { __typename id name: displayName url sizeBytes storagePath mimetype updatedAt digest md5 directUrl }
fragment FileWithUrlFragment on File { __typename name directUrl }
fragment RunInfoFragment on Run { __typename id name project { ...ProjectInfoFragment } }
fragment ArtifactTypeFragment on ArtifactType { __typename id name description createdAt }
fragment ArtifactCollectionFragment on ArtifactCollection {
  __typename id name description createdAt project { ...ProjectInfoFragment } type: defaultArtifactType { name }
  tags { edges { node { ...TagFragment } } } }`

	sdkRunOutputArtifacts = `query RunOutputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int, $includeAliases: Boolean = true) {
  project(entityName: $entity, name: $project) { run(name: $run) {
    artifacts: outputArtifacts(after: $cursor, first: $perPage) {
      totalCount pageInfo { ...PageInfoFragment } edges { node { ...ArtifactFragment } } } } } }`
	sdkRunInputArtifacts = `query RunInputArtifacts($entity: String!, $project: String!, $run: String!, $cursor: String, $perPage: Int, $includeAliases: Boolean = true) {
  project(entityName: $entity, name: $project) { run(name: $run) {
    artifacts: inputArtifacts(after: $cursor, first: $perPage) {
      totalCount pageInfo { ...PageInfoFragment } edges { node { ...ArtifactFragment } } } } } }`
	sdkArtifactMembershipByName = `query ArtifactMembershipByName($entity: String!, $project: String!, $name: String!, $includeAliases: Boolean = false) {
  project(name: $project, entityName: $entity) { artifactCollectionMembership(name: $name) { ...ArtifactMembershipFragment } } }`
	sdkArtifactByID               = `query ArtifactByID($id: ID!, $includeAliases: Boolean = true) { artifact(id: $id) { ...ArtifactFragment } }`
	sdkGetArtifactMembershipFiles = `query GetArtifactMembershipFiles($entity: String!, $project: String!, $collection: String!, $alias: String!, $fileNames: [String!], $cursor: String, $perPage: Int = 50) {
  project(name: $project, entityName: $entity) { artifactCollection(name: $collection) { __typename
    artifactMembership(aliasName: $alias) { files(names: $fileNames, after: $cursor, first: $perPage) {
      totalCount @include(if: true) pageInfo { ...PageInfoFragment } edges { node { ...FileFragment } } } } } } }`
	sdkGetArtifactFiles = `query GetArtifactFiles($entity: String!, $project: String!, $type: String!, $name: String!, $fileNames: [String!], $cursor: String, $perPage: Int = 50) {
  project(name: $project, entityName: $entity) { artifactType(name: $type) { artifact(name: $name) {
    files(names: $fileNames, after: $cursor, first: $perPage) {
      totalCount @include(if: true) pageInfo { ...PageInfoFragment } edges { node { ...FileFragment } } } } } } }`
	sdkGetArtifactMembershipFileUrls = `query GetArtifactMembershipFileUrls($entity: String!, $project: String!, $collection: String!, $alias: String!, $cursor: String, $perPage: Int) {
  project(name: $project, entityName: $entity) { artifactCollection(name: $collection) { __typename
    artifactMembership(aliasName: $alias) { files(after: $cursor, first: $perPage) {
      pageInfo { ...PageInfoFragment } edges { node { ...FileWithUrlFragment } } } } } } }`
	sdkGetArtifactFileUrls = `query GetArtifactFileUrls($id: ID!, $cursor: String, $perPage: Int) {
  artifact(id: $id) { files(after: $cursor, first: $perPage) { pageInfo { ...PageInfoFragment } edges { node { ...FileWithUrlFragment } } } } }`
	sdkFetchArtifactManifest = `query FetchArtifactManifest($id: ID!) { artifact(id: $id) { currentManifest { file { directUrl } } } }`
	sdkArtifactType          = `query ArtifactType($entity: String, $project: String, $name: String!) {
  project(name: $project, entityName: $entity) { artifact(name: $name) { artifactType { name } } } }`
	sdkArtifactUsedBy    = `query ArtifactUsedBy($id: ID!) { artifact(id: $id) { usedBy { edges { node { ...RunInfoFragment } } } } }`
	sdkArtifactCreatedBy = `query ArtifactCreatedBy($id: ID!) { artifact(id: $id) { createdBy { __typename ... on Run { ...RunInfoFragment } } } }`
	sdkProjectArtifacts  = `query ProjectArtifacts($entity: String!, $project: String!, $type: String!, $collection: String!, $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString, $includeAliases: Boolean = true) {
  project(entityName: $entity, name: $project) { artifactType(name: $type) { artifactCollection(name: $collection) { __typename
    artifacts(after: $cursor, first: $perPage, order: $order, filters: $filters) {
      totalCount pageInfo { ...PageInfoFragment } edges { version node { ...ArtifactFragment } } } } } } }`
	sdkFetchLinkedArtifacts = `query FetchLinkedArtifacts($artifactID: ID!) { artifact(id: $artifactID) { artifactMemberships { edges { node {
  versionIndex aliases { ...ArtifactAliasFragment } artifactCollection { __typename ...CollectionInfoFragment } } } } } }`
	sdkArtifactCollectionAliases = `query ArtifactCollectionAliases($id: ID!, $cursor: String, $perPage: Int = 1000) {
  artifactCollection(id: $id) { __typename aliases(after: $cursor, first: $perPage) { pageInfo { ...PageInfoFragment } edges { node { ...ArtifactAliasFragment } } } } }`
	sdkProjectArtifactTypes = `query ProjectArtifactTypes($entity: String!, $project: String!, $cursor: String, $perPage: Int) {
  project(name: $project, entityName: $entity) { artifactTypes(after: $cursor, first: $perPage) {
    edges { node { ...ArtifactTypeFragment } } pageInfo { ...PageInfoFragment } } } }`
	sdkProjectArtifactType = `query ProjectArtifactType($entity: String!, $project: String!, $type: String!) {
  project(entityName: $entity, name: $project) { artifactType(name: $type) { ...ArtifactTypeFragment } } }`
	sdkProjectArtifactCollection = `query ProjectArtifactCollection($entity: String!, $project: String!, $type: String!, $name: String!) {
  project(entityName: $entity, name: $project) { artifactType(name: $type) { artifactCollection(name: $name) { __typename ...ArtifactCollectionFragment } } } }`
	sdkArtifactTypeArtifactCollections = `query ArtifactTypeArtifactCollections($entity: String!, $project: String!, $type: String!, $cursor: String, $perPage: Int) {
  project(entityName: $entity, name: $project) { artifactType(name: $type) { artifactCollections(after: $cursor, first: $perPage) {
    totalCount pageInfo { ...PageInfoFragment } edges { node { __typename ...ArtifactCollectionFragment } } } } } }`

	coreArtifactFileURLs = `query ArtifactFileURLs($id: ID!, $cursor: String, $perPage: Int) {
  artifact(id: $id) { files(after: $cursor, first: $perPage) { pageInfo { hasNextPage endCursor } edges { node { name directUrl } } } } }`
	coreArtifactFileURLsByManifestEntries = `query ArtifactFileURLsByManifestEntries($id: ID!, $entries: [ArtifactManifestEntryInput!], $storageLayout: String!, $manifestVersion: String!) {
  artifact(id: $id) { filesByManifestEntries(storageLayout: $storageLayout, manifestVersion: $manifestVersion, entries: $entries) {
    pageInfo { hasNextPage endCursor } edges { node { name directUrl } } } } }`
	coreServerFeatures = `query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }`
)

// withFragments appends the fragments a query spreads (and those they
// spread), as the SDK's generated documents carry them.
func withFragments(q string) string {
	frags := map[string]string{}
	for _, f := range strings.Split(sdkArtifactFragments, "\nfragment ")[1:] {
		name, _, _ := strings.Cut(f, " ")
		frags[name] = "fragment " + f
	}
	doc := q
	for added := map[string]bool{}; ; {
		more := false
		for name, f := range frags {
			if !added[name] && strings.Contains(doc, "..."+name) {
				doc += "\n" + f
				added[name], more = true, true
			}
		}
		if !more {
			return doc
		}
	}
}

// TestSDKArtifactQueries runs each SDK and wandb-core artifact query on the
// demo, as the SDK sends it for the demo's artifacts, and checks the
// answer holds no error and the data the SDK reads.
func TestSDKArtifactQueries(t *testing.T) {
	s, err := StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	model := map[string]any{"entity": DemoEntity, "project": DemoProject, "name": DemoModelArtifact + ":best"}
	m := sdkGQL(t, s, withFragments(sdkArtifactMembershipByName), model)
	mem := dig(m, "project", "artifactCollectionMembership")
	art := dig(mem, "artifact")
	id, _ := dig(art, "id").(string)
	if id == "" || dig(mem, "versionIndex") != 3.0 || dig(art, "artifactSequence", "project", "entity", "name") != DemoEntity ||
		dig(art, "artifactType", "name") != "model" || dig(art, "aliases") != nil {
		t.Fatalf("ArtifactMembershipByName: %v", m)
	}
	var aliases []string
	for _, a := range asList(dig(mem, "aliases")) {
		aliases = append(aliases, dig(a, "alias").(string))
	}
	if strings.Join(aliases, ",") != "best,v3" {
		t.Errorf("membership aliases = %v, want best and v3", aliases)
	}
	ds := DemoTeam + "/" + DemoTeamSmallProject
	checks := []struct {
		name, query string
		vars        map[string]any
		want        func(data map[string]any) bool
	}{
		{"RunOutputArtifacts", sdkRunOutputArtifacts, map[string]any{"entity": DemoEntity, "project": DemoProject, "run": "3k9x2p7q", "perPage": 2},
			func(d map[string]any) bool {
				a := dig(d, "project", "run", "artifacts")
				return dig(a, "totalCount") == float64(DemoModelVersions) && len(asList(dig(a, "edges"))) == 2 && dig(a, "pageInfo", "hasNextPage") == true
			}},
		{"RunInputArtifacts", sdkRunInputArtifacts, map[string]any{"entity": DemoEntity, "project": DemoProject, "run": "3k9x2p7q"},
			func(d map[string]any) bool {
				var where []string
				for _, e := range asList(dig(d, "project", "run", "artifacts", "edges")) {
					seq := dig(e, "node", "artifactSequence")
					where = append(where, dig(seq, "project", "entity", "name").(string)+"/"+dig(seq, "project", "name").(string)+"/"+dig(seq, "name").(string))
				}
				return strings.Join(where, " ") == ds+"/"+DemoDatasetArtifact+" "+DemoEntity+"/"+DemoProject+"/"+DemoRefsArtifact ||
					strings.Join(where, " ") == DemoEntity+"/"+DemoProject+"/"+DemoRefsArtifact+" "+ds+"/"+DemoDatasetArtifact
			}},
		{"ArtifactByID", sdkArtifactByID, map[string]any{"id": id},
			func(d map[string]any) bool {
				return dig(d, "artifact", "id") == id && len(asList(dig(d, "artifact", "aliases"))) == 2
			}},
		{"GetArtifactMembershipFiles", sdkGetArtifactMembershipFiles, map[string]any{"entity": DemoTeam, "project": DemoTeamSmallProject, "collection": DemoDatasetArtifact, "alias": "latest", "perPage": 100},
			func(d map[string]any) bool {
				f := dig(d, "project", "artifactCollection", "artifactMembership", "files")
				return dig(f, "totalCount") == float64(DemoDatasetFiles) && len(asList(dig(f, "edges"))) == 100
			}},
		{"GetArtifactFiles", sdkGetArtifactFiles, map[string]any{"entity": DemoEntity, "project": DemoProject, "type": "model", "name": DemoModelArtifact + ":v0", "fileNames": []string{"README.md"}},
			func(d map[string]any) bool {
				e := asList(dig(d, "project", "artifactType", "artifact", "files", "edges"))
				return len(e) == 1 && dig(e[0], "node", "name") == "README.md" && dig(e[0], "node", "md5") == dig(e[0], "node", "digest")
			}},
		{"GetArtifactMembershipFileUrls", sdkGetArtifactMembershipFileUrls, map[string]any{"entity": DemoEntity, "project": DemoProject, "collection": DemoRefsArtifact, "alias": "v0", "perPage": 5000},
			func(d map[string]any) bool {
				return len(asList(dig(d, "project", "artifactCollection", "artifactMembership", "files", "edges"))) == DemoRefsEntries+2
			}},
		{"GetArtifactFileUrls", sdkGetArtifactFileUrls, map[string]any{"id": id, "perPage": 5000},
			func(d map[string]any) bool { return len(asList(dig(d, "artifact", "files", "edges"))) == 9 }},
		{"FetchArtifactManifest", sdkFetchArtifactManifest, map[string]any{"id": id},
			func(d map[string]any) bool {
				u, _ := dig(d, "artifact", "currentManifest", "file", "directUrl").(string)
				return strings.HasPrefix(u, s.StorageURL())
			}},
		{"ArtifactType", sdkArtifactType, map[string]any{"entity": DemoEntity, "project": DemoProject, "name": DemoRefsArtifact + ":latest"},
			func(d map[string]any) bool { return dig(d, "project", "artifact", "artifactType", "name") == "dataset" }},
		{"ArtifactUsedBy", sdkArtifactUsedBy, map[string]any{"id": id},
			func(d map[string]any) bool {
				e := asList(dig(d, "artifact", "usedBy", "edges"))
				return len(e) == 1 && dig(e[0], "node", "name") == "r8u9n0n1"
			}},
		{"ArtifactCreatedBy", sdkArtifactCreatedBy, map[string]any{"id": id},
			func(d map[string]any) bool {
				return dig(d, "artifact", "createdBy", "__typename") == "Run" && dig(d, "artifact", "createdBy", "name") == "3k9x2p7q"
			}},
		{"ProjectArtifacts", sdkProjectArtifacts, map[string]any{"entity": DemoEntity, "project": DemoProject, "type": "model", "collection": DemoModelArtifact},
			func(d map[string]any) bool {
				a := dig(d, "project", "artifactType", "artifactCollection", "artifacts")
				e := asList(dig(a, "edges"))
				return dig(a, "totalCount") == float64(DemoModelVersions) && len(e) == DemoModelVersions && dig(e[0], "version") == "v4"
			}},
		{"FetchLinkedArtifacts", sdkFetchLinkedArtifacts, map[string]any{"artifactID": id},
			func(d map[string]any) bool {
				e := asList(dig(d, "artifact", "artifactMemberships", "edges"))
				return len(e) == 1 && dig(e[0], "node", "artifactCollection", "__typename") == "ArtifactSequence"
			}},
		{"ProjectArtifactTypes", sdkProjectArtifactTypes, map[string]any{"entity": DemoEntity, "project": DemoProject},
			func(d map[string]any) bool { return len(asList(dig(d, "project", "artifactTypes", "edges"))) == 2 }},
		{"ProjectArtifactType", sdkProjectArtifactType, map[string]any{"entity": DemoEntity, "project": DemoProject, "type": "model"},
			func(d map[string]any) bool { return dig(d, "project", "artifactType", "name") == "model" }},
		{"ProjectArtifactCollection", sdkProjectArtifactCollection, map[string]any{"entity": DemoEntity, "project": DemoProject, "type": "model", "name": DemoModelArtifact},
			func(d map[string]any) bool {
				c := dig(d, "project", "artifactType", "artifactCollection")
				return dig(c, "__typename") == "ArtifactSequence" && dig(c, "type", "name") == "model"
			}},
		{"ArtifactTypeArtifactCollections", sdkArtifactTypeArtifactCollections, map[string]any{"entity": DemoEntity, "project": DemoProject, "type": "dataset"},
			func(d map[string]any) bool {
				return dig(d, "project", "artifactType", "artifactCollections", "totalCount") == 1.0
			}},
		{"ArtifactFileURLs", coreArtifactFileURLs, map[string]any{"id": id, "perPage": 3},
			func(d map[string]any) bool { return dig(d, "artifact", "files", "pageInfo", "hasNextPage") == true }},
		{"ArtifactFileURLsByManifestEntries", coreArtifactFileURLsByManifestEntries, map[string]any{"id": id, "storageLayout": "V2", "manifestVersion": "1",
			"entries": []map[string]any{{"name": "README.md", "digest": "x"}, {"name": "tokenizer/tokenizer.json", "digest": "y"}}},
			func(d map[string]any) bool {
				return len(asList(dig(d, "artifact", "filesByManifestEntries", "edges"))) == 2
			}},
		{"ServerFeaturesQuery", coreServerFeatures, nil,
			func(d map[string]any) bool { return len(asList(dig(d, "serverInfo", "features"))) >= 2 }},
	}
	for _, c := range checks {
		data := sdkGQL(t, s, withFragments(c.query), c.vars)
		if !c.want(data) {
			t.Errorf("%s: unexpected answer %v", c.name, data)
		}
	}
	// The collection's aliases, by the collection's id.
	cid := dig(sdkGQL(t, s, `query($e: String!, $p: String!, $n: String!) { project(entityName: $e, name: $p) { artifactCollection(name: $n) { id } } }`,
		map[string]any{"e": DemoEntity, "p": DemoProject, "n": DemoModelArtifact}), "project", "artifactCollection", "id")
	al := sdkGQL(t, s, withFragments(sdkArtifactCollectionAliases), map[string]any{"id": cid})
	if n := len(asList(dig(al, "artifactCollection", "aliases", "edges"))); n != DemoModelVersions+2 {
		t.Errorf("ArtifactCollectionAliases: %d aliases, want a vN each, latest and best: %v", n, al)
	}
}
