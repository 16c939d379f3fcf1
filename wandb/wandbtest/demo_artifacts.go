package wandbtest

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// The demo's artifacts: what DemoRun logged (a model with versions and
// aliases) and used (a dataset of another entity's project, and a set of
// evaluation data held by reference).
const (
	// DemoModelArtifact is a "model" artifact in DemoEntity/DemoProject
	// with DemoModelVersions versions, all logged by DemoRun: each has an
	// adapter that changed and the same two base-model shards of 64 MiB
	// (stored once, by v0), a tokenizer and a model card. v3 is "best",
	// the last "latest"; DemoRunningRun uses v3.
	DemoModelArtifact = "llama-3.1-8b-lora"
	DemoModelVersions = 5
	// DemoDatasetArtifact is a "dataset" artifact in DemoTeam's
	// DemoTeamSmallProject, logged by that project's first run, in two
	// versions: v1 (latest) has DemoDatasetFiles files in nested folders
	// (split/source/language/part), v0 a part of them, which v1 keeps
	// unchanged. DemoRun used v1, DemoCrashedRun v0.
	DemoDatasetArtifact = "instruct-mix-v3"
	DemoDatasetFiles    = 2787
	// DemoRefsArtifact is a "dataset" artifact in DemoEntity/DemoProject
	// uploaded outside a run (createdBy null): a README and an index
	// stored in W&B, and DemoRefsEntries reference entries (s3://, gs://,
	// https://, file://) that are never served. DemoRun used it.
	DemoRefsArtifact = "eval-benchmarks"
	DemoRefsEntries  = 6
)

// DemoArtifacts returns the demo's artifact specs (model, dataset,
// references). Built once per process; the slices are fresh, the Content
// byte slices shared: do not modify them.
func DemoArtifacts() []ArtifactSpec {
	demoArtOnce.Do(buildDemoArtifacts)
	out := make([]ArtifactSpec, len(demoArtSpecs))
	for i, a := range demoArtSpecs {
		a.Versions = append([]ArtifactVersion(nil), a.Versions...)
		for k := range a.Versions {
			a.Versions[k].Files = append([]ArtifactFile(nil), a.Versions[k].Files...)
		}
		out[i] = a
	}
	return out
}

// The demo artifacts are indexed once per process and shared by every
// demo server, like the runs: their md5s and manifests are computed once.
var (
	demoArtOnce  sync.Once
	demoArtSpecs []ArtifactSpec
	demoArtIndex []*artCollection
)

func buildDemoArtifacts() {
	demoArtSpecs = []ArtifactSpec{demoModel(), demoDataset(), demoRefs()}
	for _, a := range demoArtSpecs {
		c, err := newArtCollection(a)
		if err != nil {
			panic(err) // the demo data is fixed
		}
		demoArtIndex = append(demoArtIndex, c)
	}
}

// addDemoArtifacts adds the demo artifacts to a demo server.
func (s *Server) addDemoArtifacts() {
	demoArtOnce.Do(buildDemoArtifacts)
	s.addArtCollections(demoArtIndex...)
}

// demoModel is DemoModelArtifact: a checkpoint logged every 600 steps of
// DemoRun (created 06:03:11), eval loss falling, v3 the best.
func demoModel() ArtifactSpec {
	a := ArtifactSpec{
		Entity: DemoEntity, Project: DemoProject, Name: DemoModelArtifact, Type: "model",
		Description: "LoRA r=16 adapter for Llama-3.1-8B-Instruct, with the base weights it was trained on.",
	}
	losses := []float64{1.42, 1.23, 1.14, 1.07, 1.08}
	for i := range DemoModelVersions {
		step := 600 * (i + 1)
		v := ArtifactVersion{
			LoggedBy:  DemoRun,
			CreatedAt: time.Date(2026, 8, 14, 6, 3, 11, 0, time.UTC).Add(time.Duration(step) * 1400 * time.Millisecond),
			Metadata:  fmt.Sprintf(`{"step": %d, "eval/loss": %.2f, "lora_r": 16}`, step, losses[i]),
			Files: []ArtifactFile{
				{Path: "README.md", Content: []byte(modelCard(step, losses[i]))},
				{Path: "adapter/adapter_config.json", Content: []byte(adapterConfigJSON)},
				{Path: "adapter/adapter_model.safetensors", Size: 16*MiB + int64(i)*4099, Rev: i},
				{Path: "base/model-00001-of-00002.safetensors", Size: 64 * MiB},
				{Path: "base/model-00002-of-00002.safetensors", Size: 64*MiB - 12345},
				{Path: "base/model.safetensors.index.json", Content: []byte(shardIndexJSON)},
				{Path: "tokenizer/special_tokens_map.json", Content: []byte(`{"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}` + "\n")},
				{Path: "tokenizer/tokenizer.json", Size: 9_085_698},
				{Path: "tokenizer/tokenizer_config.json", Content: []byte(`{"model_max_length": 131072, "padding_side": "right"}` + "\n")},
			},
		}
		if i == 3 {
			v.Aliases = []string{"best"}
			v.UsedBy = []string{DemoRunningRun}
		}
		a.Versions = append(a.Versions, v)
	}
	return a
}

func modelCard(step int, loss float64) string {
	return fmt.Sprintf("# llama-3.1-8b-lora\n\nLoRA r=16, alpha 32, on instruct-mix-v3.\n\n"+
		"| step | eval loss |\n|---|---|\n| %d | %.2f |\n", step, loss)
}

const shardIndexJSON = `{"metadata": {"total_size": 134205383}, "weight_map": {"lm_head.weight": "model-00002-of-00002.safetensors", ` +
	`"model.embed_tokens.weight": "model-00001-of-00002.safetensors"}}` + "\n"

// Sources and languages of the dataset's folders.
var (
	datasetSources = []string{"alpaca", "code-alpaca", "dolly", "flan", "gsm8k-cot", "lima", "oasst", "sharegpt"}
	datasetLangs   = []string{"en", "de", "fr", "ja"}
)

// demoDataset is DemoDatasetArtifact. v1 = v0 plus French and Japanese
// training data, the validation and test splits and statistics.
func demoDataset() ArtifactSpec {
	a := ArtifactSpec{
		Entity: DemoTeam, Project: DemoTeamSmallProject, Name: DemoDatasetArtifact, Type: "dataset",
		Description: "Instruction-tuning mix: eight sources in four languages, as JSON Lines shards.",
	}
	logger := ""
	for _, r := range DemoRuns() {
		if r.Entity == DemoTeam && r.Project == DemoTeamSmallProject {
			logger = r.Ref()
			break
		}
	}
	part := func(split, src, lang string, k int) ArtifactFile {
		p := fmt.Sprintf("%s/%s/%s/part-%05d.jsonl", split, src, lang, k)
		return ArtifactFile{Path: p, Size: 1024 + int64(seedOf(p)%11264)}
	}
	var v0, v1 []ArtifactFile
	for _, src := range datasetSources {
		for li, lang := range datasetLangs {
			for k := range 75 {
				f := part("train", src, lang, k)
				if li < 2 {
					v0 = append(v0, f)
				}
				v1 = append(v1, f)
			}
			for k := range 8 {
				v1 = append(v1, part("validation", src, lang, k))
			}
			for k := range 4 {
				v1 = append(v1, part("test", src, lang, k))
			}
		}
	}
	readme := func(n int) ArtifactFile {
		return ArtifactFile{Path: "README.md", Content: []byte(fmt.Sprintf(
			"# instruct-mix-v3\n\n%d shards; sources: %s.\n", n, strings.Join(datasetSources, ", ")))}
	}
	info := ArtifactFile{Path: "dataset_info.json", Content: []byte(`{"features": {"prompt": "string", "response": "string", "source": "string"}}` + "\n")}
	stats := ArtifactFile{Path: "stats/token_counts.csv", Content: []byte("split,tokens\ntrain,412331008\nvalidation,4120384\ntest,2049911\n")}
	v0 = append(v0, readme(len(v0)), info)
	v1 = append(v1, readme(len(v1)), info, stats)
	t0 := demoEpoch.Add(-20 * 24 * time.Hour)
	a.Versions = []ArtifactVersion{
		{LoggedBy: logger, CreatedAt: t0, Files: v0, UsedBy: []string{DemoCrashedRun}},
		{LoggedBy: logger, CreatedAt: t0.Add(6 * 24 * time.Hour), Files: v1, UsedBy: []string{DemoRun}},
	}
	return a
}

// demoRefs is DemoRefsArtifact: evaluation sets held where they live.
func demoRefs() ArtifactSpec {
	return ArtifactSpec{
		Entity: DemoEntity, Project: DemoProject, Name: DemoRefsArtifact, Type: "dataset",
		Description: "Evaluation sets, by reference: the bytes stay in their buckets.",
		Versions: []ArtifactVersion{{
			CreatedAt: demoEpoch.Add(-5 * 24 * time.Hour),
			UsedBy:    []string{DemoRun},
			Files: []ArtifactFile{
				{Path: "README.md", Content: []byte("# eval-benchmarks\n\nReferences only; fetch them with your own cloud credentials.\n")},
				{Path: "index.json", Content: []byte(`{"sets": ["mmlu", "gsm8k", "arc", "hellaswag", "humaneval"]}` + "\n")},
				{Path: "mmlu/test.parquet", Size: 3_411_018, Ref: "s3://wbfiles-demo-evals/mmlu/test-00000-of-00001.parquet"},
				{Path: "gsm8k/test.jsonl", Size: 749_372, Ref: "gs://wbfiles-demo-evals/gsm8k/test.jsonl"},
				{Path: "arc/challenge-test.parquet", Size: 203_808, Ref: "https://huggingface.co/datasets/allenai/ai2_arc/resolve/main/ARC-Challenge/test-00000-of-00001.parquet"},
				{Path: "hellaswag/validation.jsonl", Size: 11_485_240, Ref: "s3://wbfiles-demo-evals/hellaswag/validation.jsonl"},
				{Path: "hellaswag/train.jsonl", Size: 47_103_552, Ref: "s3://wbfiles-demo-evals/hellaswag/train.jsonl"},
				{Path: "humaneval/HumanEval.jsonl.gz", Size: 44_685, Ref: "file:///mnt/shared/evals/HumanEval.jsonl.gz"},
			},
		}},
	}
}
