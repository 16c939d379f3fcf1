package wandbtest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"path"
	"strconv"
	"strings"
)

// queryObj is the Query root.
type queryObj struct{}

func (queryObj) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "project", "model":
		entity, ok := argString(args, "entityName")
		if !ok {
			// W&B falls back to the viewer's entity.
			entity = ec.s.viewer
		}
		pname, _ := argString(args, "name")
		if p := ec.s.project(entity, pname); p != nil {
			return vObject(p), nil
		}
		return null, nil
	case "viewer":
		return vObject(&userObj{name: ec.s.viewer}), nil
	case "models", "projects":
		return ec.s.projectsWithFaults(ec, args)
	case "serverInfo":
		return vObject(serverInfo{}), nil
	}
	return ec.s.artifactRootField(ec, name, args)
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

func (p *projectData) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "id":
		return vString(opaqueID("Project", p.name, p.entity)), nil
	case "internalId":
		return vString(numericID(p.entity, p.name)), nil
	case "name":
		return vString(p.name), nil
	case "entityName":
		return vString(p.entity), nil
	case "createdAt":
		return vTime(p.createdAt), nil
	case "updatedAt":
		return vTime(ec.s.projectActive(p, ec.now)), nil
	case "readOnly":
		return vBool(false), nil
	case "run", "bucket":
		id, _ := argString(args, "name")
		if rd := ec.s.run(p.entity, p.name, id); rd != nil {
			return vObject(rd), nil
		}
		return null, nil
	case "runCount":
		runs, err := ec.s.projectRuns(p, args, ec.now)
		if err != nil {
			return null, err
		}
		return vInt(int64(len(runs))), nil
	case "runs":
		return ec.s.runsWithFaults(ec, p, args, ec.now)
	case "entity":
		return vObject(entityObj(p.entity)), nil
	case "isBenchmark":
		return vBool(false), nil
	case "user":
		return vObject(&userObj{name: p.entity}), nil
	}
	return ec.s.projectArtifactField(ec, p, name, args)
}

func (rd *runData) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	r := &rd.spec
	switch name {
	case "id":
		return vString(opaqueID("Run", r.ID, r.Project, r.Entity)), nil
	case "name":
		return vString(r.ID), nil
	case "displayName":
		return vString(r.DisplayName), nil
	case "projectId":
		return vString(numericID(r.Entity, r.Project)), nil
	case "state":
		return vStringOrNull(r.State), nil
	case "createdAt":
		return vTime(r.CreatedAt), nil
	case "updatedAt", "heartbeatAt":
		return vTime(rd.heartbeat(ec.now)), nil
	case "fileCount":
		if r.NullFileCount {
			return null, nil
		}
		return vInt(int64(len(rd.files))), nil
	case "commit":
		return vStringOrNull(r.Commit), nil
	case "config":
		return filterJSON(r.Config, args)
	case "summaryMetrics":
		return filterJSON(rd.summary(), args)
	case "historyKeys":
		return vJSON(rd.historyKeys()), nil
	case "historyLineCount":
		return vInt(rd.historyLines()), nil
	case "systemMetrics":
		return vString(rd.systemMetrics()), nil
	case "logLineCount":
		return vInt(rd.logLineCount()), nil
	case "logLines":
		return rd.logLinesPage(args)
	case "description", "notes":
		return vStringOrNull(r.Notes), nil
	case "exitcode":
		switch r.State {
		case "finished":
			return vFloat(0.0), nil
		case "crashed", "failed":
			return vFloat(1.0), nil
		}
		return null, nil
	case "group":
		return vStringOrNull(r.Group), nil
	case "host":
		return vStringOrNull(r.Host), nil
	case "jobType":
		return vStringOrNull(r.JobType), nil
	case "readOnly":
		return vBool(false), nil
	case "sweepName":
		return vStringOrNull(r.SweepName), nil
	case "tags":
		return vList(stringList(r.Tags)), nil
	case "files":
		return ec.s.files(ec, rd, args)
	case "storageBytes":
		return vInt(rd.total), nil
	case "project":
		if p := ec.s.project(r.Entity, r.Project); p != nil {
			return vObject(p), nil
		}
		return null, nil
	case "user":
		return vObject(&userObj{name: rd.user()}), nil
	}
	return ec.s.runArtifactField(ec, rd, name, args)
}

// filterJSON returns the JSON object text, keeping only keys when given.
func filterJSON(text string, args map[string]any) (value, error) {
	if text == "" {
		text = "{}"
	}
	if _, given := args["keys"]; !given || args["keys"] == nil {
		return vString(text), nil
	}
	keys := argStrings(args, "keys")
	var all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &all); err != nil {
		return null, errors.New("stored JSON is not an object")
	}
	kept := map[string]json.RawMessage{}
	for _, k := range keys {
		if v, ok := all[k]; ok {
			kept[k] = v
		}
	}
	out, _ := json.Marshal(kept)
	return vString(string(out)), nil
}

// pageInfo is a PageInfo.
type pageInfo struct {
	start, end       string
	hasNext, hasPrev bool
}

func (p *pageInfo) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "startCursor":
		return vStringOrNull(p.start), nil
	case "endCursor":
		return vStringOrNull(p.end), nil
	case "hasNextPage":
		return vBool(p.hasNext), nil
	case "hasPreviousPage":
		return vBool(p.hasPrev), nil
	}
	return null, unknownField("PageInfo", name)
}

// fileEdge is a FileEdge; the same memory as the file, so a page of edges
// costs no allocation.
type fileEdge fileData

func (e *fileEdge) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	f := (*fileData)(e)
	switch name {
	case "cursor":
		return vString(f.cursor), nil
	case "node":
		if f.spec.NullNode {
			return null, nil
		}
		return vObject(f), nil
	}
	return null, unknownField("FileEdge", name)
}

func (f *fileData) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	sp := &f.spec
	switch name {
	case "id":
		return vString(f.id), nil
	case "name":
		return vString(sp.Name), nil
	case "displayName":
		return vString(path.Base(sp.Name)), nil
	case "url":
		if up, _ := args["upload"].(bool); up || sp.NullURL {
			return null, nil
		}
		return vString(f.apiURL(ec.base)), nil
	case "directUrl":
		if sp.EmptyDirectURL {
			return vString(""), nil
		}
		return vString(ec.s.cachedDirectURL(f, ec.now)), nil
	case "sizeBytes":
		if sp.NullSize {
			return schemaNull, nil
		}
		return vInt(sp.Size), nil
	case "mimetype":
		if sp.NullMimetype {
			return null, nil
		}
		return vString(sp.mimetype()), nil
	case "md5", "digest":
		if sp.NullMD5 {
			return null, nil
		}
		return vString(ec.reportedMD5(f.contentMD5())), nil
	case "createdAt", "updatedAt":
		if sp.NullUpdatedAt {
			return null, nil
		}
		return vTime(f.updated), nil
	case "deletedAt", "uploadUrl":
		return null, nil
	case "archived", "isReference", "special":
		return vBool(false), nil
	case "exists":
		return vBool(true), nil
	case "storageBucket":
		return vString(bucket), nil
	case "storagePath":
		return vString(storagePath(f)), nil
	case "uploadHeaders":
		return vList(noStrings), nil
	}
	return null, unknownField("File", name)
}
