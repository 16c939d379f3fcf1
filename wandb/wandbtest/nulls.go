package wandbtest

// NullsRunID is the id of NullsRun, in DemoEntity/DemoProject.
const NullsRunID = "nu11n0d3"

// NullsRun returns a run, not served by the demo, that sends every null
// the schema allows and real W&B servers have been seen to send, for tests
// of a client's tolerance: a null fileCount, an edge whose node is null
// and a file whose url is null (the three the W&B SDK fails on: len() of
// None, a TypeError, an empty download URL), and files with a null
// sizeBytes, md5 and digest, mimetype or updatedAt, or an empty directUrl
// (which the SDK tolerates). Each file but "plain.txt" has exactly one
// knob, named after it under "nulls/". Add it to a server with AddRun.
func NullsRun() RunSpec {
	return RunSpec{
		Entity: DemoEntity, Project: DemoProject, ID: NullsRunID,
		DisplayName: "null-storm-0", State: "finished",
		NullFileCount: true,
		Files: []FileSpec{
			text("plain.txt", "nothing null here\n"),
			{Name: "nulls/node", Size: 5, NullNode: true},
			{Name: "nulls/url", Size: 5, NullURL: true},
			{Name: "nulls/size", Size: 5, NullSize: true},
			{Name: "nulls/md5", Size: 5, NullMD5: true},
			{Name: "nulls/mimetype", Size: 5, NullMimetype: true},
			{Name: "nulls/updated", Size: 5, NullUpdatedAt: true},
			{Name: "nulls/zdirect", Size: 5, EmptyDirectURL: true},
		},
	}
}
