package wandb

import (
	"errors"
	"strings"
	"testing"
)

// TestParseTarget reads entities, projects, their app URLs and every run
// form.
func TestParseTarget(t *testing.T) {
	run := func(e, p, id, host string) Target {
		ref := RunRef{Entity: e, Project: p, RunID: id, Host: host}
		return Target{Kind: TargetRun, Entity: e, Project: p, Run: ref, Host: host}
	}
	tests := []struct {
		in   string
		want Target
	}{
		{"acme", Target{Kind: TargetEntity, Entity: "acme"}},
		{" acme/ ", Target{Kind: TargetEntity, Entity: "acme"}},
		{"acme/vision", Target{Kind: TargetProject, Entity: "acme", Project: "vision"}},
		{"acme/vision/", Target{Kind: TargetProject, Entity: "acme", Project: "vision"}},
		{"acme/vision/3k9x2p7q", run("acme", "vision", "3k9x2p7q", "")},
		{"acme/vision/runs/3k9x2p7q", run("acme", "vision", "3k9x2p7q", "")},
		{"acme/vision:3k9x2p7q", run("acme", "vision", "3k9x2p7q", "")},
		{"https://wandb.ai/acme", Target{Kind: TargetEntity, Entity: "acme", Host: "wandb.ai"}},
		{"https://wandb.ai/acme/", Target{Kind: TargetEntity, Entity: "acme", Host: "wandb.ai"}},
		{"https://wandb.ai/acme/vision", Target{Kind: TargetProject, Entity: "acme", Project: "vision", Host: "wandb.ai"}},
		{"https://wandb.ai/acme/vision/runs?nw=nwuser", Target{Kind: TargetProject, Entity: "acme", Project: "vision", Host: "wandb.ai"}},
		{"https://wandb.ai/acme/vision/table?workspace=default", Target{Kind: TargetProject, Entity: "acme", Project: "vision", Host: "wandb.ai"}},
		{"HTTP://w.example.com:8080/acme/vision/workspace/#x", Target{Kind: TargetProject, Entity: "acme", Project: "vision", Host: "w.example.com:8080"}},
		{"https://wandb.ai/acme/vision/runs/3k9x2p7q/files/media", run("acme", "vision", "3k9x2p7q", "wandb.ai")},
		{"wandb.ai/acme/vision/runs/3k9x2p7q", run("acme", "vision", "3k9x2p7q", "wandb.ai")},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in, "dflt")
		if err != nil || got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	if s := (Target{Kind: TargetProject, Entity: "a", Project: "b"}).String(); s != "a/b" {
		t.Errorf("String %q", s)
	}
	if TargetEntity.String() != "entity" || TargetProject.String() != "project" || TargetRun.String() != "run" {
		t.Error("TargetKind.String")
	}
}

// TestParseTargetErrors: every error lists the forms, artifacts say so,
// and credentials are never shown.
func TestParseTargetErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "it is empty"},
		{"acme/vi sion", "holds a space"},
		{"ac!me", `holds '!'`},
		{"a/b/c/d/e", "it has 5 part(s)"},
		{"acme?x", "only a URL may have a query"},
		{"https://wandb.ai/", "names no entity"},
		{"https://wandb.ai/acme/vision/reports/x", "not a project or run page"},
		{"https://wandb.ai/acme/vision/runs/3k9x2p7q/nope", "not a run page"},
	}
	for _, tt := range tests {
		_, err := ParseTarget(tt.in, "")
		if !errors.Is(err, ErrInvalidTarget) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "accepted forms:") {
			t.Errorf("ParseTarget(%q): %v; want an invalid target error with %q", tt.in, err, tt.want)
		}
		if errors.Is(err, ErrArtifactNotSupported) {
			t.Errorf("%q: an artifact error", tt.in)
		}
	}
	for _, in := range []string{"acme/vision/model:latest", "acme/vision/dataset:v3", "https://wandb.ai/acme/vision/artifacts/model/m/v0"} {
		_, err := ParseTarget(in, "")
		if !errors.Is(err, ErrArtifactNotSupported) || !errors.Is(err, ErrInvalidTarget) || !strings.Contains(err.Error(), "artifact") {
			t.Errorf("ParseTarget(%q): %v; want an artifact error", in, err)
		}
	}
	for _, in := range []string{"https://user:s3cretkey@wandb.ai/acme/vision", "https://s3cretkey@wandb.ai/acme"} {
		_, err := ParseTarget(in, "")
		if err == nil || strings.Contains(err.Error(), "s3cretkey") || !strings.Contains(err.Error(), "credentials") {
			t.Errorf("ParseTarget with credentials: %v", err)
		}
	}
}

// TestTargetAPIBase: the API of a target URL's server, as for run URLs.
func TestTargetAPIBase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://wandb.ai/acme/vision", DefaultBaseURL},
		{"https://wandb.ai/acme", DefaultBaseURL},
		{"http://W.example.com:8080/acme/vision/runs", "http://W.example.com:8080"},
		{"https://w.example.com/acme/vision/runs/3k9x2p7q", "https://w.example.com"},
		{"acme/vision", ""},
		{"https://wandb.ai/acme/vision/reports/x", ""},
	}
	for _, tt := range tests {
		if got := TargetAPIBase(tt.in); got != tt.want {
			t.Errorf("TargetAPIBase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
