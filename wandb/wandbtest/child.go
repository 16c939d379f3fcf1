package wandbtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Side-by-side benchmarks run the server in a child process (the test
// binary again, running one test that serves), so the CPU time measured
// in the benchmark's own process is the client's alone.

// ServeChild is the body of such a child's test: it prints srv's URL on
// standard output for StartChild and serves until standard input closes
// (the parent went away).
func ServeChild(srv *Server) {
	json.NewEncoder(os.Stdout).Encode(map[string]string{"url": srv.URL()})
	io.Copy(io.Discard, os.Stdin)
}

// StartChild runs this test binary again with only test testName, which
// serves when env is set (see ServeChild), and returns the server's URL
// and a function that stops the child.
func StartChild(testName, env string) (url string, stop func(), err error) {
	cmd := exec.Command(os.Args[0], "-test.run=^"+testName+"$", "-test.v=false")
	cmd.Env = append(os.Environ(), env+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop = func() { stdin.Close(); cmd.Wait() }
	var hello struct{ URL string }
	if err := json.NewDecoder(bufio.NewReader(stdout)).Decode(&hello); err != nil {
		stop()
		return "", nil, fmt.Errorf("the server child said nothing: %w", err)
	}
	return hello.URL, stop, nil
}

// CurlJob is one file for Curl: its URL and where curl writes it.
type CurlJob struct {
	URL, Output string
}

// Curl fetches jobs with `curl --parallel --parallel-max parallel` (the
// tool a user would otherwise script) through a config file written in
// cfgDir, with user ("api:KEY") as basic auth when set, and returns the
// wall time and curl's own CPU time, for side-by-side benchmarks.
func Curl(curl, cfgDir, user string, parallel int, jobs []CurlJob) (wall, cpu time.Duration, err error) {
	var cfg strings.Builder
	cfg.WriteString("create-dirs\nsilent\nfail\n")
	if user != "" {
		fmt.Fprintf(&cfg, "user = %q\n", user)
	}
	for _, j := range jobs {
		fmt.Fprintf(&cfg, "url = %q\noutput = %q\n", j.URL, j.Output)
	}
	path := filepath.Join(cfgDir, "curl.cfg")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		return 0, 0, err
	}
	cmd := exec.Command(curl, "--parallel", "--parallel-max", strconv.Itoa(parallel), "--no-progress-meter", "-K", path)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("curl: %w", err)
	}
	return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}
