package wandb_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

const previewKey = "preview-test-key-0000000000000000000000000"

// TestPreview fetches the start of files through the API host and the
// storage host, with and without Range support on the server.
func TestPreview(t *testing.T) {
	srv, err := wandbtest.Start(wandbtest.Options{APIKey: previewKey})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	big := wandbtest.FileSpec{Name: "logs/big.log", Size: 3 << 20}
	direct := wandbtest.FileSpec{Name: "direct.txt", Content: []byte("from storage\n"), NullURL: true}
	srv.AddRun(wandbtest.RunSpec{Entity: "e", Project: "p", ID: "r", Files: []wandbtest.FileSpec{
		{Name: "small.txt", Content: []byte("hello\n")}, big, direct,
	}})
	c, err := wandb.NewClient(wandb.Config{BaseURL: srv.URL(), APIKey: previewKey,
		Retry: wandb.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond, MaxElapsed: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Files(t.Context(), wandb.RunRef{Entity: "e", Project: "p", RunID: "r"}, wandb.FilesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]wandb.File{}
	for _, f := range page.Files {
		files[f.Name] = f
	}
	const limit = 1 << 20
	wantBig, _ := io.ReadAll(io.LimitReader(big.Open(), limit))

	for _, noRange := range []bool{false, true} {
		srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{NoRange: noRange})
		body, truncated, err := c.Preview(t.Context(), files["small.txt"], limit)
		if err != nil || truncated || string(body) != "hello\n" {
			t.Fatalf("noRange=%v small: %q %v %v", noRange, body, truncated, err)
		}
		body, truncated, err = c.Preview(t.Context(), files["logs/big.log"], limit)
		if err != nil || !truncated || !bytes.Equal(body, wantBig) {
			t.Fatalf("noRange=%v big: %d bytes, truncated %v, err %v; want the first MiB, truncated", noRange, len(body), truncated, err)
		}
		body, truncated, err = c.Preview(t.Context(), files["direct.txt"], limit)
		if err != nil || truncated || string(body) != "from storage\n" {
			t.Fatalf("noRange=%v direct: %q %v %v", noRange, body, truncated, err)
		}
	}
	st := srv.Stats()
	if st.StorageAuthRejected != 0 || st.StorageRequests != 2 {
		t.Fatalf("storage saw %d requests, %d with credentials; want 2, none", st.StorageRequests, st.StorageAuthRejected)
	}
	if st.RangeRequests < 6 {
		t.Fatalf("%d Range requests; want every preview to ask for a range", st.RangeRequests)
	}
	if _, _, err := c.Preview(t.Context(), wandb.File{Name: "nowhere"}, limit); err == nil {
		t.Fatal("a file with no URL was previewed")
	}
}

// TestPreviewDialErrorHidesURL: when the storage host cannot be reached,
// the error names the host but never the signed URL (its query is a
// credential).
func TestPreviewDialErrorHidesURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	ln.Close() // nothing listens there now: the dial is refused
	c, err := wandb.NewClient(wandb.Config{BaseURL: "http://127.0.0.1:1", APIKey: previewKey,
		Retry: wandb.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "deadbeefcafe0123456789"
	f := wandb.File{Name: "a.txt", DirectURL: "http://" + host + "/bucket/a.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=" + secret}
	_, _, err = c.Preview(t.Context(), f, 100)
	if err == nil {
		t.Fatal("a preview from a closed port succeeded")
	}
	msg := err.Error()
	if strings.Contains(msg, secret) || strings.Contains(msg, "X-Goog") || strings.Contains(msg, "/bucket/") {
		t.Errorf("error %q shows the signed URL", msg)
	}
	if !strings.Contains(msg, host) || !strings.Contains(msg, "a.txt") {
		t.Errorf("error %q does not name the file and the host %s", msg, host)
	}
	var ne *net.OpError
	if !errors.As(err, &ne) {
		t.Errorf("error %q does not wrap the network error", msg)
	}
}
