package wandb

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestRunDetailDemo reads the demo's main run: header, notes, config and
// summary as indented JSON, and the command line and git commit from its
// wandb-metadata.json, in two requests (the run, the file's preview).
func TestRunDetailDemo(t *testing.T) {
	srv, c := demoEnv(t)
	ref := demoRef(t, wandbtest.DemoRun)
	srv.ResetStats()
	d, err := c.RunDetail(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Stats().GraphQLRequests; n != 1 {
		t.Errorf("%d GraphQL requests, want 1", n)
	}
	i := d.Info
	if i.Ref != ref || i.DisplayName != "brisk-sun-42" || i.State != "finished" || i.Group != "lora-r16" || i.JobType != "train" ||
		!slices.Equal(i.Tags, []string{"lora", "llama-3.1-8b", "baseline"}) || i.User != wandbtest.DemoEntity ||
		!i.CreatedAt.Equal(time.Date(2026, 8, 14, 6, 3, 11, 0, time.UTC)) || !i.HeartbeatAt.After(i.CreatedAt) {
		t.Errorf("header %+v", i)
	}
	if !strings.HasPrefix(d.Notes, "LoRA r=16") || d.Commit != "9f3c2a1e7b5d4c8a6f0e1d2c3b4a59687f6e5d4c" || d.Host != "gpu-node-07" {
		t.Errorf("notes %q, commit %q, host %q", d.Notes, d.Commit, d.Host)
	}
	if !strings.Contains(d.Config, "\n  \"learning_rate\": 0.0002,\n") || strings.Contains(d.Config, `"value"`) ||
		!strings.HasPrefix(d.Config, "{\n  \"dataset\": \"instruct-mix-v3\",") {
		t.Errorf("config:\n%s", d.Config)
	}
	if !strings.Contains(d.Summary, "\n  \"_step\": 3000,\n") || strings.Contains(d.Summary, "_wandb") {
		t.Errorf("summary:\n%s", d.Summary)
	}
	m := d.Metadata
	if m == nil {
		t.Fatalf("no metadata; warnings %q", d.Warnings)
	}
	if m.Program != "/workspace/code/train.py" || m.CommandLine() != "/workspace/code/train.py --config code/configs/lora_r16.yaml" ||
		m.GitRemote != "https://github.com/example-lab/llama-finetune.git" || m.GitCommit != d.Commit ||
		m.Python != "CPython 3.11.9" || m.GPU != "NVIDIA H100 80GB HBM3" || m.GPUCount != 1 || m.CUDA != "12.4" ||
		!m.StartedAt.Equal(time.Date(2026, 8, 14, 6, 3, 11, 482913000, time.UTC)) || len(d.Warnings) != 0 {
		t.Errorf("metadata %+v, warnings %q", m, d.Warnings)
	}
}

// TestRunDetailNoMetadata: a run without the file has no metadata and no
// warning; an unknown run is ErrRunNotFound.
func TestRunDetailNoMetadata(t *testing.T) {
	_, c := demoEnv(t)
	d, err := c.RunDetail(context.Background(), demoRef(t, wandbtest.DemoRunningRun))
	if err != nil || d.Metadata != nil || len(d.Warnings) != 0 || d.Info.State != "running" {
		t.Errorf("running run: %+v, %v", d, err)
	}
	if _, err := c.RunDetail(context.Background(), RunRef{Entity: "wbfiles-demo", Project: "llama-finetune", RunID: "nope"}); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("unknown run: %v", err)
	}
}

// TestRunDetailBounds: a huge config is cut with a line that says so; a
// metadata file too big or not JSON is a warning, not an error; odd
// fields of the metadata stay zero without losing the others.
func TestRunDetailBounds(t *testing.T) {
	var cfg strings.Builder
	cfg.WriteString(`{"_wandb": {"value": {"x": 1}}, "wandb_version": 1`)
	for i := range 5000 {
		cfg.WriteString(`, "key_` + strings.Repeat("k", 20) + strconv.Itoa(i) + `": {"desc": null, "value": "` + strings.Repeat("v", 10) + `"}`)
	}
	cfg.WriteString("}")
	runs := []wandbtest.RunSpec{
		{Entity: "ent", Project: "proj", ID: "big", Config: cfg.String(),
			Files: []wandbtest.FileSpec{{Name: MetadataFile, Size: MaxMetadataBytes + 1}}},
		{Entity: "ent", Project: "proj", ID: "bad", Files: []wandbtest.FileSpec{{Name: MetadataFile, Content: []byte("not json")}}},
		{Entity: "ent", Project: "proj", ID: "odd", Files: []wandbtest.FileSpec{{Name: MetadataFile,
			Content: []byte(`{"program": "train.py", "args": "--oops", "gpu_count": "two", "python": "CPython 3.12", "git": {"commit": "abc"}}`)}}},
	}
	_, c := newAPIEnv(t, runs...)
	ctx := context.Background()
	d, err := c.RunDetail(ctx, RunRef{Entity: "ent", Project: "proj", RunID: "big"})
	if err != nil || d.Metadata != nil || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "larger than 256 KiB") {
		t.Fatalf("big: metadata %+v, warnings %q, %v", d.Metadata, d.Warnings, err)
	}
	last := d.Config[strings.LastIndexByte(d.Config, '\n')+1:]
	if len(d.Config) > MaxDetailJSON+100 || !strings.HasPrefix(last, "… cut: the first 6") || !strings.HasSuffix(last, " shown") ||
		strings.Contains(d.Config, "_wandb") || strings.Contains(d.Config, "wandb_version") {
		t.Errorf("big config: %d bytes, last line %q", len(d.Config), last)
	}
	d, err = c.RunDetail(ctx, RunRef{Entity: "ent", Project: "proj", RunID: "bad"})
	if err != nil || d.Metadata != nil || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "not a JSON object") || d.Config != "" {
		t.Errorf("bad: %+v, %v", d, err)
	}
	d, err = c.RunDetail(ctx, RunRef{Entity: "ent", Project: "proj", RunID: "odd"})
	if m := d.Metadata; err != nil || m == nil || m.Program != "train.py" || m.Args != nil || m.GPUCount != 0 || m.Python != "CPython 3.12" || m.GitCommit != "abc" {
		t.Errorf("odd: %+v, %v", d.Metadata, err)
	}
}

// TestPrettyJSON: values unwrapped, numbers kept as written, text that is
// not JSON kept, empty documents empty.
func TestPrettyJSON(t *testing.T) {
	tests := []struct {
		in     string
		config bool
		want   string
	}{
		{`{"b": {"value": 1e-4}, "a": {"desc": null, "value": [1, 2]}, "c": {"nested": 1}}`, true,
			"{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 1e-4,\n  \"c\": {\n    \"nested\": 1\n  }\n}"},
		{`{"b": {"value": 1}, "a<b": 0.30000000000000004}`, false, "{\n  \"a<b\": 0.30000000000000004,\n  \"b\": {\n    \"value\": 1\n  }\n}"},
		{"{}", true, ""},
		{"", true, ""},
		{"null", false, ""},
		{`{"_wandb": {"runtime": 3}}`, false, ""},
		{"lr: 0.1", false, "lr: 0.1"},
	}
	for _, tt := range tests {
		if got := prettyJSON(tt.in, tt.config); got != tt.want {
			t.Errorf("prettyJSON(%q, %v) =\n%s\nwant\n%s", tt.in, tt.config, got, tt.want)
		}
	}
	if got := boundText(strings.Repeat("é", 100), 9); got != "éééé\n… cut: the first 8 B of 200 B shown" {
		t.Errorf("boundText in a long line: %q", got)
	}
	if got := (RunMetadata{Program: "train.py", Args: []string{"--name", "my run", "it's", "a=b"}}).CommandLine(); got != `train.py --name 'my run' 'it'\''s' a=b` {
		t.Errorf("CommandLine %s", got)
	}
}
