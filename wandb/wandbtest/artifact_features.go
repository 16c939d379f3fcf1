package wandbtest

// serverFeatures are the ServerFeature names (wandb's protobuf enum) of
// what this server serves that the SDK checks before using it: files of
// a collection membership (artifact.files(), artifact.download()),
// FileConnection.totalCount, Project.artifactCollectionMembership, and
// artifactsV2 paths that name the artifact.
var serverFeatures list = featureList{
	"ARTIFACT_COLLECTION_MEMBERSHIP_FILES",
	"TOTAL_COUNT_IN_FILE_CONNECTION",
	"PROJECT_ARTIFACT_COLLECTION_MEMBERSHIP",
	"ARTIFACT_V2_DOWNLOAD_HANDLER_SUPPORTS_ARTIFACT_ID",
}

// featureList is a list of enabled ServerFeatures.
type featureList []string

func (l featureList) Len() int       { return len(l) }
func (l featureList) At(i int) value { return vObject(serverFeature(l[i])) }

// serverFeature is an enabled ServerFeature.
type serverFeature string

func (f serverFeature) resolve(ec *execCtx, name string, args map[string]any) (value, error) {
	switch name {
	case "name":
		return vString(string(f)), nil
	case "isEnabled":
		return vBool(true), nil
	}
	return null, unknownField("ServerFeature", name)
}
