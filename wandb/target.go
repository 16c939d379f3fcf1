package wandb

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// TargetKind is what a command-line target names.
type TargetKind int

// The kinds of target.
const (
	TargetEntity  TargetKind = iota // an entity: its projects
	TargetProject                   // a project: its runs
	TargetRun                       // a run: its files
)

// String returns "entity", "project" or "run".
func (k TargetKind) String() string {
	switch k {
	case TargetEntity:
		return "entity"
	case TargetProject:
		return "project"
	case TargetRun:
		return "run"
	}
	return fmt.Sprintf("TargetKind(%d)", int(k))
}

// Target is what the command line names: an entity, a project or a run.
type Target struct {
	Kind    TargetKind
	Entity  string
	Project string // "" for an entity
	Run     RunRef // set for a run only
	// Host is the host[:port] of the app URL the target came from; ""
	// otherwise.
	Host string
}

// String returns entity, entity/project or entity/project/run_id.
func (t Target) String() string {
	switch t.Kind {
	case TargetEntity:
		return t.Entity
	case TargetProject:
		return t.Entity + "/" + t.Project
	}
	return t.Run.String()
}

// ErrInvalidTarget is wrapped by every error of ParseTarget.
var ErrInvalidTarget = errors.New("invalid target")

// ErrArtifactNotSupported is wrapped (beside ErrInvalidTarget) by
// ParseTarget's error for an artifact reference (entity/project/name:alias),
// which ParseTarget does not take.
var ErrArtifactNotSupported = errors.New("artifacts are not supported here")

// targetForms lists the accepted forms, for error messages.
const targetForms = `accepted forms:
  entity                          the entity's projects
  entity/project                  the project's runs
  entity/project/run_id           a run (also entity/project/runs/run_id, entity/project:run_id)
  https://wandb.ai/entity[/project]              an app URL of an entity or a project (any host)
  https://wandb.ai/entity/project/runs/run_id    a run URL`

// projectURLTails are the pages of a project URL that name the project.
var projectURLTails = map[string]bool{"runs": true, "table": true, "workspace": true, "overview": true}

// ParseTarget reads what the command line names: ENTITY, ENTITY/PROJECT,
// an app URL https://HOST/ENTITY or https://HOST/ENTITY/PROJECT (optionally
// followed by /runs, /table, /workspace or /overview, a trailing slash, a
// query or a fragment), or a run in any form ParseRunRef accepts but
// project/run_id: with two parts, ENTITY/PROJECT wins (its meaning does not
// depend on WANDB_ENTITY), so a run there is entity/project/run_id. For a
// URL, Host is its host[:port].
//
// Every error wraps ErrInvalidTarget and lists the accepted forms; a URL's
// credentials are never shown. An artifact reference
// (entity/project/name:alias) is an error that also wraps
// ErrArtifactNotSupported.
func ParseTarget(s, defaultEntity string) (Target, error) {
	s = strings.TrimSpace(s)
	t, err := parseTarget(s, defaultEntity)
	if err != nil {
		wrapped := ErrInvalidTarget
		if errors.Is(err, ErrArtifactNotSupported) {
			wrapped = fmt.Errorf("%w (%w)", ErrInvalidTarget, ErrArtifactNotSupported)
			err = errors.New("it names an artifact (entity/project/name:alias): give an entity, a project or a run")
		}
		return Target{}, fmt.Errorf("%w %s: %v\n%s", wrapped, showRef(s), err, targetForms)
	}
	return t, nil
}

// ParseTarget is ParseTarget with the client's default entity.
func (c *Client) ParseTarget(s string) (Target, error) {
	return ParseTarget(s, c.entity)
}

func parseTarget(s, defaultEntity string) (Target, error) {
	if s == "" {
		return Target{}, errors.New("it is empty")
	}
	if hasScheme(s) {
		return parseTargetURL(s, defaultEntity)
	}
	if strings.ContainsAny(s, "?#") {
		return Target{}, errors.New("only a URL may have a query or a fragment")
	}
	parts := strings.Split(strings.TrimSuffix(s, "/"), "/")
	if len(parts) == 3 && strings.Contains(parts[2], ":") {
		return Target{}, ErrArtifactNotSupported
	}
	switch {
	case len(parts) == 1 && !strings.Contains(parts[0], ":"):
		return Target{Kind: TargetEntity, Entity: parts[0]}, checkName(parts[0], "")
	case len(parts) == 2 && !strings.Contains(parts[1], ":"):
		return Target{Kind: TargetProject, Entity: parts[0], Project: parts[1]}, checkName(parts[0], parts[1])
	}
	ref, err := parseRunRef(s, defaultEntity)
	if err != nil {
		return Target{}, err
	}
	return runTarget(ref), nil
}

// parseTargetURL reads an app URL of an entity, a project or a run.
func parseTargetURL(s, defaultEntity string) (Target, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return Target{}, errors.New("it is not a valid URL")
	case u.User != nil:
		return Target{}, errors.New("a URL must not contain credentials")
	case u.Host == "":
		return Target{}, errors.New("the URL has no host")
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if segs[0] == "" {
		return Target{}, errors.New("the URL names no entity: https://HOST/entity[/project]")
	}
	t := Target{Kind: TargetEntity, Entity: segs[0], Host: u.Host}
	switch {
	case len(segs) == 1:
		return t, checkName(t.Entity, "")
	case len(segs) == 2 || len(segs) == 3 && projectURLTails[segs[2]]:
		t.Kind, t.Project = TargetProject, segs[1]
		return t, checkName(t.Entity, t.Project)
	case len(segs) >= 4 && segs[2] == "runs":
		ref, err := parseRunRef(s, defaultEntity)
		if err != nil {
			return Target{}, err
		}
		return runTarget(ref), nil
	case segs[2] == "artifacts":
		return Target{}, ErrArtifactNotSupported
	}
	return Target{}, errors.New("the URL goes on after the project with a page that is not a project or run page")
}

// runTarget is the target of a run.
func runTarget(ref RunRef) Target {
	return Target{Kind: TargetRun, Entity: ref.Entity, Project: ref.Project, Run: ref, Host: ref.Host}
}

// checkName checks an entity and a project name by RunRef's rules (the one
// home of what a name may hold; "x" stands in for the run id, and for the
// project when it is "").
func checkName(entity, project string) error {
	return RunRef{Entity: entity, Project: cmp.Or(project, "x"), RunID: "x"}.validate()
}

// checkNames is checkName with the target named, for Projects and Runs.
func checkNames(entity, project string) error {
	if err := checkName(entity, project); err != nil {
		t := Target{Kind: TargetProject, Entity: entity, Project: project}
		if project == "" {
			t.Kind = TargetEntity
		}
		return fmt.Errorf("%w %q: %v", ErrInvalidTarget, t.String(), err)
	}
	return nil
}

// TargetAPIBase returns the API base URL of the server an app URL target
// names, as APIBaseOf does for run URLs: DefaultBaseURL for the W&B cloud
// app, else the URL's scheme, host and port. It returns "" when s is not a
// URL that ParseTarget accepts.
func TargetAPIBase(s string) string {
	s = strings.TrimSpace(s)
	if base := APIBaseOf(s); base != "" {
		return base
	}
	if !hasScheme(s) {
		return ""
	}
	if _, err := parseTargetURL(s, ""); err != nil {
		return ""
	}
	u, _ := url.Parse(s) // parsed by parseTargetURL
	return apiBaseOfURL(u)
}
