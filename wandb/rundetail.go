package wandb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wbfiles/wbfiles/internal/termtext"
)

// RunDetail is everything the API gives about one run for a detail view.
type RunDetail struct {
	Info RunInfo
	// Notes and Description are the run's text ("" when none).
	Notes, Description string
	// Config (its {"value": v} entries unwrapped, W&B's own keys left out,
	// as the SDK's run.config) and Summary (summaryMetrics) are indented
	// JSON with sorted keys, cut at MaxDetailJSON bytes with a last line
	// that says so; "" when the run has none.
	Config, Summary string
	// Commit is the git commit the run recorded, Host the machine it ran on.
	Commit, Host string
	// Metadata is read from the run's wandb-metadata.json; nil when the
	// run has none or it could not be read (Warnings says why).
	Metadata *RunMetadata
	// Warnings are GraphQL errors sent with the run, and why the metadata
	// is missing when the file is there.
	Warnings []string
}

// RunMetadata is what the SDK records in wandb-metadata.json at the start
// of a run. Fields the file lacks are zero.
type RunMetadata struct {
	// Program is the script that ran; Args its command-line arguments.
	Program string
	Args    []string
	// GitRemote and GitCommit are the repository and commit of the code.
	GitRemote, GitCommit string
	// Python is the interpreter ("CPython 3.11.9"); GPU its model name.
	Python, GPU string
	// GPUCount is the number of GPUs, CUDA the CUDA version, OS the system.
	GPUCount  int
	CUDA, OS  string
	StartedAt time.Time
}

// CommandLine returns the program and its arguments as a shell line,
// arguments quoted where a shell needs it.
func (m RunMetadata) CommandLine() string {
	parts := []string{shellQuote(m.Program)}
	for _, a := range m.Args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellSafe matches words a POSIX shell reads as they are.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./=:,+@%^-]+$`)

// shellQuote quotes s for a POSIX shell when needed.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Bounds of RunDetail.
const (
	// MaxDetailJSON bounds Config and Summary.
	MaxDetailJSON = 64 << 10
	// MaxMetadataBytes bounds the wandb-metadata.json read: the SDK
	// writes a few KiB.
	MaxMetadataBytes = 256 << 10
)

// MetadataFile is the name of the file the SDK writes a run's metadata to.
const MetadataFile = "wandb-metadata.json"

// RunDetail returns the run's header with its notes, config, summary,
// commit and host, and the file wandb-metadata.json looked up in the same
// request; when the run has that file it is read with Preview (at most
// MaxMetadataBytes). Errors are Run's: an unknown project or run is an
// error wrapping ErrRunNotFound. GraphQL errors sent with the data, and a
// metadata file that cannot be read or parsed, are Warnings.
func (c *Client) RunDetail(ctx context.Context, ref RunRef) (RunDetail, error) {
	if err := ref.check(); err != nil {
		return RunDetail{}, err
	}
	var data struct {
		Project *struct {
			Run *struct {
				runJSON
				Notes          string        `json:"notes"`
				Description    string        `json:"description"`
				Config         string        `json:"config"`
				SummaryMetrics string        `json:"summaryMetrics"`
				Commit         string        `json:"commit"`
				Host           string        `json:"host"`
				Files          *fileConnJSON `json:"files"`
			} `json:"run"`
		} `json:"project"`
	}
	q := FilesQuery{First: 1, Names: []string{MetadataFile}}
	gqlErr := c.graphql(ctx, opRunDetail, queryRunDetail, filesVars(ref, q), &data)
	if gqlErr != nil && !isPartial(gqlErr) {
		return RunDetail{}, gqlErr
	}
	if data.Project == nil || data.Project.Run == nil {
		return RunDetail{}, notFound(ref, gqlErr)
	}
	r := data.Project.Run
	d := RunDetail{
		Info:  r.info(ref),
		Notes: r.Notes, Description: r.Description,
		Config:  prettyJSON(r.Config, true),
		Summary: prettyJSON(r.SummaryMetrics, false),
		Commit:  r.Commit, Host: r.Host,
		Warnings: warnings(gqlErr),
	}
	if r.Files == nil {
		return d, nil
	}
	for _, f := range r.Files.page().Files {
		if f.Name != MetadataFile {
			continue
		}
		m, err := c.readMetadata(ctx, f)
		if err != nil {
			if ctx.Err() != nil {
				return d, err
			}
			d.Warnings = append(d.Warnings, err.Error())
		}
		d.Metadata = m
	}
	return d, nil
}

// readMetadata previews and parses a run's wandb-metadata.json.
func (c *Client) readMetadata(ctx context.Context, f File) (*RunMetadata, error) {
	body, more, err := c.Preview(ctx, f, MaxMetadataBytes)
	if err != nil {
		return nil, err
	}
	if more {
		return nil, fmt.Errorf("%s is larger than %s: not read", MetadataFile, termtext.Bytes(MaxMetadataBytes))
	}
	return parseMetadata(body)
}

// parseMetadata reads the fields RunMetadata holds from wandb-metadata.json,
// each on its own: a field of an unexpected type is left zero rather than
// losing the others.
func parseMetadata(body []byte) (*RunMetadata, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, fmt.Errorf("%s is not a JSON object", MetadataFile)
	}
	var m RunMetadata
	var git struct{ Remote, Commit string }
	var started string
	for key, dst := range map[string]any{
		"program": &m.Program, "args": &m.Args, "git": &git, "python": &m.Python, "gpu": &m.GPU,
		"gpu_count": &m.GPUCount, "cuda": &m.CUDA, "os": &m.OS, "startedAt": &started,
	} {
		if v, ok := raw[key]; ok {
			json.Unmarshal(v, dst) // a bad field stays zero
		}
	}
	m.GitRemote, m.GitCommit = git.Remote, git.Commit
	m.StartedAt, _ = ParseTime(started)
	return &m, nil
}

// prettyJSON indents a JSON object text with sorted keys, bounded by
// MaxDetailJSON. For a config it unwraps {"value": v} entries and leaves
// out W&B's own keys (_wandb, wandb_version), as the SDK's run.config does;
// for a summary it leaves out _wandb. Text that is not JSON is kept as it
// is (bounded); an empty object or null is "".
func prettyJSON(text string, config bool) string {
	text = strings.TrimSpace(text)
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber() // keep numbers as written
	var v any
	if err := dec.Decode(&v); err != nil {
		return boundText(text, MaxDetailJSON)
	}
	if m, ok := v.(map[string]any); ok {
		delete(m, "_wandb")
		if config {
			delete(m, "wandb_version")
			for k, e := range m {
				if inner, ok := e.(map[string]any); ok {
					if val, has := inner["value"]; has {
						m[k] = val
					}
				}
			}
		}
		if len(m) == 0 {
			return ""
		}
	}
	if v == nil {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return boundText(text, MaxDetailJSON)
	}
	return boundText(strings.TrimSuffix(b.String(), "\n"), MaxDetailJSON)
}

// boundText cuts s to at most limit bytes at a line end (or a rune
// boundary when the first line is longer), with a last line that says how
// much there was.
func boundText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := strings.LastIndexByte(s[:limit], '\n')
	if cut <= 0 {
		cut = limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + fmt.Sprintf("\n… cut: the first %s of %s shown", termtext.Bytes(int64(cut)), termtext.Bytes(int64(len(s))))
}

// queryRunDetail is RunInfo with the rest of the SDK's RunFragment that a
// detail view shows, and the metadata file looked up by name.
const queryRunDetail = `query RunDetail($name: String!, $project: String!, $entity: String!, ` + filesVarDefs + `) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {` + runFields + `
      notes
      description
      config
      summaryMetrics
      commit
      host` + filesField + `
    }
  }
}`
