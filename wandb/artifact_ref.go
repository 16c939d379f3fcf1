package wandb

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// ArtifactRef names one version of an artifact: entity/project/name:alias.
type ArtifactRef struct {
	Entity  string
	Project string
	// Name is the artifact's name (its collection in W&B's words).
	Name string
	// Alias picks the version: an alias ("latest", "best"), a version
	// ("v3"), a commit hash or a digest, as W&B accepts them.
	Alias string
	// Type is the artifact type an artifact URL names ("model"); empty
	// for the other forms.
	Type string
	// Host is the W&B host the reference came from when it was a URL,
	// as RunRef.Host; empty otherwise.
	Host string
}

// String returns the reference as entity/project/name:alias.
func (r ArtifactRef) String() string {
	return r.Entity + "/" + r.Project + "/" + r.Name + ":" + r.Alias
}

// ErrInvalidArtifactRef is wrapped by every error of ParseArtifactRef.
var ErrInvalidArtifactRef = errors.New("invalid artifact reference")

// artifactRefForms lists the accepted forms, for error messages.
const artifactRefForms = `accepted forms:
  entity/project/name:alias     (alias: latest, v3, best, ...)
  project/name:alias            (entity from WANDB_ENTITY)
  https://wandb.ai/entity/project/artifacts/type/name/alias   (an artifact URL from the app, any host)`

// artifactURLTails are the pages of an artifact version in the app: the
// segment after the alias in its URL.
var artifactURLTails = map[string]bool{
	"overview": true, "metadata": true, "usage": true, "files": true, "lineage": true, "api": true,
}

// ParseArtifactRef reads an artifact reference as a user gives it:
// entity/project/name:alias, project/name:alias (with defaultEntity), or an
// artifact URL copied from the W&B app,
// https://HOST/entity/project/artifacts/TYPE/NAME/ALIAS, optionally followed
// by a page (/files/..., /overview, /metadata, /usage, /lineage, /api), a
// trailing slash, a query or a fragment; without the ALIAS (the artifact's
// page) it means latest, and the scheme may be left out. The alias is
// required in the other forms, which tells entity/project/name:alias from
// a run's entity/project/run_id. For a URL, Host is the host[:port] and
// Type the URL's artifact type.
//
// Every error wraps ErrInvalidArtifactRef and lists the accepted forms.
func ParseArtifactRef(s, defaultEntity string) (ArtifactRef, error) {
	s = strings.TrimSpace(s)
	ref, err := parseArtifactRef(s, defaultEntity)
	if err != nil {
		return ArtifactRef{}, fmt.Errorf("%w %s: %v\n%s", ErrInvalidArtifactRef, showRef(s), err, artifactRefForms)
	}
	return ref, nil
}

// ParseArtifactRef is ParseArtifactRef with the client's default entity.
func (c *Client) ParseArtifactRef(s string) (ArtifactRef, error) {
	return ParseArtifactRef(s, c.entity)
}

func parseArtifactRef(s, defaultEntity string) (ArtifactRef, error) {
	if s == "" {
		return ArtifactRef{}, errors.New("it is empty")
	}
	if u, ok := artifactURL(s); ok {
		return parseArtifactURL(u)
	}
	if strings.Contains(s, "://") {
		return ArtifactRef{}, errors.New("only http(s) URLs are artifact URLs")
	}
	if strings.ContainsAny(s, "?#") {
		return ArtifactRef{}, errors.New("only a URL may have a query or a fragment")
	}
	parts := strings.Split(s, "/")
	last := parts[len(parts)-1]
	name, alias, ok := strings.Cut(last, ":")
	if !ok {
		return ArtifactRef{}, errors.New("the alias is missing: write name:alias (name:latest for the latest version)")
	}
	var ref ArtifactRef
	switch len(parts) {
	case 3:
		ref = ArtifactRef{Entity: parts[0], Project: parts[1], Name: name, Alias: alias}
	case 2:
		if defaultEntity == "" {
			return ArtifactRef{}, errors.New("project/name:alias needs a default entity: set WANDB_ENTITY or give entity/project/name:alias")
		}
		ref = ArtifactRef{Entity: defaultEntity, Project: parts[0], Name: name, Alias: alias}
	default:
		return ArtifactRef{}, fmt.Errorf("it has %d part(s)", len(parts))
	}
	return ref, ref.validate()
}

// artifactURL returns s as a URL with its scheme when s is an artifact
// URL: it has an http(s) scheme, or it is one without its scheme
// (wandb.ai/entity/project/artifacts/...).
func artifactURL(s string) (string, bool) {
	if hasScheme(s) {
		return s, true
	}
	if strings.ContainsAny(s, "?#") {
		return "", false
	}
	parts := strings.Split(s, "/")
	if len(parts) >= 6 && parts[3] == "artifacts" && strings.Contains(parts[0], ".") {
		return "https://" + s, true
	}
	return "", false
}

// parseArtifactURL reads https://host/entity/project/artifacts/type/name[/alias[/page...]].
func parseArtifactURL(s string) (ArtifactRef, error) {
	u, err := url.Parse(s)
	if err != nil {
		return ArtifactRef{}, errors.New("it is not a valid URL")
	}
	if u.User != nil {
		return ArtifactRef{}, errors.New("an artifact URL must not contain credentials")
	}
	if u.Host == "" {
		return ArtifactRef{}, errors.New("the URL has no host")
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 5 || segs[2] != "artifacts" {
		return ArtifactRef{}, errors.New("an artifact URL looks like https://HOST/entity/project/artifacts/type/name/alias")
	}
	ref := ArtifactRef{Entity: segs[0], Project: segs[1], Type: segs[3], Name: segs[4], Alias: "latest", Host: u.Host}
	if len(segs) > 5 {
		ref.Alias = segs[5]
	}
	if tail := segs[min(len(segs), 6):]; len(tail) > 0 {
		// /files/... may name a folder or a file; other pages are one
		// segment.
		if !artifactURLTails[tail[0]] || (tail[0] != "files" && len(tail) > 1) {
			return ArtifactRef{}, errors.New("the URL goes on after the alias with a page that is not an artifact page")
		}
	}
	if err := checkArtifactPart("type", ref.Type); err != nil {
		return ArtifactRef{}, err
	}
	return ref, ref.validate()
}

// ArtifactAPIBaseOf returns the API base URL of the server an artifact URL
// names, as APIBaseOf does for a run URL, or "" when s is not an artifact
// URL that ParseArtifactRef accepts.
func ArtifactAPIBaseOf(s string) string {
	raw, ok := artifactURL(strings.TrimSpace(s))
	if !ok {
		return ""
	}
	if _, err := parseArtifactURL(raw); err != nil {
		return ""
	}
	u, _ := url.Parse(raw) // parsed by parseArtifactURL
	return apiBaseOfURL(u)
}

// check is validate with the reference named, for the client's methods.
func (r ArtifactRef) check() error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("%w %q: %v", ErrInvalidArtifactRef, r.String(), err)
	}
	return nil
}

// validate checks the parts: entity and project as a run's (checkName),
// the name and alias of letters, digits, '-', '_' and '.' (W&B's rule for
// artifact names; aliases hold neither '/' nor ':').
func (r ArtifactRef) validate() error {
	if r.Project == "" {
		return errors.New("the project is empty")
	}
	if err := checkName(r.Entity, r.Project); err != nil {
		return err
	}
	if err := checkArtifactPart("name", r.Name); err != nil {
		return err
	}
	return checkArtifactPart("alias", r.Alias)
}

// checkArtifactPart checks an artifact's name, alias or type.
func checkArtifactPart(what, v string) error {
	if v == "" {
		return fmt.Errorf("the %s is empty", what)
	}
	if v == "." || v == ".." {
		return fmt.Errorf("the %s cannot be %q", what, v)
	}
	for _, c := range v {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' && c != '_' && c != '.' {
			if len(v) > 80 {
				v = v[:80] + "…"
			}
			return fmt.Errorf("the %s %q holds %s: an artifact's %s uses letters, digits, '-', '_' and '.'", what, v, describeRune(c), what)
		}
	}
	return nil
}
