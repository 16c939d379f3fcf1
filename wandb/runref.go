package wandb

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// ErrInvalidRunRef is wrapped by every error of ParseRunRef.
var ErrInvalidRunRef = errors.New("invalid run reference")

// runRefForms lists the accepted forms, for error messages.
const runRefForms = `accepted forms:
  entity/project/run_id
  entity/project/runs/run_id
  entity/project:run_id
  project/run_id              (entity from WANDB_ENTITY)
  https://wandb.ai/entity/project/runs/run_id   (a run URL from the app, any host)`

// runURLTails are the last path segments a run page URL may end with.
var runURLTails = map[string]bool{
	"overview": true, "logs": true, "workspace": true, "files": true,
	"system": true, "code": true, "artifacts": true, "charts": true,
}

// ParseRunRef reads a run reference as a user gives it: entity/project/run_id,
// entity/project/runs/run_id, entity/project:run_id, project/run_id (with
// defaultEntity), or a run URL copied from the W&B app
// (https://HOST/entity/project/runs/run_id, optionally followed by /files/...,
// /overview, /logs, /workspace, a trailing slash, a query or a fragment;
// the scheme may be left out). For a URL, RunRef.Host is the host[:port].
//
// Every error wraps ErrInvalidRunRef and lists the accepted forms.
func ParseRunRef(s, defaultEntity string) (RunRef, error) {
	s = strings.TrimSpace(s)
	ref, err := parseRunRef(s, defaultEntity)
	if err != nil {
		return RunRef{}, fmt.Errorf("%w %s: %v\n%s", ErrInvalidRunRef, showRef(s), err, runRefForms)
	}
	return ref, nil
}

// ParseRunRef is ParseRunRef with the client's default entity.
func (c *Client) ParseRunRef(s string) (RunRef, error) {
	return ParseRunRef(s, c.entity)
}

// showRef quotes the input for an error, hiding the user info of a URL,
// which may hold a key.
func showRef(s string) string {
	if strings.Contains(s, "@") {
		if u, err := url.Parse(s); err == nil && u.User != nil {
			u.User = nil
			return fmt.Sprintf("%q (credentials removed)", u.String())
		}
		return "(not shown: it contains \"@\")"
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}

func parseRunRef(s, defaultEntity string) (RunRef, error) {
	if s == "" {
		return RunRef{}, errors.New("it is empty")
	}
	if u, ok := runURL(s); ok {
		return parseRunURL(u)
	}
	if strings.ContainsAny(s, "?#") {
		return RunRef{}, errors.New("only a URL may have a query or a fragment")
	}
	parts := strings.Split(strings.TrimSuffix(s, "/"), "/")
	var ref RunRef
	switch len(parts) {
	case 4:
		if parts[2] != "runs" {
			return RunRef{}, errors.New("with four parts the third must be \"runs\"")
		}
		ref = RunRef{Entity: parts[0], Project: parts[1], RunID: parts[3]}
	case 3:
		ref = RunRef{Entity: parts[0], Project: parts[1], RunID: parts[2]}
	case 2:
		if project, id, ok := strings.Cut(parts[1], ":"); ok {
			ref = RunRef{Entity: parts[0], Project: project, RunID: id}
			break
		}
		if defaultEntity == "" {
			return RunRef{}, errors.New("project/run_id needs a default entity: set WANDB_ENTITY or give entity/project/run_id")
		}
		ref = RunRef{Entity: defaultEntity, Project: parts[0], RunID: parts[1]}
	default:
		return RunRef{}, fmt.Errorf("it has %d part(s)", len(parts))
	}
	return ref, ref.validate()
}

// runURL returns s as a URL with its scheme when s is a URL: it has an
// http(s) scheme, or it is one without its scheme
// (wandb.ai/entity/project/runs/id[/...], https assumed).
func runURL(s string) (string, bool) {
	if hasScheme(s) {
		return s, true
	}
	if strings.ContainsAny(s, "?#") {
		return "", false
	}
	parts := strings.Split(strings.TrimSuffix(s, "/"), "/")
	if len(parts) >= 5 && parts[3] == "runs" && strings.Contains(parts[0], ".") {
		return "https://" + s, true
	}
	return "", false
}

// cloudAppHosts are the hosts of the W&B cloud, whose API is DefaultBaseURL.
var cloudAppHosts = map[string]bool{"wandb.ai": true, "www.wandb.ai": true, "api.wandb.ai": true}

// APIBaseOf returns the API base URL of the server that a run URL names:
// DefaultBaseURL for the W&B cloud app (wandb.ai), else the URL's own
// scheme, host and port (a self-hosted server answers its API where it
// serves its app). It returns "" when s is not a run URL that ParseRunRef
// accepts, so an invalid reference gets ParseRunRef's error.
func APIBaseOf(s string) string {
	raw, ok := runURL(strings.TrimSpace(s))
	if !ok {
		return ""
	}
	if _, err := parseRunURL(raw); err != nil {
		return ""
	}
	u, _ := url.Parse(raw) // parsed by parseRunURL
	return apiBaseOfURL(u)
}

// apiBaseOfURL returns the API base URL of the server an app URL (of a run
// or an artifact) names: DefaultBaseURL for the W&B cloud app, else the
// URL's own scheme, host and port.
func apiBaseOfURL(u *url.URL) string {
	if cloudAppHosts[strings.ToLower(u.Hostname())] {
		return DefaultBaseURL
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host
}

// hasScheme reports whether s starts with http:// or https://.
func hasScheme(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// parseRunURL reads https://host/entity/project/runs/id[/tail...].
func parseRunURL(s string) (RunRef, error) {
	u, err := url.Parse(s)
	if err != nil {
		return RunRef{}, errors.New("it is not a valid URL")
	}
	if u.User != nil {
		return RunRef{}, errors.New("a run URL must not contain credentials")
	}
	if u.Host == "" {
		return RunRef{}, errors.New("the URL has no host")
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 4 || segs[2] != "runs" {
		return RunRef{}, errors.New("a run URL looks like https://HOST/entity/project/runs/run_id")
	}
	if tail := segs[4:]; len(tail) > 0 {
		// /files/... may name a folder or a file; other pages are one
		// segment.
		if !runURLTails[tail[0]] || (tail[0] != "files" && len(tail) > 1) {
			return RunRef{}, errors.New("the URL goes on after the run id with a page that is not a run page")
		}
	}
	ref := RunRef{Entity: segs[0], Project: segs[1], RunID: segs[3], Host: u.Host}
	return ref, ref.validate()
}

// check is validate with the reference named, for Run and Files.
func (r RunRef) check() error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("%w %q: %v", ErrInvalidRunRef, r.String(), err)
	}
	return nil
}

// validate checks the parts: none empty, names of letters, digits, '-',
// '_' and '.', run ids of ASCII letters, digits, '-' and '_'.
func (r RunRef) validate() error {
	for _, p := range []struct{ what, v string }{{"entity", r.Entity}, {"project", r.Project}} {
		if p.v == "" {
			return fmt.Errorf("the %s is empty", p.what)
		}
		if p.v == "." || p.v == ".." {
			return fmt.Errorf("the %s cannot be %q", p.what, p.v)
		}
		for _, c := range p.v {
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' && c != '_' && c != '.' {
				return fmt.Errorf("the %s %q holds %s: names use letters, digits, '-', '_' and '.'", p.what, p.v, describeRune(c))
			}
		}
	}
	if r.RunID == "" {
		return errors.New("the run id is empty")
	}
	for _, c := range r.RunID {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("the run id %q holds %s: run ids use letters, digits, '-' and '_'", r.RunID, describeRune(c))
		}
	}
	return nil
}

// describeRune names a character for an error message.
func describeRune(c rune) string {
	switch {
	case unicode.IsSpace(c):
		return "a space"
	case c == '/':
		return "a '/'"
	case unicode.IsPrint(c):
		return fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf("the character %U", c)
}
