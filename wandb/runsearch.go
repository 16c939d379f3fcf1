package wandb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// RunSearch is what the runs picker's search line asks the server for:
// text that matches a run's display name or id, and tokens that narrow
// by state, tag, user and age. ParseRunSearch reads it; Filters turns it
// into the filters document of Project.runs and runCount.
type RunSearch struct {
	// Text matches the display name or the run id, anywhere and ignoring
	// case; "" matches every run.
	Text string
	// States, Tags and Users each match any of their values (state:a
	// state:b is a or b); kinds combine with each other and the text.
	States, Tags, Users []string
	// Since keeps runs created less than this long ago; 0 means any age.
	Since time.Duration
}

// RunStates are the states a W&B run can be in, as state: takes them.
var RunStates = []string{"running", "finished", "crashed", "failed", "killed", "preempted", "preempting", "pending"}

// ErrBadSearch is wrapped by every error of ParseRunSearch.
var ErrBadSearch = errors.New("invalid run search")

// searchSyntax sums up the syntax for error messages.
const searchSyntax = `search: TEXT state:S tag:T user:U since:N(m|h|d|w); repeat a token for "or"; quote text with a colon: "a:b"`

// ParseRunSearch reads the search line: words of text (joined by single
// spaces; "double quotes" keep text as it is, \" and \\ inside them),
// and the tokens state:S (one of RunStates, any case), tag:T, user:U and
// since:N with a unit m, h, d or w (30m, 24h, 7d, 2w), once. A word whose
// unquoted part before a colon is a name of letters is a token: an unknown
// one, one without a value, a bad state or age is an error wrapping
// ErrBadSearch that says what is wrong and how to write it.
func ParseRunSearch(s string) (RunSearch, error) {
	var rs RunSearch
	var text []string
	words, err := searchWords(s)
	if err != nil {
		return RunSearch{}, err
	}
	for _, w := range words {
		if w.key == "" {
			text = append(text, w.value)
			continue
		}
		if err := rs.addToken(w.key, w.value); err != nil {
			return RunSearch{}, fmt.Errorf("%w: %v\n%s", ErrBadSearch, err, searchSyntax)
		}
	}
	rs.Text = strings.Join(text, " ")
	return rs, nil
}

// addToken adds key:value to the search.
func (rs *RunSearch) addToken(key, value string) error {
	lkey := strings.ToLower(key)
	if value == "" {
		switch lkey {
		case "state", "tag", "user", "since":
			return fmt.Errorf("%s: needs a value (%s)", key, tokenExample[lkey])
		}
	}
	add := func(list *[]string, v string) {
		if !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	switch lkey {
	case "state":
		v := strings.ToLower(value)
		if !slices.Contains(RunStates, v) {
			return fmt.Errorf("state:%s is not a run state: use one of %s", value, strings.Join(RunStates, ", "))
		}
		add(&rs.States, v)
	case "tag":
		add(&rs.Tags, value)
	case "user":
		add(&rs.Users, value)
	case "since":
		if rs.Since != 0 {
			return errors.New("since: is given twice: give one age")
		}
		d, err := parseAge(value)
		if err != nil {
			return err
		}
		rs.Since = d
	default:
		return fmt.Errorf("%s: is not a search key (state:, tag:, user:, since:); to search for the text, quote it: \"%s:%s\"", key, key, value)
	}
	return nil
}

// tokenExample shows each token written out.
var tokenExample = map[string]string{"state": "state:running", "tag": "tag:baseline", "user": "user:alice", "since": "since:7d"}

// ageUnits are since:'s units, largest first (String picks the largest
// that divides the age).
var ageUnits = []struct {
	unit string
	d    time.Duration
}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}}

// parseAge reads N followed by a unit of ageUnits.
func parseAge(s string) (time.Duration, error) {
	bad := fmt.Errorf("since:%s is not an age: write a whole number and a unit m, h, d or w (since:30m, since:24h, since:7d, since:2w)", s)
	if len(s) < 2 {
		return 0, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return 0, bad
	}
	for _, u := range ageUnits {
		if strings.EqualFold(s[len(s)-1:], u.unit) {
			if n > int(100*365*24*time.Hour/u.d) {
				return 0, fmt.Errorf("since:%s is more than a century", s)
			}
			return time.Duration(n) * u.d, nil
		}
	}
	return 0, bad
}

// searchWord is one space-separated word of the search line: a token
// (key set) or text.
type searchWord struct{ key, value string }

// searchWords splits the line into words. Quotes keep spaces and colons;
// a word is a token when the part before its first colon is unquoted
// letters.
func searchWords(s string) ([]searchWord, error) {
	var words []searchWord
	var b strings.Builder
	in, started, quoted := false, false, false // in quotes; a word begun; a quote before the colon
	colon := -1
	flush := func() {
		if !started {
			return
		}
		w := searchWord{value: b.String()}
		if colon > 0 && !quoted && isLetters(w.value[:colon]) {
			w.key, w.value = w.value[:colon], w.value[colon+1:]
		}
		words = append(words, w)
		b.Reset()
		started, quoted, colon = false, false, -1
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in && c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			i++
			b.WriteByte(s[i])
		case c == '"':
			in, started = !in, true
			if colon < 0 {
				quoted = true
			}
		case !in && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			flush()
		case !in && c == ':' && colon < 0:
			colon = b.Len()
			b.WriteByte(c)
			started = true
		default:
			b.WriteByte(c)
			started = true
		}
	}
	if in {
		return nil, fmt.Errorf("%w: a quote is not closed\n%s", ErrBadSearch, searchSyntax)
	}
	flush()
	// A quoted empty word is no text.
	return slices.DeleteFunc(words, func(w searchWord) bool { return w.key == "" && w.value == "" }), nil
}

// isLetters reports whether s is a non-empty run of letters.
func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// Empty reports whether the search matches every run.
func (rs RunSearch) Empty() bool {
	return rs.Text == "" && len(rs.States) == 0 && len(rs.Tags) == 0 && len(rs.Users) == 0 && rs.Since == 0
}

// String returns the search in canonical form (text, then state:, tag:,
// user:, since:), which ParseRunSearch reads back to the same search.
func (rs RunSearch) String() string {
	var parts []string
	if rs.Text != "" {
		parts = append(parts, quoteSearch(rs.Text, true))
	}
	for _, kv := range []struct {
		key  string
		list []string
	}{{"state", rs.States}, {"tag", rs.Tags}, {"user", rs.Users}} {
		for _, v := range kv.list {
			parts = append(parts, kv.key+":"+quoteSearch(v, false))
		}
	}
	if rs.Since > 0 {
		parts = append(parts, "since:"+formatAge(rs.Since))
	}
	return strings.Join(parts, " ")
}

// quoteSearch quotes s when ParseRunSearch would not read it back as it
// is: a quote or a backslash in it, a space in a token's value, or in text
// a colon or spaces other than single ones between words.
func quoteSearch(s string, text bool) string {
	quote := strings.ContainsAny(s, `"\`)
	if text {
		quote = quote || strings.Contains(s, ":") || strings.Join(strings.Fields(s), " ") != s
	} else {
		quote = quote || strings.ContainsFunc(s, unicode.IsSpace)
	}
	if !quote {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// formatAge writes d in the largest unit that divides it.
func formatAge(d time.Duration) string {
	for _, u := range ageUnits {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.unit
		}
	}
	return strconv.FormatInt(int64((d+time.Minute-1)/time.Minute), 10) + "m"
}

// filterTime is how W&B writes times: UTC without a zone designator.
const filterTime = "2006-01-02T15:04:05"

// Filters returns the filters document of the search as of now, "" when
// it is empty. The text is a case-insensitive, escaped $regex over the
// display name and the run id ("(?i)" + regexp.QuoteMeta: W&B's $regex is
// RE2); each kind of token is an $in; since is createdAt $gt now-Since;
// several conditions go in an $and.
func (rs RunSearch) Filters(now time.Time) string {
	var conds []map[string]any
	if rs.Text != "" {
		re := map[string]any{"$regex": "(?i)" + regexp.QuoteMeta(rs.Text)}
		conds = append(conds, map[string]any{"$or": []map[string]any{{"display_name": re}, {"name": re}}})
	}
	for _, kv := range []struct {
		key  string
		list []string
	}{{"state", rs.States}, {"tags", rs.Tags}, {"username", rs.Users}} {
		if len(kv.list) > 0 {
			conds = append(conds, map[string]any{kv.key: map[string]any{"$in": kv.list}})
		}
	}
	if rs.Since > 0 {
		conds = append(conds, map[string]any{"createdAt": map[string]any{"$gt": now.Add(-rs.Since).UTC().Format(filterTime)}})
	}
	var doc any
	switch len(conds) {
	case 0:
		return ""
	case 1:
		doc = conds[0]
	default:
		doc = map[string]any{"$and": conds}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(doc) // maps of strings always encode
	return strings.TrimSuffix(b.String(), "\n")
}

// RunOrder is an order of the runs list the picker cycles through.
type RunOrder int

// The run orders, in the picker's cycle.
const (
	OrderCreated   RunOrder = iota // newest first
	OrderHeartbeat                 // latest heartbeat first
	OrderName                      // display name A→Z
)

// runOrders holds each order's name and its order argument. The SDK
// writes orders in snake case ("+created_at", "-heartbeat_at"), which is
// what W&B's server takes; camel case ("createdAt") is the filters'
// spelling, accepted only by some servers as an order.
var runOrders = []struct{ name, param string }{
	OrderCreated:   {"created", "-created_at"},
	OrderHeartbeat: {"heartbeat", "-heartbeat_at"},
	OrderName:      {"name", "+display_name"},
}

// Next returns the order after o in the cycle.
func (o RunOrder) Next() RunOrder { return (o.valid() + 1) % RunOrder(len(runOrders)) }

// String returns "created", "heartbeat" or "name".
func (o RunOrder) String() string { return runOrders[o.valid()].name }

// Param returns the order argument of Project.runs (RunsQuery.Order).
func (o RunOrder) Param() string { return runOrders[o.valid()].param }

// valid maps an order out of range to OrderCreated.
func (o RunOrder) valid() RunOrder {
	if o < 0 || int(o) >= len(runOrders) {
		return OrderCreated
	}
	return o
}

// ParseRunOrder reads an order's String ("created", "heartbeat", "name").
func ParseRunOrder(s string) (RunOrder, error) {
	for i, o := range runOrders {
		if strings.EqualFold(s, o.name) {
			return RunOrder(i), nil
		}
	}
	return 0, fmt.Errorf("unknown run order %q: use created, heartbeat or name", s)
}
