package wandbtest

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// statusSeq sends n GraphQL requests and returns their statuses and
// Retry-After headers.
func statusSeq(t *testing.T, s *Server, n int) ([]int, []string) {
	t.Helper()
	var sts []int
	var ras []string
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest("POST", s.URL()+"/graphql", bytes.NewReader([]byte(`{"query":"{ viewer { id } }"}`)))
		req.SetBasicAuth("api", s.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		sts = append(sts, resp.StatusCode)
		ras = append(ras, resp.Header.Get("Retry-After"))
	}
	return sts, ras
}

func TestRateLimitAndServerErrors(t *testing.T) {
	s := startTest(t)
	tests := []struct {
		name   string
		f      Faults
		status []int
		retry  []string
	}{
		{"429 every 2nd", Faults{RateLimitEvery: 2, RetryAfter: 1500 * time.Millisecond},
			[]int{200, 429, 200, 429}, []string{"", "2", "", "2"}},
		{"Retry-After 0", Faults{RateLimitEvery: 1}, []int{429, 429}, []string{"0", "0"}},
		{"503 every 3rd", Faults{ServerErrorEvery: 3}, []int{200, 200, 503, 200, 200, 503}, nil},
		{"500", Faults{ServerErrorEvery: 1, ServerErrorStatus: 500}, []int{500}, nil},
		{"cleared", Faults{}, []int{200, 200}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.SetFaults(AllTargets, tc.f)
			sts, ras := statusSeq(t, s, len(tc.status))
			for i := range sts {
				if sts[i] != tc.status[i] || tc.retry != nil && ras[i] != tc.retry[i] {
					t.Fatalf("statuses %v Retry-After %q, want %v %q", sts, ras, tc.status, tc.retry)
				}
			}
		})
	}
}

func TestFaultTargetsAreSeparate(t *testing.T) {
	s := startTest(t, bodyRun())
	urls, direct := fileURLs(t, s, "ent/proj/body")
	s.SetFaults(FileURL, Faults{ServerErrorEvery: 1})
	if sts, _ := statusSeq(t, s, 1); sts[0] != 200 {
		t.Fatalf("GraphQL hit by a FileURL fault: %d", sts[0])
	}
	if resp, _, _ := get(t, "GET", direct["small.txt"], ""); resp.StatusCode != 200 {
		t.Fatalf("storage hit by a FileURL fault: %d", resp.StatusCode)
	}
	if resp, _, _ := get(t, "GET", urls["small.txt"], s.APIKey()); resp.StatusCode != 503 {
		t.Fatalf("FileURL fault not applied: %d", resp.StatusCode)
	}
	s.SetFaults(Storage, Faults{RateLimitEvery: 1})
	if resp, _, _ := get(t, "GET", direct["small.txt"], ""); resp.StatusCode != 429 {
		t.Fatalf("Storage fault not applied: %d", resp.StatusCode)
	}
}

// TestLatency checks a lower bound only, which no scheduler can break.
func TestLatency(t *testing.T) {
	s := startTest(t)
	s.SetFaults(GraphQL, Faults{Latency: 60 * time.Millisecond})
	start := time.Now()
	statusSeq(t, s, 2)
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Fatalf("two requests took %v, want at least 120ms", d)
	}
}

func TestCutBody(t *testing.T) {
	run := bodyRun()
	s := startTest(t, run)
	urls, direct := fileURLs(t, s, "ent/proj/body")
	want := content(run.Files[0])
	for _, tc := range []struct {
		target Target
		u, key string
	}{{FileURL, urls["big.bin"], s.APIKey()}, {Storage, direct["big.bin"], ""}} {
		before := s.Stats().CutBodies
		s.SetFaults(tc.target, Faults{CutBodyAfter: 100000, CutBodyTimes: 2})
		for i := 0; i < 2; i++ {
			resp, b, err := get(t, "GET", tc.u, tc.key)
			if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) || len(b) != 100000 || !bytes.Equal(b, want[:100000]) {
				t.Fatalf("cut %d: status %d err %v, %d bytes", i, resp.StatusCode, err, len(b))
			}
		}
		// A resumed Range request is cut relative to its own body.
		s.SetFaults(tc.target, Faults{CutBodyAfter: 10, CutBodyTimes: 1})
		resp, b, err := get(t, "GET", tc.u, tc.key, "Range", "bytes=100-")
		if resp.StatusCode != 206 || !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(b, want[100:110]) {
			t.Fatalf("cut range: status %d err %v, %d bytes", resp.StatusCode, err, len(b))
		}
		// Then the server behaves.
		resp, b, err = get(t, "GET", tc.u, tc.key)
		if err != nil || !bytes.Equal(b, want) {
			t.Fatalf("after the cuts: status %d err %v, %d bytes", resp.StatusCode, err, len(b))
		}
		if got := s.Stats().CutBodies - before; got != 3 {
			t.Fatalf("CutBodies grew by %d, want 3", got)
		}
		s.SetFaults(tc.target, Faults{})
	}
	// Only content is cut: a 416 answer is not.
	s.SetFaults(FileURL, Faults{CutBodyAfter: 3, CutBodyTimes: 1})
	if resp, _, err := get(t, "GET", urls["big.bin"], s.APIKey(), "Range", "bytes=99999999-"); err != nil || resp.StatusCode != 416 {
		t.Fatalf("416 with a cut armed: %v %d", err, resp.StatusCode)
	}
	if _, _, err := get(t, "GET", urls["big.bin"], s.APIKey()); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("the cut was used up by a 416: %v", err)
	}
	// CutBodyTimes 0 cuts every time.
	s.SetFaults(FileURL, Faults{CutBodyAfter: 5})
	for i := 0; i < 3; i++ {
		if _, _, err := get(t, "GET", urls["big.bin"], s.APIKey()); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut %d: err %v", i, err)
		}
	}
}

func TestWrongMD5(t *testing.T) {
	run := bodyRun()
	s := startTest(t, run)
	q := `{ project(name: "proj", entityName: "ent") { run(name: "body") { files(names: ["small.txt"]) { edges { node { md5 } } } } } }`
	md5Of := func() string {
		_, body := gql(t, s, q, nil)
		return dig(decode(t, body), "data", "project", "run", "files", "edges").([]any)[0].(map[string]any)["node"].(map[string]any)["md5"].(string)
	}
	good := run.Files[1].MD5()
	if got := md5Of(); got != good {
		t.Fatalf("md5 %s, want %s", got, good)
	}
	s.SetFaults(GraphQL, Faults{WrongMD5: true})
	if got := md5Of(); got == good || len(got) != len(good) {
		t.Fatalf("WrongMD5: md5 %s, want a different digest", got)
	}
}

func TestSlowBody(t *testing.T) {
	run := bodyRun()
	s := startTest(t, run)
	urls, _ := fileURLs(t, s, "ent/proj/body")
	s.SetFaults(FileURL, Faults{BytesPerSecond: 10000, NoRange: true})
	// NoRange: the whole body comes back with 200.
	resp, b, err := get(t, "GET", urls["small.txt"], s.APIKey(), "Range", "bytes=5-")
	if err != nil || resp.StatusCode != 200 || string(b) != "hello, world\n" {
		t.Fatalf("NoRange: %d %q %v", resp.StatusCode, b, err)
	}
	s.SetFaults(FileURL, Faults{BytesPerSecond: 10000})
	start := time.Now()
	u := urls["big.bin"]
	resp, b, err = get(t, "GET", u, s.APIKey(), "Range", "bytes=0-1999")
	if err != nil || resp.StatusCode != 206 || !bytes.Equal(b, content(run.Files[0])[:2000]) {
		t.Fatalf("slow body: %d, %d bytes, %v", resp.StatusCode, len(b), err)
	}
	// 2000 bytes at 10000 B/s in 500-byte steps: at least three pauses.
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("2000 bytes at 10000 B/s took %v", d)
	}
}
