package wandbtest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server.
type Options struct {
	// APIKey is the key the server accepts (basic auth user "api");
	// "" means "test-key".
	APIKey string
	// RedirectFileURL makes the API host answer file body requests with a
	// 302 to the signed storage URL, so a client can show it drops the key
	// on a cross-origin redirect. See also Server.SetRedirectFileURL.
	RedirectFileURL bool
	// Viewer is the username of the viewer query; "" means "demo-user".
	Viewer string
	// Observe, when set, is called with every request to either host
	// before any fault or check, so a test can look at what a client sends
	// (its User-Agent, whether a storage request carries credentials). It
	// runs on the server's goroutines and must not keep r.
	Observe func(t Target, r *http.Request)
}

// Server is a W&B-compatible API host plus a signed storage host, both on
// 127.0.0.1. It is safe for concurrent use; runs may be added while it
// serves.
type Server struct {
	id      uint64 // tells servers apart in caches of shared file data
	apiKey  string
	viewer  string
	observe func(Target, *http.Request)
	secret  []byte    // signs storage URLs
	macs    sync.Pool // of hash.Hash: HMAC states keyed with secret

	apiLn, storageLn   net.Listener
	apiSrv, storageSrv *http.Server
	apiURL             string
	storageURL         atomic.Pointer[string]
	redirect           atomic.Bool

	mu       sync.RWMutex
	runs     map[string]*runData     // by entity/project/id
	projects map[string]*projectData // by entity/project

	faults     [3]faultState
	bodyFaults bodyFaultSlots // faults_storage.go
	counters   counters

	pagingFaults atomic.Pointer[PagingFaults] // see faults_paging.go

	arts        artStore     // artifact.go
	urlLifetime atomic.Int64 // faults_expiry.go
}

// projectData is a project that holds at least one run.
type projectData struct {
	entity, name string
	createdAt    time.Time
}

// runData is a run with its files sorted by name. It is immutable once
// built, apart from caches that do not depend on the server (content md5s,
// API URLs per base) or are keyed by server (signed URLs).
type runData struct {
	spec   RunSpec // Files cleared; the files live below
	files  []*fileData
	byName map[string]int
	total  int64     // sum of sizes
	ended  time.Time // heartbeatAt when not running (runmeta.go)
}

// fileData is one served file with its cached derived values.
type fileData struct {
	spec    FileSpec
	run     *runData
	id      string
	cursor  string
	updated time.Time

	apiURLc    atomic.Pointer[urlCache]
	directURLc atomic.Pointer[urlCache]

	md5Once sync.Once
	md5     string
}

// contentMD5 returns the content md5, computed once.
func (f *fileData) contentMD5() string {
	f.md5Once.Do(func() { f.md5 = f.spec.MD5() })
	return f.md5
}

// serverIDs numbers servers.
var serverIDs atomic.Uint64

// New returns a server that is not listening, for use through Handler and
// StorageHandler (for example with httptest). Call SetURL and
// SetStorageURL with the addresses they are served at, before serving.
func New(opts Options) *Server {
	s := &Server{
		id:       serverIDs.Add(1),
		apiKey:   opts.APIKey,
		viewer:   opts.Viewer,
		observe:  opts.Observe,
		secret:   make([]byte, 32),
		runs:     map[string]*runData{},
		projects: map[string]*projectData{},
	}
	if s.apiKey == "" {
		s.apiKey = "test-key"
	}
	if s.viewer == "" {
		s.viewer = "demo-user"
	}
	rand.Read(s.secret)
	s.redirect.Store(opts.RedirectFileURL)
	empty := ""
	s.storageURL.Store(&empty)
	return s
}

// Start starts the API listener and the storage listener, both on
// 127.0.0.1 with a free port.
func Start(opts Options) (*Server, error) {
	s := New(opts)
	var err error
	if s.apiLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	if s.storageLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		s.apiLn.Close()
		return nil, err
	}
	s.apiURL = "http://" + s.apiLn.Addr().String()
	s.SetStorageURL("http://" + s.storageLn.Addr().String())
	s.apiSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.storageSrv = &http.Server{Handler: s.StorageHandler(), ReadHeaderTimeout: 10 * time.Second}
	go s.apiSrv.Serve(s.apiLn)
	go s.storageSrv.Serve(s.storageLn)
	return s, nil
}

// URL returns the API base URL, e.g. http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.apiURL }

// SetURL sets the API base URL that URL reports, for a server built with
// New whose Handler is served elsewhere. The file URLs in GraphQL answers
// always use the host the request came to.
func (s *Server) SetURL(u string) { s.apiURL = strings.TrimRight(u, "/") }

// StorageURL returns the base URL of the signed storage host.
func (s *Server) StorageURL() string { return *s.storageURL.Load() }

// SetStorageURL sets the storage base URL that directUrl values point at,
// for a server built with New whose StorageHandler is served elsewhere.
func (s *Server) SetStorageURL(u string) {
	u = strings.TrimRight(u, "/")
	s.storageURL.Store(&u)
}

// SetRedirectFileURL switches 302 redirects from the API file URL to the
// storage URL on or off.
func (s *Server) SetRedirectFileURL(on bool) { s.redirect.Store(on) }

// APIKey returns the key the server accepts.
func (s *Server) APIKey() string { return s.apiKey }

// Close stops both listeners and drops open connections.
func (s *Server) Close() {
	if s.apiSrv != nil {
		s.apiSrv.Close()
	}
	if s.storageSrv != nil {
		s.storageSrv.Close()
	}
}

// Shutdown stops both listeners gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	var errs []error
	if s.apiSrv != nil {
		errs = append(errs, s.apiSrv.Shutdown(ctx))
	}
	if s.storageSrv != nil {
		errs = append(errs, s.storageSrv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// AddRun adds a run, replacing one with the same entity/project/id. It is
// safe while serving. The files are copied; content is never generated
// here.
func (s *Server) AddRun(r RunSpec) {
	s.addRunData(newRunData(r))
}

// addRunData adds an indexed run. runData is immutable but for caches that
// are safe to share, so several servers may hold the same one.
func (s *Server) addRunData(rds ...*runData) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rd := range rds {
		s.addLocked(rd)
	}
}

// addLocked adds an indexed run; s.mu is held.
func (s *Server) addLocked(rd *runData) {
	r := &rd.spec
	key := r.Ref()
	pkey := r.Entity + "/" + r.Project
	p := s.projects[pkey]
	if p == nil {
		p = &projectData{entity: r.Entity, name: r.Project, createdAt: r.CreatedAt}
		s.projects[pkey] = p
	}
	if r.CreatedAt.Before(p.createdAt) {
		p.createdAt = r.CreatedAt
	}
	s.runs[key] = rd
}

// newRunData indexes a run: files sorted by name (the paging order), ids
// and cursors computed once.
func newRunData(r RunSpec) *runData {
	rd := &runData{byName: make(map[string]int, len(r.Files))}
	files := r.Files
	r.Files = nil
	if r.CreatedAt.IsZero() {
		r.CreatedAt = demoEpoch.Add(-time.Duration(seedOf(r.ID)%(48*3600)) * time.Second)
	}
	rd.spec = r
	rd.files = make([]*fileData, 0, len(files))
	for _, f := range files {
		if f.Content != nil {
			f.Size = int64(len(f.Content))
		}
		if i, dup := rd.byName[f.Name]; dup {
			// A later spec of the same name wins, as an upload would.
			rd.files[i].spec = f
			continue
		}
		rd.byName[f.Name] = len(rd.files)
		rd.files = append(rd.files, &fileData{spec: f, run: rd})
	}
	sort.Slice(rd.files, func(i, j int) bool { return rd.files[i].spec.Name < rd.files[j].spec.Name })
	for i, f := range rd.files {
		rd.byName[f.spec.Name] = i
		f.id = base64.StdEncoding.EncodeToString([]byte("File:v1:" + r.Ref() + ":" + f.spec.Name))
		f.cursor = encodeCursor(f.spec.Name)
		f.updated = f.spec.updatedAt()
		rd.total += f.spec.Size
	}
	rd.ended = rd.endTime()
	return rd
}

// run returns the run entity/project/id or nil.
func (s *Server) run(entity, project, id string) *runData {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.runs[entity+"/"+project+"/"+id]
}

// project returns the project or nil.
func (s *Server) project(entity, name string) *projectData {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.projects[entity+"/"+name]
}

// Handler returns the API host's handler: /graphql and /files/.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveAPI) }

// StorageHandler returns the signed storage host's handler.
func (s *Server) StorageHandler() http.Handler { return http.HandlerFunc(s.serveStorage) }

// serveAPI dispatches by path by hand: http.ServeMux would clean and
// redirect file names holding "//" or "..".
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/graphql":
		s.serveGraphQL(w, r)
	case strings.HasPrefix(r.URL.Path, "/files/"):
		s.serveFileURL(w, r)
	case strings.HasPrefix(r.URL.Path, artV2PathPrefix):
		s.serveArtifactV2(w, r)
	default:
		writeJSONError(w, http.StatusNotFound, "not found")
	}
}

// checkKey reports whether r carries basic auth "api:<key>".
func (s *Server) checkKey(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	return ok && user == "api" && pass == s.apiKey
}

// requireKey answers 401 to a request without the key, as the API host
// does for GraphQL and file bodies alike, and reports whether r may go on.
func (s *Server) requireKey(w http.ResponseWriter, r *http.Request) bool {
	if s.checkKey(r) {
		return true
	}
	s.counters.authRejected.Add(1)
	writeJSONError(w, http.StatusUnauthorized, "user is not logged in")
	return false
}

// apiBase returns the scheme://host the request came to, so URLs work
// whether the handler runs under Start or httptest.
func apiBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// writeJSONError answers {"errors":[{"message":msg}]} with status.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	var b []byte
	b = append(b, `{"errors":[{"message":`...)
	b = appendJSONString(b, msg)
	b = append(b, "}]}\n"...)
	w.Write(b)
}
