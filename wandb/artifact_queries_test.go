package wandb

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// recorder is a transport that keeps the GraphQL requests it carries.
type recorder struct {
	mu   sync.Mutex
	reqs []gqlRequest
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/graphql") && req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		var g gqlRequest
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if dec.Decode(&g) == nil {
			r.mu.Lock()
			r.reqs = append(r.reqs, g)
			r.mu.Unlock()
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// TestArtifactRequestsValidate sends every artifact operation, with every
// optional variable it may carry, and checks each request as a server
// would: the document validates against the SDL, the variables have their
// declared types, and none is undeclared.
func TestArtifactRequestsValidate(t *testing.T) {
	e := newArtEnv(t)
	rec := &recorder{}
	c, err := NewClient(Config{BaseURL: e.srv.URL(), APIKey: wandbtest.DemoAPIKey, Retry: testRetry, Transport: rec})
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := ParseArtifactRef(demoModel+":best", "")
	info, err := c.Artifact(e.ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	run, _ := ParseRunRef(wandbtest.DemoRun, "")
	p, _ := c.ArtifactVersions(e.ctx, info.Entity, info.Project, info.Collection, PageQuery{First: 1})
	c.ArtifactVersions(e.ctx, info.Entity, info.Project, info.Collection, PageQuery{First: 1, After: p.EndCursor})
	c.RunArtifacts(e.ctx, run, false, PageQuery{})
	c.RunArtifacts(e.ctx, run, true, PageQuery{First: 3})
	f, _ := c.ArtifactFiles(e.ctx, info.ID, ArtifactFilesQuery{First: 2})
	c.ArtifactFiles(e.ctx, info.ID, ArtifactFilesQuery{First: 2, After: f.EndCursor, Names: []string{"README.md"}})
	c.ArtifactByID(e.ctx, info.ID)
	c.manifestURL(e.ctx, info.ID)
	seen := map[string]bool{}
	for _, r := range rec.reqs {
		seen[r.OperationName] = true
		doc, errs := gqlparser.LoadQueryWithRules(wandbtest.Schema(), r.Query, nil)
		if len(errs) > 0 {
			t.Errorf("%s: %v", r.OperationName, errs)
			continue
		}
		op := doc.Operations.ForName(r.OperationName)
		if op == nil {
			t.Errorf("%s: no such operation in its document", r.OperationName)
			continue
		}
		if _, err := validator.VariableValues(wandbtest.Schema(), op, r.Variables); err != nil {
			t.Errorf("%s variables %v: %v", r.OperationName, r.Variables, err)
		}
		for name := range r.Variables {
			if op.VariableDefinitions.ForName(name) == nil {
				t.Errorf("%s sends the undeclared variable $%s", r.OperationName, name)
			}
		}
	}
	for name := range artifactQueries() {
		if !seen[name] {
			t.Errorf("%s was not sent", name)
		}
	}
}
