// Command pacedserver serves one large generated file from the in-repo
// W&B-compatible server, each body response paced like a cloud storage
// stream, for comparing downloaders side by side (scripts/compare-get.sh).
// It is a development tool, not part of wbfiles.
//
//	go run ./wandb/wandbtest/cmd/pacedserver -size 1073741824 -pace 50000000
//
// Once the file's md5 is known it prints, one a line, shell assignments of
// the API URL (WB_URL), the key (WB_KEY), the run (WB_RUN), the file's
// name (WB_FILE), its body URL on the API host (WB_FILE_URL, basic auth
// api:WB_KEY) and its md5 in hex (WB_MD5), then serves until SIGINT or
// SIGTERM.
package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func main() {
	size := flag.Int64("size", 1<<30, "the file's size in bytes")
	pace := flag.Int64("pace", 50_000_000, "bytes per second of each body response (0: unpaced)")
	name := flag.String("name", "ckpt/model.safetensors", "the file's name in the run")
	flag.Parse()
	if *size <= 0 || *pace < 0 {
		fmt.Fprintln(os.Stderr, "pacedserver: -size must be positive and -pace not negative")
		os.Exit(2)
	}
	const key = "pacedserver-key-0123456789abcdef0123"
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: key})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pacedserver:", err)
		os.Exit(1)
	}
	spec := wandbtest.FileSpec{Name: *name, Size: *size}
	run := wandbtest.RunSpec{Entity: "bench", Project: "paced", ID: "run1", State: "finished", Files: []wandbtest.FileSpec{spec}}
	srv.AddRun(run)
	srv.SetFaults(wandbtest.FileURL|wandbtest.Storage, wandbtest.Faults{BytesPerSecond: *pace})
	segs := strings.Split(*name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	fileURL := srv.URL() + "/files/" + run.Ref() + "/" + strings.Join(segs, "/")
	// A HEAD makes the server work out the md5 (its ETag) now, so the
	// first download timed does not wait for it.
	req, _ := http.NewRequest(http.MethodHead, fileURL, nil)
	req.SetBasicAuth("api", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pacedserver:", err)
		os.Exit(1)
	}
	resp.Body.Close()
	sum, err := base64.StdEncoding.DecodeString(strings.Trim(resp.Header.Get("ETag"), `"`))
	if err != nil || resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "pacedserver: no md5 from the server:", resp.Status)
		os.Exit(1)
	}
	fmt.Printf("WB_URL=%s\nWB_KEY=%s\nWB_RUN=%s\nWB_FILE=%s\nWB_FILE_URL=%s\nWB_MD5=%s\n",
		srv.URL(), key, run.Ref(), *name, fileURL, hex.EncodeToString(sum))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	srv.Close()
}
