package wandb

import (
	"errors"
	"strings"
	"testing"
)

func TestParseArtifactRef(t *testing.T) {
	ref := func(e, p, n, a, typ, host string) ArtifactRef {
		return ArtifactRef{Entity: e, Project: p, Name: n, Alias: a, Type: typ, Host: host}
	}
	tests := []struct {
		in, entity string
		want       ArtifactRef
	}{
		{"alice/mnist/model:latest", "", ref("alice", "mnist", "model", "latest", "", "")},
		{"  alice/mnist/model:v3\n", "", ref("alice", "mnist", "model", "v3", "", "")},
		{"alice/mnist/model:best", "team", ref("alice", "mnist", "model", "best", "", "")},
		{"mnist/model:best", "team", ref("team", "mnist", "model", "best", "", "")},
		{"my-team.v2/proj_1.0/llama-3.1-8b_lora:v12", "", ref("my-team.v2", "proj_1.0", "llama-3.1-8b_lora", "v12", "", "")},
		{"équipe/projet/modèle:meilleur", "", ref("équipe", "projet", "modèle", "meilleur", "", "")},
		{"alice/mnist/model:1a2b3c4d5e6f7a8b9c0d", "", ref("alice", "mnist", "model", "1a2b3c4d5e6f7a8b9c0d", "", "")},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet/v3", "", ref("alice", "mnist", "resnet", "v3", "model", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet/v3/", "", ref("alice", "mnist", "resnet", "v3", "model", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet", "", ref("alice", "mnist", "resnet", "latest", "model", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet/best/files", "", ref("alice", "mnist", "resnet", "best", "model", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet/v0/files/weights/a.safetensors", "", ref("alice", "mnist", "resnet", "v0", "model", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/dataset/imgs/v1/overview", "", ref("alice", "mnist", "imgs", "v1", "dataset", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/dataset/imgs/v1/lineage", "", ref("alice", "mnist", "imgs", "v1", "dataset", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/dataset/imgs/v1/metadata?x=1#y", "", ref("alice", "mnist", "imgs", "v1", "dataset", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/artifacts/run_table/run-3k9x2p7q-preds/v0/usage", "", ref("alice", "mnist", "run-3k9x2p7q-preds", "v0", "run_table", "wandb.ai")},
		{"wandb.ai/alice/mnist/artifacts/model/resnet/latest", "", ref("alice", "mnist", "resnet", "latest", "model", "wandb.ai")},
		{"http://localhost:8080/alice/mnist/artifacts/model/resnet/v2/api", "", ref("alice", "mnist", "resnet", "v2", "model", "localhost:8080")},
	}
	for _, tt := range tests {
		got, err := ParseArtifactRef(tt.in, tt.entity)
		if err != nil {
			t.Errorf("ParseArtifactRef(%q, %q): %v", tt.in, tt.entity, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseArtifactRef(%q, %q) = %+v, want %+v", tt.in, tt.entity, got, tt.want)
		}
	}
}

// TestParseArtifactRefErrors: hostile and malformed references are refused
// with the reason and the accepted forms, and never echo credentials.
func TestParseArtifactRefErrors(t *testing.T) {
	tests := []struct {
		in, entity string
		why        string // a part of the reason
	}{
		{"", "", "empty"},
		{"model:latest", "team", "1 part"},
		{"alice/mnist/model", "", "alias is missing"},
		{"alice/mnist/3k9x2p7q", "", "alias is missing"},
		{"mnist/model:v1", "", "WANDB_ENTITY"},
		{"a/b/c/model:v1", "", "4 part"},
		{"a/b/model:", "", "alias is empty"},
		{"a/b/:v1", "", "name is empty"},
		{"a//model:v1", "", "project is empty"},
		{"../b/model:v1", "", "entity"},
		{"a/../model:v1", "", "project"},
		{"a/b/..:v1", "", "name cannot be"},
		{"a/b/model:..", "", "alias cannot be"},
		{"a/b/model:v1:v2", "", "alias"},
		{"a/b/mo del:v1", "", "a space"},
		{"a/b/model:la test", "", "a space"},
		{"a/b/model:v1\x1b[2J", "", "U+001B"},
		{"a/b/model:v1?x=1", "", "query"},
		{"a/b/model\u202e:v1", "", "U+202E"},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q", "", "artifacts/type/name"},
		{"https://wandb.ai/alice/mnist/artifacts/model", "", "artifacts/type/name"},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet/v3/edit", "", "not an artifact page"},
		{"https://wandb.ai/alice/mnist/artifacts/model/resnet/v3/overview/x", "", "not an artifact page"},
		{"https://wandb.ai/alice/mnist/artifacts/mo del/resnet/v3", "", "type"},
		{"https://wandb.ai/alice/mnist/artifacts/model/res%2Fnet/v3", "", "name"},
		{"https://wandb.ai/registry/model?selectionPath=x", "", "artifacts/type/name"},
		{"https://:@/x", "", "URL"},
		{"ftp://wandb.ai/alice/mnist/artifacts/model/resnet/v3", "", "http(s)"},
	}
	for _, tt := range tests {
		_, err := ParseArtifactRef(tt.in, tt.entity)
		if err == nil {
			t.Errorf("ParseArtifactRef(%q) took it", tt.in)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrInvalidArtifactRef) || !strings.Contains(msg, tt.why) || !strings.Contains(msg, "accepted forms:") ||
			!strings.Contains(msg, "entity/project/name:alias") {
			t.Errorf("ParseArtifactRef(%q) = %q; want ErrInvalidArtifactRef, %q and the forms", tt.in, msg, tt.why)
		}
	}
	_, err := ParseArtifactRef("https://api:s3cr3t-key@wandb.ai/a/b/artifacts/model/m/v1", "")
	if err == nil || strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("URL with credentials: %v", err)
	}
	long := "a/b/c:" + strings.Repeat("x", 5000) + " y"
	if _, err := ParseArtifactRef(long, ""); err == nil || len(err.Error()) > 1000 {
		t.Errorf("a 5,000-byte reference gives the error %.100v", err)
	}
}

// TestArtifactAPIBaseOf: an artifact URL of the cloud app means the cloud
// API; a self-hosted one its own host; anything else nothing.
func TestArtifactAPIBaseOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://wandb.ai/a/b/artifacts/model/m/v1":           DefaultBaseURL,
		"wandb.ai/a/b/artifacts/model/m":                      DefaultBaseURL,
		"http://Wandb.Example.com:8080/a/b/artifacts/t/m/v1":  "http://Wandb.Example.com:8080",
		"https://wandb.ai/a/b/runs/abc":                       "",
		"a/b/m:v1":                                            "",
		"https://wandb.ai/a/b/artifacts/model/m/v1/bad-page":  "",
		"HTTPS://wandb.example.com/a/b/artifacts/model/m/v1/": "https://wandb.example.com",
	} {
		if got := ArtifactAPIBaseOf(in); got != want {
			t.Errorf("ArtifactAPIBaseOf(%q) = %q, want %q", in, got, want)
		}
	}
}
