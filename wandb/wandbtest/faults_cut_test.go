package wandbtest

import (
	"strconv"
	"sync"
	"testing"
)

// TestCutBodyTimesAtOnce: eight ranged requests at once with CutBodyTimes
// 3 get exactly three cuts between them (each body is armed while sent),
// and a body that ends before the cut point uses none up.
func TestCutBodyTimesAtOnce(t *testing.T) {
	run := RunSpec{Entity: "ent", Project: "proj", ID: "cuts", Files: []FileSpec{{Name: "big.bin", Size: 8 << 20}}}
	s := startTest(t, run)
	urls, _ := fileURLs(t, s, "ent/proj/cuts")
	s.SetFaults(FileURL, Faults{CutBodyAfter: 100 << 10, CutBodyTimes: 3, BytesPerSecond: 8 << 20})
	// A short body first: it ends before the cut point.
	if resp, b, err := get(t, "GET", urls["big.bin"], s.APIKey(), "Range", "bytes=0-999"); err != nil || resp.StatusCode != 206 || len(b) != 1000 {
		t.Fatalf("short body: %v %d bytes", err, len(b))
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			from := i << 20
			get(t, "GET", urls["big.bin"], s.APIKey(), "Range", "bytes="+strconv.Itoa(from)+"-"+strconv.Itoa(from+1<<20-1))
		})
	}
	wg.Wait()
	if n := s.Stats().CutBodies; n != 3 {
		t.Fatalf("%d bodies cut, want 3", n)
	}
}
