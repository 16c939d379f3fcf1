package wandbtest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// queryObj is the Query root.
type queryObj struct{}

func (queryObj) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	switch name {
	case "project", "model":
		entity, ok := argString(args, "entityName")
		if !ok {
			// W&B falls back to the viewer's entity.
			entity = ec.s.viewer
		}
		pname, _ := argString(args, "name")
		if p := ec.s.project(entity, pname); p != nil {
			return p, nil
		}
		return nil, nil
	case "viewer":
		return &userObj{name: ec.s.viewer, viewer: true}, nil
	}
	return nil, unknownField("Query", name)
}

func unknownField(typ, name string) error {
	return fmt.Errorf("field %s.%s is not served", typ, name)
}

// opaqueID builds a W&B-like node id: base64 of "Type:v1:parts...".
func opaqueID(typ string, parts ...string) string {
	return base64.StdEncoding.EncodeToString([]byte(typ + ":v1:" + strings.Join(parts, ":")))
}

// numericID derives a stable decimal id from parts, like W&B's internal ids.
func numericID(parts ...string) string {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(uint64(h.Sum32()%90000000+10000000), 10)
}

func (p *projectData) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	switch name {
	case "id":
		return opaqueID("Project", p.name, p.entity), nil
	case "internalId":
		return numericID(p.entity, p.name), nil
	case "name":
		return p.name, nil
	case "entityName":
		return p.entity, nil
	case "createdAt":
		return p.createdAt, nil
	case "updatedAt":
		return p.createdAt.Add(72 * time.Hour), nil
	case "readOnly":
		return false, nil
	case "run", "bucket":
		id, _ := argString(args, "name")
		if rd := ec.s.run(p.entity, p.name, id); rd != nil {
			return rd, nil
		}
		return nil, nil
	case "runCount":
		ec.s.mu.RLock()
		defer ec.s.mu.RUnlock()
		return p.runs, nil
	}
	return nil, unknownField("Project", name)
}

func (rd *runData) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	r := &rd.spec
	switch name {
	case "id":
		return opaqueID("Run", r.ID, r.Project, r.Entity), nil
	case "name":
		return r.ID, nil
	case "displayName":
		return r.DisplayName, nil
	case "projectId":
		return numericID(r.Entity, r.Project), nil
	case "state":
		return nullIfEmpty(r.State), nil
	case "createdAt":
		return r.CreatedAt, nil
	case "updatedAt", "heartbeatAt":
		return r.CreatedAt.Add(time.Duration(len(rd.files)+37) * time.Minute), nil
	case "fileCount":
		if r.NullFileCount {
			return nil, nil
		}
		return len(rd.files), nil
	case "commit":
		return nullIfEmpty(r.Commit), nil
	case "config":
		return filterJSON(r.Config, args)
	case "summaryMetrics":
		return filterJSON(r.SummaryMetrics, args)
	case "description", "notes":
		return nullIfEmpty(r.Notes), nil
	case "exitcode":
		switch r.State {
		case "finished":
			return 0.0, nil
		case "crashed", "failed":
			return 1.0, nil
		}
		return nil, nil
	case "group":
		return nullIfEmpty(r.Group), nil
	case "host":
		return nullIfEmpty(r.Host), nil
	case "jobType":
		return nullIfEmpty(r.JobType), nil
	case "readOnly":
		return false, nil
	case "sweepName":
		return nullIfEmpty(r.SweepName), nil
	case "tags":
		return stringList(r.Tags), nil
	case "files":
		return rd.page(args)
	case "storageBytes":
		return rd.total, nil
	case "project":
		if p := ec.s.project(r.Entity, r.Project); p != nil {
			return p, nil
		}
		return nil, nil
	case "user":
		return &userObj{name: r.Entity}, nil
	}
	return nil, unknownField("Run", name)
}

// nullIfEmpty maps "" to null.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// filterJSON returns the JSON object text, keeping only keys when given.
func filterJSON(text string, args map[string]any) (any, error) {
	if text == "" {
		text = "{}"
	}
	keys, ok := args["keys"].([]any)
	if !ok {
		return jsonString(text), nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &all); err != nil {
		return nil, errors.New("stored JSON is not an object")
	}
	kept := map[string]json.RawMessage{}
	for _, k := range keys {
		if k, ok := k.(string); ok {
			if v, ok := all[k]; ok {
				kept[k] = v
			}
		}
	}
	out, _ := json.Marshal(kept)
	return jsonString(out), nil
}

// userObj is a User; the viewer or a run's owner.
type userObj struct {
	name   string
	viewer bool
}

func (u *userObj) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	switch name {
	case "id":
		return opaqueID("User", u.name), nil
	case "entity", "username":
		return u.name, nil
	case "name":
		return strings.ReplaceAll(u.name, "-", " "), nil
	case "email":
		return u.name + "@example.com", nil
	case "flags":
		return jsonString("{}"), nil
	case "teams":
		return ec.s.teams(u.name), nil
	}
	return nil, unknownField("User", name)
}

// teams lists the user's entity and every entity that owns a run.
func (s *Server) teams(user string) *entityConn {
	s.mu.RLock()
	seen := map[string]bool{user: true}
	for _, p := range s.projects {
		seen[p.entity] = true
	}
	s.mu.RUnlock()
	c := &entityConn{}
	for e := range seen {
		c.names = append(c.names, e)
	}
	sort.Strings(c.names)
	return c
}

// entityConn is an EntityConnection of one page holding every entity.
type entityConn struct{ names []string }

func (c *entityConn) Len() int     { return len(c.names) }
func (c *entityConn) At(i int) any { return entityObj(c.names[i]) }

func (c *entityConn) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	switch name {
	case "edges":
		return c, nil
	case "pageInfo":
		pi := &pageInfo{}
		if n := len(c.names); n > 0 {
			pi.start, pi.end = encodeCursor(c.names[0]), encodeCursor(c.names[n-1])
		}
		return pi, nil
	}
	return nil, unknownField("EntityConnection", name)
}

// entityObj serves as both an EntityEdge and its Entity node.
type entityObj string

func (e entityObj) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	switch name {
	case "cursor":
		return encodeCursor(string(e)), nil
	case "node":
		return e, nil
	case "id":
		return opaqueID("Entity", string(e)), nil
	case "name":
		return string(e), nil
	}
	return nil, unknownField("Entity", name)
}

// pageInfo is a PageInfo.
type pageInfo struct {
	start, end       string
	hasNext, hasPrev bool
}

func (p *pageInfo) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	switch name {
	case "startCursor":
		return nullIfEmpty(p.start), nil
	case "endCursor":
		return nullIfEmpty(p.end), nil
	case "hasNextPage":
		return p.hasNext, nil
	case "hasPreviousPage":
		return p.hasPrev, nil
	}
	return nil, unknownField("PageInfo", name)
}

// fileEdge is a FileEdge; the same memory as the file, so a page of edges
// costs no allocation.
type fileEdge fileData

func (e *fileEdge) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	f := (*fileData)(e)
	switch name {
	case "cursor":
		return f.cursor, nil
	case "node":
		if f.spec.NullNode {
			return nil, nil
		}
		return f, nil
	}
	return nil, unknownField("FileEdge", name)
}

func (f *fileData) resolve(ec *execCtx, name string, args map[string]any) (any, error) {
	sp := &f.spec
	switch name {
	case "id":
		return f.id, nil
	case "name":
		return sp.Name, nil
	case "displayName":
		return path.Base(sp.Name), nil
	case "url":
		if up, _ := args["upload"].(bool); up || sp.NullURL {
			return nil, nil
		}
		return f.apiURL(ec.base), nil
	case "directUrl":
		if sp.EmptyDirectURL {
			return "", nil
		}
		return ec.s.cachedDirectURL(f, ec.now), nil
	case "sizeBytes":
		if sp.NullSize {
			return schemaNull{}, nil
		}
		return sp.Size, nil
	case "mimetype":
		if sp.NullMimetype {
			return nil, nil
		}
		return sp.mimetype(), nil
	case "md5", "digest":
		if sp.NullMD5 {
			return nil, nil
		}
		if ec.wrongMD5 {
			bad := md5.Sum([]byte("wrong:" + f.contentMD5()))
			return base64.StdEncoding.EncodeToString(bad[:]), nil
		}
		return f.contentMD5(), nil
	case "createdAt", "updatedAt":
		if sp.NullUpdatedAt {
			return nil, nil
		}
		return f.updated, nil
	case "deletedAt", "uploadUrl":
		return nil, nil
	case "archived", "isReference", "special":
		return false, nil
	case "exists":
		return true, nil
	case "storageBucket":
		return bucket, nil
	case "storagePath":
		return storagePath(f), nil
	case "uploadHeaders":
		return stringList(nil), nil
	}
	return nil, unknownField("File", name)
}
