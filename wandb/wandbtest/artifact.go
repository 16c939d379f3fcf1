package wandbtest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Artifacts: a project's artifact collections (W&B's artifact sequences),
// their versions and each version's entries, as W&B keeps them. A version
// is listed by its files connection (stored entries and references alike,
// ordered by path) and described by its manifest, a JSON document on the
// storage host (artifact_manifest.go). A stored entry's bytes are generated
// like a run file's and kept once: a later version holding the same path
// with the same content shares the object, and the manifest names the
// version that first stored it (birthArtifactID). A reference entry points
// at an object outside W&B (s3://, gs://, https://, file://) that nothing
// here serves.
//
// The files connection lists a reference entry with isReference true, its
// URI as directUrl, null url and md5, and the manifest's digest (the
// object's ETag). Whether W&B lists references and with what URLs is not
// known (../shared/wandb/SOURCE.md); a client should take a reference from
// isReference or the manifest's ref, never fetch its directUrl.

// ArtifactSpec is one artifact collection of a project and its versions,
// v0 first.
type ArtifactSpec struct {
	Entity, Project string
	// Name is the collection's name (letters, digits, '-', '_', '.').
	Name string
	// Type is the artifact type: "model", "dataset", ...
	Type        string
	Description string
	Versions    []ArtifactVersion
}

// ArtifactVersion is one version of an artifact.
type ArtifactVersion struct {
	// Aliases are the version's aliases besides "vN", which every version
	// has, and "latest", which the last version gets. An alias names one
	// version: when two versions claim it, the later keeps it.
	Aliases     []string
	Description string
	// Metadata is a JSON object; "" means "{}".
	Metadata string
	// CreatedAt is the zero time for a time derived from the run that
	// logged it, or the collection's name.
	CreatedAt time.Time
	// LoggedBy is the run ("entity/project/id") that logged the version:
	// it is in the run's outputArtifacts and is the version's createdBy.
	// "" means uploaded outside a run (createdBy null).
	LoggedBy string
	// UsedBy are the runs ("entity/project/id") that used the version:
	// it is in their inputArtifacts and they are its usedBy.
	UsedBy []string
	Files  []ArtifactFile
}

// ArtifactFile is one entry of a version.
type ArtifactFile struct {
	// Path is the entry's path in the artifact: any text, as hostile as
	// a run file's name.
	Path string
	// Size is the length of generated content when Content is nil, or the
	// size the manifest gives a reference.
	Size    int64
	Content []byte
	// Rev tells generated contents of one path apart: the same path, size
	// and Rev give the same bytes (and the entry keeps the version that
	// first stored them as its birth artifact); a file that changed
	// between versions gets another Rev.
	Rev int
	// Ref makes the entry a reference to an object outside W&B (s3://,
	// gs://, https://, file://): nothing is stored or served for it.
	Ref string
	// Digest is a reference's checksum (its ETag); "" derives one.
	Digest string
}

// artifactKeyPrefix starts the storage keys of artifact objects and
// manifests, beside the runs' "entity/project/run/name" keys.
const artifactKeyPrefix = "wandb_artifacts/"

// artStore is the server's artifacts.
type artStore struct {
	mu    sync.RWMutex
	colls map[string]*artCollection // by entity/project/name
	byID  map[string]*artVersion    // by Artifact id
	// collByID finds a collection by its id (Query.artifactCollection).
	collByID map[string]*artCollection
	// objects are the stored bodies by storage key; manifests are made
	// on first use, so their keys lead to the version.
	objects   map[string]*fileData
	manifests map[string]*artVersion
	// logged and used are the versions a run logged and used, by run ref.
	logged map[string][]*artVersion
	used   map[string][]*artVersion
}

// artCollection is an indexed ArtifactSpec. It is immutable once built,
// but for the caches of its versions, so servers may share it.
type artCollection struct {
	entity, project, name, typ, description string
	id, numID                               string
	created                                 time.Time
	versions                                []*artVersion
	aliases                                 map[string]*artVersion // alias and "vN" → version
}

// artVersion is one indexed version.
type artVersion struct {
	coll     *artCollection
	index    int
	id       string // the Artifact id
	numID    string
	spec     ArtifactVersion // Files cleared
	aliases  []string        // its aliases in the collection, "vN" last
	entries  []*artEntry     // sorted by path
	byPath   map[string]int
	created  time.Time
	size     int64
	commit   string
	loggedBy string

	digestOnce sync.Once
	digest     string // the artifact's digest (hex), from its entries

	manifestOnce sync.Once
	manifest     *artEntry // the manifest as a stored object
}

// artEntry is one entry of a version.
type artEntry struct {
	path, ref, refDigest string
	size                 int64
	// birth is the version that first stored the bytes; obj holds them
	// (nil for a reference) under key.
	birth  *artVersion
	obj    *fileData
	key    string
	cursor string
}

// digest returns the entry's digest: the base64 md5 of a stored entry,
// the checksum of a reference.
func (e *artEntry) digest() string {
	if e.obj == nil {
		return e.refDigest
	}
	return e.obj.contentMD5()
}

// AddArtifact adds an artifact collection, replacing one of the same
// entity/project/name. Its project is created when no run made it. The
// runs named by LoggedBy and UsedBy need not exist (yet).
func (s *Server) AddArtifact(a ArtifactSpec) error {
	c, err := newArtCollection(a)
	if err != nil {
		return err
	}
	s.addArtCollections(c)
	return nil
}

// addArtCollections adds indexed collections, which servers may share.
func (s *Server) addArtCollections(cs ...*artCollection) {
	s.mu.Lock()
	for _, c := range cs {
		pkey := c.entity + "/" + c.project
		if p := s.projects[pkey]; p == nil {
			s.projects[pkey] = &projectData{entity: c.entity, name: c.project, createdAt: c.created}
		} else if c.created.Before(p.createdAt) {
			p.createdAt = c.created
		}
	}
	s.mu.Unlock()

	st := &s.arts
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.colls == nil {
		st.colls, st.byID, st.collByID = map[string]*artCollection{}, map[string]*artVersion{}, map[string]*artCollection{}
		st.objects, st.manifests = map[string]*fileData{}, map[string]*artVersion{}
		st.logged, st.used = map[string][]*artVersion{}, map[string][]*artVersion{}
	}
	for _, c := range cs {
		key := c.entity + "/" + c.project + "/" + c.name
		if old := st.colls[key]; old != nil {
			st.forget(old)
		}
		st.colls[key] = c
		st.collByID[c.id] = c
		for _, v := range c.versions {
			st.byID[v.id] = v
			st.manifests[v.manifestKey()] = v
			for _, e := range v.entries {
				if e.obj != nil && e.birth == v {
					st.objects[e.key] = e.obj
				}
			}
			if v.loggedBy != "" {
				st.logged[v.loggedBy] = append(st.logged[v.loggedBy], v)
			}
			for _, r := range v.spec.UsedBy {
				st.used[r] = append(st.used[r], v)
			}
		}
	}
	for _, m := range []map[string][]*artVersion{st.logged, st.used} {
		for _, vs := range m {
			sort.SliceStable(vs, func(i, j int) bool { return vs[i].created.Before(vs[j].created) })
		}
	}
}

// forget removes a replaced collection from the indexes; st.mu is held.
func (st *artStore) forget(c *artCollection) {
	delete(st.collByID, c.id)
	for _, v := range c.versions {
		delete(st.byID, v.id)
		delete(st.manifests, v.manifestKey())
		for _, e := range v.entries {
			if e.birth == v {
				delete(st.objects, e.key)
			}
		}
		for _, m := range []map[string][]*artVersion{st.logged, st.used} {
			for r, vs := range m {
				m[r] = removeVersion(vs, v)
			}
		}
	}
}

func removeVersion(vs []*artVersion, v *artVersion) []*artVersion {
	out := vs[:0]
	for _, x := range vs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// newArtCollection indexes a spec: versions numbered from 0, aliases
// given to one version each, entries sorted by path and their bytes
// shared with the earliest version that stored the same ones.
func newArtCollection(a ArtifactSpec) (*artCollection, error) {
	if a.Entity == "" || a.Project == "" || a.Name == "" || a.Type == "" {
		return nil, fmt.Errorf("wandbtest: an artifact needs an entity, project, name and type: %+v", a)
	}
	if strings.ContainsAny(a.Name, ":/") {
		return nil, fmt.Errorf("wandbtest: artifact name %q holds ':' or '/'", a.Name)
	}
	c := &artCollection{
		entity: a.Entity, project: a.Project, name: a.Name, typ: a.Type, description: a.Description,
		aliases: map[string]*artVersion{},
	}
	c.numID = numericID("ArtifactSequence", a.Entity, a.Project, a.Name)
	c.id = opaqueID("ArtifactCollection", c.numID)
	base := demoEpoch.Add(-time.Duration(seedOf(a.Entity+"/"+a.Project+"/"+a.Name)%(72*3600)) * time.Second)
	// stored maps path → the versions' stored objects of that path, to
	// share bytes that did not change.
	type stored struct {
		e   *artEntry
		rev int
	}
	seen := map[string][]stored{}
	for i, vs := range a.Versions {
		v := &artVersion{coll: c, index: i, spec: vs, byPath: map[string]int{}, loggedBy: vs.LoggedBy}
		v.spec.Files = nil
		v.numID = numericID("Artifact", c.numID, strconv.Itoa(i))
		v.id = opaqueID("Artifact", v.numID)
		v.created = vs.CreatedAt.UTC()
		if v.created.IsZero() {
			v.created = base.Add(time.Duration(i) * 97 * time.Minute)
		}
		sum := md5.Sum([]byte(v.id))
		v.commit = hex.EncodeToString(sum[:10])
		for _, f := range vs.Files {
			if _, dup := v.byPath[f.Path]; dup {
				return nil, fmt.Errorf("wandbtest: artifact %s v%d lists %q twice", a.Name, i, f.Path)
			}
			e := &artEntry{path: f.Path, ref: f.Ref, refDigest: f.Digest, size: f.Size, cursor: encodeCursor(f.Path)}
			if f.Content != nil {
				e.size = int64(len(f.Content))
			}
			if f.Ref != "" {
				if e.refDigest == "" {
					h := md5.Sum([]byte(f.Ref + "\x00" + strconv.FormatInt(f.Size, 10)))
					e.refDigest = hex.EncodeToString(h[:])
				}
			} else {
				for _, old := range seen[f.Path] {
					same := old.e.size == e.size && old.rev == f.Rev &&
						(f.Content == nil) == (old.e.obj.spec.Content == nil) && bytes.Equal(old.e.obj.spec.Content, f.Content)
					if same {
						e.birth, e.obj, e.key = old.e.birth, old.e.obj, old.e.key
						break
					}
				}
				if e.obj == nil {
					// The seed names the collection and the Rev, so equal
					// paths of other artifacts or revisions differ; the
					// path stays last for the mimetype.
					seed := c.entity + "/" + c.project + "/" + c.name + "@" + strconv.Itoa(f.Rev) + "/" + f.Path
					e.birth = v
					e.obj = &fileData{spec: FileSpec{Name: seed, Size: f.Size, Content: f.Content}}
					if f.Content != nil {
						e.obj.spec.Size = int64(len(f.Content))
					}
					e.key = artifactKeyPrefix + v.numID + "/" + strconv.Itoa(len(v.entries))
					seen[f.Path] = append(seen[f.Path], stored{e, f.Rev})
				}
			}
			v.byPath[f.Path] = len(v.entries)
			v.entries = append(v.entries, e)
			v.size += e.size
		}
		sort.Slice(v.entries, func(i, j int) bool { return v.entries[i].path < v.entries[j].path })
		for k, e := range v.entries {
			v.byPath[e.path] = k
		}
		c.versions = append(c.versions, v)
	}
	if len(c.versions) > 0 {
		c.created = c.versions[0].created
	} else {
		c.created = base
	}
	// Aliases: a later version takes an alias from an earlier one.
	for _, v := range c.versions {
		for _, al := range v.spec.Aliases {
			if al == "latest" || isVersionAlias(al) {
				return nil, fmt.Errorf("wandbtest: alias %q of %s v%d is given automatically", al, a.Name, v.index)
			}
			c.aliases[al] = v
		}
	}
	if n := len(c.versions); n > 0 {
		c.aliases["latest"] = c.versions[n-1]
	}
	for _, v := range c.versions {
		for _, al := range v.spec.Aliases {
			if c.aliases[al] == v && !containsString(v.aliases, al) {
				v.aliases = append(v.aliases, al)
			}
		}
		if c.aliases["latest"] == v {
			v.aliases = append(v.aliases, "latest")
		}
		vn := "v" + strconv.Itoa(v.index)
		c.aliases[vn] = v
		v.aliases = append(v.aliases, vn)
	}
	return c, nil
}

// isVersionAlias reports an alias of the form vN.
func isVersionAlias(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	_, err := strconv.ParseUint(s[1:], 10, 31)
	return err == nil
}

func containsString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// version returns the version an alias names: an alias, "vN", a commit
// hash or the artifact's digest (as W&B accepts for aliasName), or nil.
func (c *artCollection) version(alias string) *artVersion {
	if v := c.aliases[alias]; v != nil {
		return v
	}
	for _, v := range c.versions {
		if alias == v.commit || alias == v.artifactDigest() {
			return v
		}
	}
	return nil
}

// artifactDigest returns the digest of the version's manifest: the hex md5
// of "wandb-artifact-manifest-v1\n" and "<path>:<digest>\n" of every entry
// sorted by path, as the SDK computes it. It reads every stored entry once.
func (v *artVersion) artifactDigest() string {
	v.digestOnce.Do(func() {
		h := md5.New()
		h.Write([]byte("wandb-artifact-manifest-v1\n"))
		for _, e := range v.entries { // sorted by path
			fmt.Fprintf(h, "%s:%s\n", e.path, e.digest())
		}
		v.digest = hex.EncodeToString(h.Sum(nil))
	})
	return v.digest
}

// manifestKey is the storage key of the version's manifest.
func (v *artVersion) manifestKey() string {
	return artifactKeyPrefix + "manifests/" + v.numID + "/wandb_manifest.json"
}

// collection returns the collection entity/project/name, or nil.
func (s *Server) artCollection(entity, project, name string) *artCollection {
	st := &s.arts
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.colls[entity+"/"+project+"/"+name]
}

// artVersionByID returns the version with the Artifact id, or nil.
func (s *Server) artVersionByID(id string) *artVersion {
	st := &s.arts
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.byID[id]
}

// artCollectionByID returns the collection with the id, or nil.
func (s *Server) artCollectionByID(id string) *artCollection {
	st := &s.arts
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.collByID[id]
}

// projectCollections returns the collections of a project, by name, of
// one type when typ is not "".
func (s *Server) projectCollections(entity, project, typ string) []*artCollection {
	st := &s.arts
	st.mu.RLock()
	var out []*artCollection
	for _, c := range st.colls {
		if c.entity == entity && c.project == project && (typ == "" || c.typ == typ) {
			out = append(out, c)
		}
	}
	st.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// runArtifacts returns the versions a run logged (or used), oldest first.
func (s *Server) runArtifacts(ref string, used bool) []*artVersion {
	st := &s.arts
	st.mu.RLock()
	defer st.mu.RUnlock()
	if used {
		return append([]*artVersion(nil), st.used[ref]...)
	}
	return append([]*artVersion(nil), st.logged[ref]...)
}

// artObject returns the stored object or manifest under a storage key.
func (s *Server) artObject(key string) *fileData {
	st := &s.arts
	st.mu.RLock()
	obj, v := st.objects[key], st.manifests[key]
	st.mu.RUnlock()
	if obj != nil {
		return obj
	}
	if v != nil {
		return v.manifestEntry().obj
	}
	return nil
}

// parseAliasName splits "collection:alias"; a name without an alias means
// "latest", as the SDK's api.artifact does.
func parseAliasName(name string) (coll, alias string) {
	coll, alias, ok := strings.Cut(name, ":")
	if !ok || alias == "" {
		alias = "latest"
	}
	return coll, alias
}
