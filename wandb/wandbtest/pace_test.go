package wandbtest

import (
	"bytes"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestPacePerResponse checks the pace is per response, as cloud storage
// paces each stream: one 4 MB body at 16 MB/s takes about 0.25 s, and four
// ranged requests at once for a quarter each take about a quarter of that
// (each at the full rate), with the right bytes and 206 answers.
func TestPacePerResponse(t *testing.T) {
	const size, bps = 4 << 20, 16 << 20
	run := RunSpec{Entity: "ent", Project: "proj", ID: "pace", Files: []FileSpec{{Name: "big.bin", Size: size}}}
	s := startTest(t, run)
	urls, _ := fileURLs(t, s, "ent/proj/pace")
	s.SetFaults(FileURL, Faults{BytesPerSecond: bps})
	want := content(run.Files[0])

	start := time.Now()
	resp, b, err := get(t, "GET", urls["big.bin"], s.APIKey())
	one := time.Since(start)
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(b, want) {
		t.Fatalf("whole body: %d, %d bytes, %v", resp.StatusCode, len(b), err)
	}
	// The schedule runs from the first byte: never faster than size/bps
	// (250 ms). A loaded machine can only make it slower, so the upper
	// side is checked as a ratio below, not as a time.
	if lo := 240 * time.Millisecond; one < lo {
		t.Fatalf("4 MiB at 16 MiB/s took %v, want at least %v", one, lo)
	}

	start = time.Now()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			from, to := i*size/4, (i+1)*size/4-1
			rng := "bytes=" + strconv.Itoa(from) + "-" + strconv.Itoa(to)
			resp, b, err := get(t, "GET", urls["big.bin"], s.APIKey(), "Range", rng)
			cr := "bytes " + strconv.Itoa(from) + "-" + strconv.Itoa(to) + "/" + strconv.Itoa(size)
			if err != nil || resp.StatusCode != 206 || resp.Header.Get("Content-Range") != cr || !bytes.Equal(b, want[from:to+1]) {
				t.Errorf("%s: %d %q, %d bytes, %v", rng, resp.StatusCode, resp.Header.Get("Content-Range"), len(b), err)
			}
		})
	}
	wg.Wait()
	if four := time.Since(start); four > one/2 {
		t.Fatalf("four quarters at once took %v, one whole body %v: the pace is not per response", four, one)
	}
}

// TestPaceKeepsRateWithSmallWrites checks that the time spent writing is
// not added to the pace: 20 MiB in 32 KiB writes that each cost 100 µs
// (64 ms in all) at 100 MiB/s take 200 ms, not 264 ms, since the pacer
// keeps a schedule and a late sleep is made up by the next ones.
func TestPaceKeepsRateWithSmallWrites(t *testing.T) {
	p := pacer{bps: 100 << 20}
	start := time.Now()
	for range 640 {
		for w := time.Now(); time.Since(w) < 100*time.Microsecond; { // the write
		}
		time.Sleep(p.wait(32 << 10))
	}
	if d := time.Since(start); d < 195*time.Millisecond || d > 250*time.Millisecond {
		t.Fatalf("20 MiB at 100 MiB/s in small writes took %v, want about 200 ms", d)
	}
}
