package wandbtest

import "strconv"

// The manifest of a version: the JSON document W&B stores beside the
// version's files and serves at currentManifest.file.directUrl
// (../shared/wandb/SOURCE.md):
//
//	{"version": 1, "storagePolicy": "wandb-storage-policy-v1",
//	 "storagePolicyConfig": {"storageLayout": "V2"},
//	 "contents": {"<path>": {"digest": "<base64 md5>", "birthArtifactID": "<id>", "size": N}, ...}}
//
// A reference entry has "ref" and its checksum as digest, an "extra" with
// its etag, and no birthArtifactID. Paths are the keys, in path order.

// manifestName is the file name of a manifest, as W&B names it.
const manifestName = "wandb_manifest.json"

// manifestEntry returns the manifest as a stored entry, built on first use
// (it needs the md5 of every stored entry).
func (v *artVersion) manifestEntry() *artEntry {
	v.manifestOnce.Do(func() {
		body := v.manifestJSON()
		seed := v.coll.entity + "/" + v.coll.project + "/" + v.coll.name + "@manifest/" + v.id + "/" + manifestName
		v.manifest = &artEntry{
			path:  manifestName,
			size:  int64(len(body)),
			birth: v,
			obj:   &fileData{spec: FileSpec{Name: seed, Content: body, Mimetype: "application/json"}},
			key:   v.manifestKey(),
		}
	})
	return v.manifest
}

// manifestJSON writes the manifest document.
func (v *artVersion) manifestJSON() []byte {
	b := []byte(`{"version": 1, "storagePolicy": "wandb-storage-policy-v1", "storagePolicyConfig": {"storageLayout": "V2"}, "contents": {`)
	for i, e := range v.entries {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendJSONString(b, e.path)
		b = append(b, `: {"digest": `...)
		b = appendJSONString(b, e.digest())
		if e.ref != "" {
			b = append(b, `, "ref": `...)
			b = appendJSONString(b, e.ref)
			b = append(b, `, "extra": {"etag": `...)
			b = appendJSONString(b, strconv.Quote(e.refDigest))
			b = append(b, '}')
		} else {
			b = append(b, `, "birthArtifactID": `...)
			b = appendJSONString(b, e.birth.id)
		}
		b = append(b, `, "size": `...)
		b = strconv.AppendInt(b, e.size, 10)
		b = append(b, '}')
	}
	return append(b, "}}\n"...)
}
