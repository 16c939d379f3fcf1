package wandbtest

import (
	"bytes"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestPacePerResponse checks that whole and ranged bodies are paced: one
// 4 MB body at 16 MB/s takes at least 0.25 s, four ranged requests at once
// for a quarter each at least a quarter of that, with the right bytes and
// 206 answers. (Only lower bounds: a loaded machine makes bodies slower,
// never faster; the schedule itself is checked on a clock of the test's
// own below.)
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
	// Each quarter is paced too: never faster than a quarter's time.
	if four, lo := time.Since(start), 60*time.Millisecond; four < lo {
		t.Fatalf("four quarters at once took %v, want at least %v", four, lo)
	}
}

// TestPaceKeepsRateWithSmallWrites checks that the time spent writing is
// not added to the pace: 20 MiB in 32 KiB writes that each cost 100 µs
// (64 ms in all) at 100 MiB/s take 200 ms, not 264 ms, since the pacer
// keeps a schedule and a late sleep is made up by the next ones. The
// clock is the test's own, so a loaded machine cannot change the answer.
func TestPaceKeepsRateWithSmallWrites(t *testing.T) {
	var clock time.Time
	p := pacer{bps: 100 << 20, now: func() time.Time { return clock }}
	for range 640 {
		clock = clock.Add(100 * time.Microsecond) // the write
		clock = clock.Add(p.wait(32 << 10))       // the sleep
	}
	if d := clock.Sub(time.Time{}); d < 199*time.Millisecond || d > 203*time.Millisecond {
		t.Fatalf("20 MiB at 100 MiB/s in small writes took %v, want 200 ms", d)
	}
}
