package wandbtest

import (
	"bytes"
	"encoding/json"
	"time"
)

// Run fields derived from the run's own files and summary, so that they
// agree with what a client downloads: the summary is wandb-summary.json
// unless the spec gives one, the history is the one the summary's _step
// ends, the run ended _runtime after it was created, the system metrics
// are the last line of wandb-events.jsonl, the log lines are those of
// output.log (loglines.go).

// heartbeatLag is how long ago a running run last sent a heartbeat (the
// SDK beats every 30 s or so).
const heartbeatLag = 15 * time.Second

// summary returns summaryMetrics: the spec's, else the content of the
// run's wandb-summary.json when it is a JSON object, else {}.
func (rd *runData) summary() string {
	if rd.spec.SummaryMetrics != "" {
		return rd.spec.SummaryMetrics
	}
	b := bytes.TrimSpace(rd.content("wandb-summary.json"))
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return "{}"
	}
	return string(b)
}

// heartbeat returns heartbeatAt (and updatedAt) as of now: a running run
// beat moments ago; a run that ended beat last when it ended, _runtime
// seconds after it was created; without a _runtime, a run is taken to
// have lasted 37 minutes plus a second per file.
func (rd *runData) heartbeat(now time.Time) time.Time {
	created := rd.spec.CreatedAt
	if rd.spec.State == "running" {
		if beat := now.Add(-heartbeatLag).Truncate(time.Second); beat.After(created) {
			return beat
		}
		return created
	}
	return rd.ended
}

// endTime returns when a run that is not running last beat (computed once,
// by newRunData: sorting and filtering by heartbeat ask for it often).
func (rd *runData) endTime() time.Time {
	created := rd.spec.CreatedAt
	var s struct {
		Runtime *float64 `json:"_runtime"`
	}
	if json.Unmarshal([]byte(rd.summary()), &s) == nil && s.Runtime != nil && *s.Runtime >= 0 {
		return created.Add(time.Duration(*s.Runtime) * time.Second)
	}
	return created.Add(37*time.Minute + time.Duration(len(rd.files))*time.Second)
}

// historyLines returns historyLineCount: a run logs one history row per
// step from _step 0, so the summary's _step is the last of _step+1 rows;
// a run without a summary _step has none.
func (rd *runData) historyLines() int64 {
	var s struct {
		Step *int64 `json:"_step"`
	}
	if json.Unmarshal([]byte(rd.summary()), &s) != nil || s.Step == nil {
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
	json.Unmarshal([]byte(rd.summary()), &summary)
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

// content returns the fixed content of the run's file name, or nil.
func (rd *runData) content(name string) []byte {
	if i, ok := rd.byName[name]; ok {
		return rd.files[i].spec.Content
	}
	return nil
}
