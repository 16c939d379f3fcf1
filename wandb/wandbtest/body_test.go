package wandbtest

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// bodyRun has a generated file, a text file and a unicode name.
func bodyRun() RunSpec {
	return RunSpec{Entity: "ent", Project: "proj", ID: "body", Files: []FileSpec{
		{Name: "big.bin", Size: 5*MiB + 3},
		{Name: "small.txt", Content: []byte("hello, world\n")},
		{Name: "日本語/データ 1%.csv", Content: []byte("a,b\n1,2\n")},
	}}
}

// fileURLs returns the url and directUrl of every file of a run by name.
func fileURLs(t *testing.T, s *Server, ref string) (urls, direct map[string]string) {
	t.Helper()
	p := strings.Split(ref, "/")
	st, body := gql(t, s, `query($e: String, $p: String, $r: String!) { project(name: $p, entityName: $e) { run(name: $r) {
		files(first: 1000) { edges { node { name url directUrl } } } } } }`, map[string]any{"e": p[0], "p": p[1], "r": p[2]})
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, body)
	}
	urls, direct = map[string]string{}, map[string]string{}
	for _, e := range asList(dig(decode(t, body), "data", "project", "run", "files", "edges")) {
		n := e.(map[string]any)["node"].(map[string]any)
		urls[n["name"].(string)], _ = n["url"].(string) // null for NullURL files
		direct[n["name"].(string)] = n["directUrl"].(string)
	}
	return urls, direct
}

// get sends a request with optional key and headers.
func get(t *testing.T, method, u, key string, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.SetBasicAuth("api", key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func content(f FileSpec) []byte {
	b, _ := io.ReadAll(f.Open())
	return b
}

func TestBodiesMatchMD5(t *testing.T) {
	run := bodyRun()
	s := startTest(t, run)
	urls, direct := fileURLs(t, s, "ent/proj/body")
	for _, f := range run.Files {
		want := content(f)
		if int64(len(want)) != f.Len() {
			t.Fatalf("%s: Open gave %d bytes, want %d", f.Name, len(want), f.Len())
		}
		sum := md5.Sum(want)
		if got := base64.StdEncoding.EncodeToString(sum[:]); got != f.MD5() {
			t.Fatalf("%s: MD5() %s, content md5 %s", f.Name, f.MD5(), got)
		}
		for _, tc := range []struct{ u, key string }{{urls[f.Name], s.APIKey()}, {direct[f.Name], ""}} {
			resp, b, err := get(t, "GET", tc.u, tc.key)
			if err != nil || resp.StatusCode != 200 || !bytes.Equal(b, want) {
				t.Fatalf("%s: %v status %d, %d bytes", tc.u, err, resp.StatusCode, len(b))
			}
			if resp.Header.Get("ETag") != `"`+f.MD5()+`"` || resp.ContentLength != f.Len() ||
				resp.Header.Get("Content-Type") != f.mimetype() {
				t.Fatalf("%s: headers %v", tc.u, resp.Header)
			}
		}
	}
	// Content is deterministic and differs between names.
	if !bytes.Equal(content(run.Files[0]), content(run.Files[0])) ||
		bytes.Equal(content(FileSpec{Name: "x", Size: 64}), content(FileSpec{Name: "y", Size: 64})) {
		t.Fatal("generated content is not a deterministic function of the name")
	}
}

func TestRange(t *testing.T) {
	run := bodyRun()
	s := startTest(t, run)
	urls, direct := fileURLs(t, s, "ent/proj/body")
	want := content(run.Files[0])
	size := len(want)
	for _, u := range []string{urls["big.bin"], direct["big.bin"]} {
		key := ""
		if strings.HasPrefix(u, s.URL()) {
			key = s.APIKey()
		}
		tests := []struct {
			rng        string
			status     int
			from, to   int // expected body want[from:to]
			contentRng string
		}{
			{"bytes=1000-", 206, 1000, size, fmt.Sprintf("bytes 1000-%d/%d", size-1, size)},
			{"bytes=7-7", 206, 7, 8, fmt.Sprintf("bytes 7-7/%d", size)},
			{"bytes=3-1048579", 206, 3, 1048580, fmt.Sprintf("bytes 3-1048579/%d", size)},
			{fmt.Sprintf("bytes=%d-", size-1), 206, size - 1, size, fmt.Sprintf("bytes %d-%d/%d", size-1, size-1, size)},
			{fmt.Sprintf("bytes=%d-", size), 416, 0, 0, fmt.Sprintf("bytes */%d", size)},
			{"bytes=99999999-", 416, 0, 0, fmt.Sprintf("bytes */%d", size)},
		}
		for _, tc := range tests {
			resp, b, err := get(t, "GET", u, key, "Range", tc.rng)
			if err != nil || resp.StatusCode != tc.status || resp.Header.Get("Content-Range") != tc.contentRng {
				t.Fatalf("%s: %v status %d Content-Range %q", tc.rng, err, resp.StatusCode, resp.Header.Get("Content-Range"))
			}
			if tc.status == 206 && !bytes.Equal(b, want[tc.from:tc.to]) {
				t.Fatalf("%s: wrong bytes", tc.rng)
			}
		}
		resp, b, _ := get(t, "HEAD", u, key)
		if resp.StatusCode != 200 || len(b) != 0 || resp.ContentLength != int64(size) || resp.Header.Get("Accept-Ranges") != "bytes" {
			t.Fatalf("HEAD: %d, %d body bytes, length %d", resp.StatusCode, len(b), resp.ContentLength)
		}
	}
	if st := s.Stats(); st.RangeRequests != 12 {
		t.Fatalf("RangeRequests = %d, want 12", st.RangeRequests)
	}
}

func TestFileURLAuth(t *testing.T) {
	s := startTest(t, bodyRun())
	urls, _ := fileURLs(t, s, "ent/proj/body")
	for _, key := range []string{"", "wrong"} {
		resp, _, _ := get(t, "GET", urls["small.txt"], key)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("key %q: status %d, want 401", key, resp.StatusCode)
		}
	}
	resp, _, _ := get(t, "GET", s.URL()+"/files/ent/proj/body/nope.txt", s.APIKey())
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown file: status %d", resp.StatusCode)
	}
	resp, _, _ = get(t, "GET", urls["日本語/データ 1%.csv"], s.APIKey())
	if resp.StatusCode != 200 {
		t.Fatalf("escaped unicode name: status %d", resp.StatusCode)
	}
	if st := s.Stats(); st.AuthRejected != 2 || st.FileRequests != 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestStorageRefusesCredentialsAndTampering(t *testing.T) {
	s := startTest(t, bodyRun())
	_, direct := fileURLs(t, s, "ent/proj/body")
	u := direct["small.txt"]
	resp, _, _ := get(t, "GET", u, s.APIKey())
	if resp.StatusCode != http.StatusForbidden || s.Stats().StorageAuthRejected != 1 {
		t.Fatalf("with basic auth: status %d, stats %+v", resp.StatusCode, s.Stats())
	}
	resp, _, _ = get(t, "GET", u, "", "Authorization", "Bearer x")
	if resp.StatusCode != http.StatusForbidden || s.Stats().StorageAuthRejected != 2 {
		t.Fatalf("with a bearer token: status %d", resp.StatusCode)
	}
	pu, _ := url.Parse(u)
	tamper := func(f func(q url.Values)) string {
		c := *pu
		q := c.Query()
		f(q)
		c.RawQuery = q.Encode()
		return c.String()
	}
	sig := pu.Query().Get("X-Goog-Signature")
	flipped := "0" + sig[1:]
	if sig[0] == '0' {
		flipped = "1" + sig[1:]
	}
	old := time.Now().Add(-3 * time.Hour).UTC().Format("20060102T150405Z")
	key := "ent/proj/body/small.txt"
	cases := map[string]string{
		"signature flipped": tamper(func(q url.Values) { q.Set("X-Goog-Signature", flipped) }),
		"signature missing": tamper(func(q url.Values) { q.Del("X-Goog-Signature") }),
		"longer lifetime":   tamper(func(q url.Values) { q.Set("X-Goog-Expires", "999999") }),
		"other object":      strings.Replace(u, "small.txt", "big.bin", 1),
		"expired": tamper(func(q url.Values) {
			q.Set("X-Goog-Date", old)
			q.Set("X-Goog-Signature", s.signature(key, old, "7200"))
		}),
	}
	for name, bad := range cases {
		resp, b, _ := get(t, "GET", bad, "")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "<Error>") {
			t.Errorf("%s: status %d %s", name, resp.StatusCode, b)
		}
	}
	if resp, _, _ := get(t, "GET", u, ""); resp.StatusCode != 200 {
		t.Fatalf("untouched URL: status %d", resp.StatusCode)
	}
}

func TestRedirectFileURL(t *testing.T) {
	s := startTest(t, bodyRun())
	s.SetRedirectFileURL(true)
	urls, _ := fileURLs(t, s, "ent/proj/body")
	resp, _, _ := get(t, "GET", urls["small.txt"], s.APIKey())
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, s.StorageURL()+"/") {
		t.Fatalf("status %d Location %q", resp.StatusCode, loc)
	}
	if resp, b, _ := get(t, "GET", loc, ""); resp.StatusCode != 200 || string(b) != "hello, world\n" {
		t.Fatalf("following the redirect without the key: %d %q", resp.StatusCode, b)
	}
	// The key is still required before redirecting.
	if resp, _, _ := get(t, "GET", urls["small.txt"], ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no key: status %d", resp.StatusCode)
	}
}

// TestHandlersUnderHTTPTest: New plus Handler and StorageHandler work on
// httptest servers, with URLs pointing at them.
func TestHandlersUnderHTTPTest(t *testing.T) {
	s := New(Options{APIKey: "k"})
	api := httptest.NewServer(s.Handler())
	defer api.Close()
	storage := httptest.NewServer(s.StorageHandler())
	defer storage.Close()
	s.SetStorageURL(storage.URL)
	s.SetURL(api.URL)
	s.AddRun(bodyRun())
	urls, direct := fileURLs(t, s, "ent/proj/body")
	if !strings.HasPrefix(urls["small.txt"], api.URL+"/files/") || !strings.HasPrefix(direct["small.txt"], storage.URL+"/") {
		t.Fatalf("urls %q %q", urls["small.txt"], direct["small.txt"])
	}
	if resp, b, _ := get(t, "GET", direct["small.txt"], ""); resp.StatusCode != 200 || string(b) != "hello, world\n" {
		t.Fatalf("storage: %d %q", resp.StatusCode, b)
	}
}

// TestObserveAndResetStats: Observe sees every request to both hosts, with
// its headers, and ResetStats zeroes the counters.
func TestObserveAndResetStats(t *testing.T) {
	type seen struct {
		target Target
		ua     string
		auth   bool
	}
	var mu sync.Mutex
	var log []seen
	s, err := Start(Options{Observe: func(tg Target, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, seen{tg, r.Header.Get("User-Agent"), r.Header.Get("Authorization") != ""})
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.AddRun(bodyRun())
	urls, direct := fileURLs(t, s, "ent/proj/body")
	get(t, "GET", urls["small.txt"], s.APIKey(), "User-Agent", "probe/1")
	get(t, "GET", direct["small.txt"], "", "User-Agent", "probe/2")
	mu.Lock()
	got := append([]seen(nil), log...)
	mu.Unlock()
	want := []seen{{GraphQL, "Go-http-client/1.1", true}, {FileURL, "probe/1", true}, {Storage, "probe/2", false}}
	if !slices.Equal(got, want) {
		t.Fatalf("observed %v, want %v", got, want)
	}
	if st := s.Stats(); st.GraphQLRequests != 1 || st.FileRequests != 1 || st.StorageRequests != 1 {
		t.Fatalf("stats %+v", st)
	}
	s.ResetStats()
	if st := s.Stats(); st != (Stats{}) {
		t.Fatalf("after ResetStats: %+v", st)
	}
}
