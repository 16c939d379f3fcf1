package wandb

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRunRef(t *testing.T) {
	ref := func(e, p, r, host string) RunRef { return RunRef{Entity: e, Project: p, RunID: r, Host: host} }
	tests := []struct {
		in, entity string
		want       RunRef
	}{
		{"alice/mnist/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "")},
		{"  alice/mnist/3k9x2p7q\n", "", ref("alice", "mnist", "3k9x2p7q", "")},
		{"alice/mnist/3k9x2p7q/", "", ref("alice", "mnist", "3k9x2p7q", "")},
		{"alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "")},
		{"alice/mnist:3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "")},
		{"mnist/3k9x2p7q", "team", ref("team", "mnist", "3k9x2p7q", "")},
		{"alice/mnist/3k9x2p7q", "team", ref("alice", "mnist", "3k9x2p7q", "")},
		{"my-team.v2/proj_1.0/run-id_9", "", ref("my-team.v2", "proj_1.0", "run-id_9", "")},
		{"équipe/projet/abc", "", ref("équipe", "projet", "abc", "")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"http://wandb.ai/alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"HTTPS://wandb.ai/alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/files", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/files/media/images", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/files/config.yaml", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/overview", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/logs", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/workspace", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/overview/", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q?nw=nwuseralice", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q/overview?workspace=user-alice#summary", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.ai/alice/mnist/runs/3k9x2p7q#files", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"https://wandb.example.com:8080/alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "wandb.example.com:8080")},
		{"http://localhost:8080/alice/mnist/runs/3k9x2p7q/files", "", ref("alice", "mnist", "3k9x2p7q", "localhost:8080")},
		{"http://[::1]:8080/alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "[::1]:8080")},
		{"wandb.ai/alice/mnist/runs/3k9x2p7q", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
		{"wandb.ai/alice/mnist/runs/3k9x2p7q/files/a/b", "", ref("alice", "mnist", "3k9x2p7q", "wandb.ai")},
	}
	for _, tt := range tests {
		got, err := ParseRunRef(tt.in, tt.entity)
		if err != nil {
			t.Errorf("ParseRunRef(%q, %q): %v", tt.in, tt.entity, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseRunRef(%q, %q) = %+v, want %+v", tt.in, tt.entity, got, tt.want)
		}
	}
}

func TestParseRunRefErrors(t *testing.T) {
	tests := []struct {
		in, entity string
		why        string // a part of the reason
	}{
		{"", "", "empty"},
		{"   ", "", "empty"},
		{"3k9x2p7q", "team", "1 part"},
		{"mnist/3k9x2p7q", "", "WANDB_ENTITY"},
		{"a/b/c/d", "", "runs"},
		{"a/b/c/d/e", "", "part"},
		{"a//c", "", "project is empty"},
		{"/b/c", "", "entity is empty"},
		{"a/b/", "", "WANDB_ENTITY"},
		{"a/b:", "", "run id is empty"},
		{"a/:c", "", "project is empty"},
		{"a/b/c d", "", "a space"},
		{"a b/proj/run", "", "a space"},
		{"a/b/c\td", "", "a space"},
		{"a/b/run.1", "", "run id"},
		{"a/b/rün", "", "run id"},
		{"a/b/c?x=1", "", "query"},
		{"a/b/c#frag", "", "query"},
		{"../b/c", "", "entity"},
		{"a/b:c:d", "", "run id"},
		{"a/p#q/c", "", "query"},
		{"a/b$/c", "", "project"},
		{"https://wandb.ai/alice/mnist", "", "run URL"},
		{"https://wandb.ai/alice/mnist/runs", "", "run URL"},
		{"https://wandb.ai/alice/mnist/sweeps/abc", "", "run URL"},
		{"https://wandb.ai/alice/mnist/runs/", "", "run URL"},
		{"https://wandb.ai/alice/mnist/runs/abc/artifactsx", "", "not a run page"},
		{"https://wandb.ai/alice/mnist/runs/abc/overview/more", "", "not a run page"},
		{"https://wandb.ai/alice/mnist/runs/a%20b", "", "a space"},
		{"https:///alice/mnist/runs/abc", "", "no host"},
		{"https://wandb.ai/alice/mni%2Fst/runs/abc", "", ""},
		{"ftp://wandb.ai/alice/mnist/runs/abc", "", ""},
	}
	for _, tt := range tests {
		got, err := ParseRunRef(tt.in, tt.entity)
		if err == nil {
			t.Errorf("ParseRunRef(%q, %q) = %+v, want an error", tt.in, tt.entity, got)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrInvalidRunRef) {
			t.Errorf("ParseRunRef(%q): error %q does not wrap ErrInvalidRunRef", tt.in, msg)
		}
		if !strings.Contains(msg, tt.why) {
			t.Errorf("ParseRunRef(%q): error %q does not say %q", tt.in, msg, tt.why)
		}
		for _, form := range []string{"entity/project/run_id", "entity/project/runs/run_id", "entity/project:run_id", "project/run_id", "https://wandb.ai/entity/project/runs/run_id"} {
			if !strings.Contains(msg, form) {
				t.Errorf("ParseRunRef(%q): error %q does not list the form %s", tt.in, msg, form)
			}
		}
	}
}

// TestParseRunRefHidesCredentials checks that a URL with user info is not
// echoed with it.
func TestParseRunRefHidesCredentials(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef01234567"
	for _, in := range []string{
		"https://api:" + secret + "@wandb.ai/alice/mnist/runs/abc",
		"https://api:" + secret + "@wandb.ai/alice/mnist",
		"http://api:" + secret + "@[bad/alice/mnist/runs/abc",
	} {
		_, err := ParseRunRef(in, "")
		if err == nil {
			t.Errorf("ParseRunRef(%q) succeeded; want an error for credentials", in)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseRunRef error echoes the credentials: %v", err)
		}
	}
}

func TestClientParseRunRef(t *testing.T) {
	c, err := NewClient(Config{BaseURL: "http://127.0.0.1:1", APIKey: "k", Entity: "team"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ParseRunRef("proj/abc")
	if err != nil {
		t.Fatal(err)
	}
	if want := (RunRef{Entity: "team", Project: "proj", RunID: "abc"}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestAPIBaseOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://wandb.ai/alice/mnist/runs/abc/files":               DefaultBaseURL,
		"http://wandb.ai/alice/mnist/runs/abc":                      DefaultBaseURL,
		"wandb.ai/alice/mnist/runs/abc":                             DefaultBaseURL,
		"https://WWW.wandb.ai/alice/mnist/runs/abc":                 DefaultBaseURL,
		"https://wandb.example.com/alice/mnist/runs/abc":            "https://wandb.example.com",
		"HTTP://wandb.example.com:8080/alice/mnist/runs/abc?x=1":    "http://wandb.example.com:8080",
		"wandb.example.com/alice/mnist/runs/abc":                    "https://wandb.example.com",
		"http://[::1]:8080/alice/mnist/runs/abc":                    "http://[::1]:8080",
		"alice/mnist/abc":                                           "",
		"https://wandb.example.com/alice/mnist":                     "",
		"https://api:secret@wandb.example.com/alice/mnist/runs/abc": "",
	} {
		if got := APIBaseOf(in); got != want {
			t.Errorf("APIBaseOf(%q) = %q, want %q", in, got, want)
		}
	}
}
