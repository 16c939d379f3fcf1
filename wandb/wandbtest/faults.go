package wandbtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Target is a bitmask naming the endpoints a fault applies to.
type Target int

// Targets of SetFaults.
const (
	GraphQL    Target = 1 << iota // POST /graphql
	FileURL                       // GET {API}/files/... (the url field)
	Storage                       // the signed storage listener (directUrl)
	AllTargets = GraphQL | FileURL | Storage
)

// Faults are misbehaviours the server adds to the endpoints of a target.
// The zero value means a well-behaved server.
type Faults struct {
	// Latency is added before each response.
	Latency time.Duration
	// RateLimitEvery makes every Nth request answer 429 with Retry-After.
	RateLimitEvery int
	// RetryAfter is sent as whole seconds, rounded up ("0" when zero).
	RetryAfter time.Duration
	// ServerErrorEvery makes every Nth request answer ServerErrorStatus.
	ServerErrorEvery int
	// ServerErrorStatus is the status of those answers; 0 means 503.
	ServerErrorStatus int
	// CutBodyAfter makes body endpoints close the connection after this
	// many body bytes (0: never), so the client sees an unexpected EOF.
	CutBodyAfter int64
	// CutBodyTimes is how many bodies are cut in total before the server
	// behaves again (0: every time).
	CutBodyTimes int
	// WrongMD5 makes GraphQL report an md5 that does not match the content.
	WrongMD5 bool
	// BytesPerSecond paces each body response to this rate (0: full
	// speed), as cloud storage paces each stream: N ranged requests at once
	// get N times the rate. The pace keeps a schedule from the first byte
	// (pace.go), so it holds at high rates too.
	BytesPerSecond int64
	// NoRange makes body endpoints ignore Range and answer 200 with the
	// whole body, as some proxies do.
	NoRange bool
}

// Stats counts what the server saw. Every request to an endpoint is counted,
// including those a fault or the auth check refused.
type Stats struct {
	GraphQLRequests     int64
	FileRequests        int64 // API-host file body requests
	StorageRequests     int64 // storage-host requests
	RangeRequests       int64 // body requests carrying a Range header
	AuthRejected        int64 // 401s of the API host
	StorageAuthRejected int64 // storage requests refused for carrying Authorization
	CutBodies           int64 // bodies cut by CutBodyAfter
}

// faultState holds one target's faults and its own request counter, so
// "every Nth request" is counted per target and restarts at SetFaults.
type faultState struct {
	mu   sync.Mutex
	f    Faults
	n    int // requests seen since SetFaults
	cuts int // bodies cut since SetFaults
	// armed counts bodies being sent that will be cut if they get that
	// far: with CutBodyTimes, bodies sent at once must not all be armed
	// (ranged requests in parallel would get more cuts than asked for).
	armed int
}

// targetIndex maps a single-bit target to its slot.
func targetIndex(t Target) int {
	switch t {
	case GraphQL:
		return 0
	case FileURL:
		return 1
	default:
		return 2
	}
}

// SetFaults replaces the faults of every target in t and restarts their
// request counters.
func (s *Server) SetFaults(t Target, f Faults) {
	for _, one := range []Target{GraphQL, FileURL, Storage} {
		if t&one == 0 {
			continue
		}
		st := &s.faults[targetIndex(one)]
		st.mu.Lock()
		st.f = f
		st.n = 0
		st.cuts = 0
		st.armed = 0
		st.mu.Unlock()
	}
}

// faultsFor returns the current faults of t.
func (s *Server) faultsFor(t Target) Faults {
	st := &s.faults[targetIndex(t)]
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.f
}

// injectFaults applies latency, rate limits and server errors for one
// request to t. It reports whether the request was answered already.
func (s *Server) injectFaults(w http.ResponseWriter, r *http.Request, t Target) bool {
	if s.observe != nil {
		s.observe(t, r)
	}
	st := &s.faults[targetIndex(t)]
	st.mu.Lock()
	st.n++
	n, f := st.n, st.f
	st.mu.Unlock()

	if f.Latency > 0 {
		timer := time.NewTimer(f.Latency)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return true
		}
	}
	if f.RateLimitEvery > 0 && n%f.RateLimitEvery == 0 {
		secs := int64(math.Ceil(f.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		writeJSONError(w, http.StatusTooManyRequests, "rate limit exceeded")
		return true
	}
	if f.ServerErrorEvery > 0 && n%f.ServerErrorEvery == 0 {
		status := f.ServerErrorStatus
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		writeJSONError(w, status, fmt.Sprintf("injected server error %d", status))
		return true
	}
	return false
}

// cutPoint reports whether a body of t may be cut, and where. A cut is
// counted (see noteCut) only when it happens, so a body shorter than the
// cut point does not use up CutBodyTimes (disarmCut gives it back); while
// the body is sent it is armed, so bodies sent at once never get more
// cuts than CutBodyTimes between them.
func (s *Server) cutPoint(t Target) (int64, bool) {
	st := &s.faults[targetIndex(t)]
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.f.CutBodyAfter <= 0 {
		return 0, false
	}
	if st.f.CutBodyTimes > 0 && st.cuts+st.armed >= st.f.CutBodyTimes {
		return 0, false
	}
	st.armed++
	return st.f.CutBodyAfter, true
}

// noteCut counts one cut body of t.
func (s *Server) noteCut(t Target) {
	st := &s.faults[targetIndex(t)]
	st.mu.Lock()
	st.cuts++
	st.armed = max(st.armed-1, 0)
	st.mu.Unlock()
	s.counters.cuts.Add(1)
}

// disarmCut gives back the cut cutPoint armed for a body that ended before
// its cut point.
func (s *Server) disarmCut(t Target) {
	st := &s.faults[targetIndex(t)]
	st.mu.Lock()
	st.armed = max(st.armed-1, 0)
	st.mu.Unlock()
}

// counters are the atomic backing of Stats.
type counters struct {
	graphQL, file, storage, ranges, authRejected, storageAuthRejected, cuts atomic.Int64
}

// ResetStats sets every counter of Stats to zero.
func (s *Server) ResetStats() {
	c := &s.counters
	for _, n := range []*atomic.Int64{&c.graphQL, &c.file, &c.storage, &c.ranges, &c.authRejected, &c.storageAuthRejected, &c.cuts} {
		n.Store(0)
	}
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	c := &s.counters
	return Stats{
		GraphQLRequests:     c.graphQL.Load(),
		FileRequests:        c.file.Load(),
		StorageRequests:     c.storage.Load(),
		RangeRequests:       c.ranges.Load(),
		AuthRejected:        c.authRejected.Load(),
		StorageAuthRejected: c.storageAuthRejected.Load(),
		CutBodies:           c.cuts.Load(),
	}
}
