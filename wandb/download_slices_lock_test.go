//go:build unix

package wandb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// TestSlicedBusyPartial: a sliced download finds the temporary file
// locked by another engine: ErrBusy at once, nothing fetched, the other's
// file untouched.
func TestSlicedBusyPartial(t *testing.T) {
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "big.bin", Size: 2 << 20})
	tmp := filepath.Join(e.dest, tempName("big.bin"))
	theirs := prefixOf(t, e.specs["big.bin"], 1000)
	lockByHand(t, tmp, theirs)
	_, err := e.sliced(context.Background(), e.file("big.bin"), sliceOpts)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("err %v, want ErrBusy", err)
	}
	if got, _ := os.ReadFile(tmp); string(got) != string(theirs) {
		t.Errorf("the other download's temporary file changed: %d bytes", len(got))
	}
	if r := log.list(); len(r) != 0 {
		t.Errorf("requests %q, want none", r)
	}
	assertAbsent(t, filepath.Join(e.dest, "big.bin"))
	assertAbsent(t, filepath.Join(e.dest, sidecarName("big.bin")))
}

// TestSlicedBusyAcrossProcesses: a second process fetches a file in
// slices (slowly); a sliced download of it here meanwhile fails busy
// without a request, and the other process puts the exact file in place.
func TestSlicedBusyAcrossProcesses(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("inside the helper")
	}
	e, log := newSliceEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: 2 << 20})
	f := e.file("x.bin")
	e.srv.SetFaults(wandbtest.FileURL, wandbtest.Faults{BytesPerSecond: 1 << 20})
	job, _ := json.Marshal(helperJob{BaseURL: e.srv.URL(), APIKey: e.srv.APIKey(), Dest: e.dest, File: f, SliceThreshold: 1 << 20})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDownloadProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(job))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(log.list()) == 0 { // the helper's first request: it holds the lock
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the helper never asked for a slice; its output:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, err := e.sliced(context.Background(), f, sliceOpts)
	if !errors.Is(err, ErrBusy) {
		t.Errorf("err %v, want ErrBusy while the other process downloads", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the helper failed: %v\n%s", err, out.String())
	}
	e.checkFile("x.bin")
	assertNoState(t, e.dest)
}
