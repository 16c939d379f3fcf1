package wandbtest

import (
	"bytes"
	"encoding/json"
)

// Run fields derived from the run's own files and summary, so that they
// agree with what a client downloads: the history is the one the summary's
// _step ends, the system metrics are the last line of wandb-events.jsonl,
// the log lines are those of output.log.

// historyLines returns historyLineCount: a run logs one history row per
// step from _step 0, so the summary's _step is the last of _step+1 rows;
// a run without a summary _step has none.
func (rd *runData) historyLines() int64 {
	var s struct {
		Step *int64 `json:"_step"`
	}
	if json.Unmarshal([]byte(rd.spec.SummaryMetrics), &s) != nil || s.Step == nil {
		return 0
	}
	return *s.Step + 1
}

// historyKeys returns the historyKeys JSON: every summary key (but _wandb)
// with the type of its values and how many rows hold it, and lastStep,
// which W&B leaves out while a run has no history.
func (rd *runData) historyKeys() string {
	lines := rd.historyLines()
	var summary map[string]json.RawMessage
	json.Unmarshal([]byte(rd.spec.SummaryMetrics), &summary)
	type typeCount struct {
		Type  string `json:"type"`
		Count int64  `json:"count"`
	}
	type keyInfo struct {
		TypeCounts []typeCount `json:"typeCounts"`
	}
	out := struct {
		Keys     map[string]keyInfo `json:"keys"`
		LastStep *int64             `json:"lastStep,omitempty"`
	}{Keys: map[string]keyInfo{}}
	if lines > 0 {
		last := lines - 1
		out.LastStep = &last
		for k, v := range summary {
			if k != "_wandb" {
				out.Keys[k] = keyInfo{[]typeCount{{jsonType(v), lines}}}
			}
		}
	}
	b, _ := json.Marshal(out) // map keys come out sorted
	return string(b)
}

// jsonType names the type of a JSON value as W&B's history key types do.
func jsonType(v json.RawMessage) string {
	switch b := bytes.TrimSpace(v); {
	case len(b) == 0:
		return "nil"
	case b[0] == '"':
		return "string"
	case b[0] == '{':
		return "map"
	case b[0] == '[':
		return "list"
	case b[0] == 't' || b[0] == 'f':
		return "boolean"
	case b[0] == 'n':
		return "nil"
	}
	return "number"
}

// systemMetrics returns the last line of wandb-events.jsonl, the latest
// system metrics the run recorded, or {} without one.
func (rd *runData) systemMetrics() string {
	b := bytes.TrimSpace(rd.content("wandb-events.jsonl"))
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
		return "{}"
	}
	return string(b)
}

// logLines returns logLineCount: the lines of output.log.
func (rd *runData) logLines() int64 {
	b := rd.content("output.log")
	n := int64(bytes.Count(b, []byte("\n")))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// content returns the fixed content of the run's file name, or nil.
func (rd *runData) content(name string) []byte {
	if i, ok := rd.byName[name]; ok {
		return rd.files[i].spec.Content
	}
	return nil
}
