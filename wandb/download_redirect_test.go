package wandb

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// countingTransport counts the requests a client sends.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// TestDownloadPermanentFailuresNotRetried: a redirect loop, a redirect to a
// file: URL and https spoken to a plain-HTTP port cannot heal, so the
// download gives up after one attempt with the cause in its message.
func TestDownloadPermanentFailuresNotRetried(t *testing.T) {
	cases := []struct {
		name     string
		faults   wandbtest.BodyFaults
		https    bool
		want     string
		requests int64 // of the one attempt
	}{
		{"redirect loop", wandbtest.BodyFaults{RedirectLoop: true}, false, "redirect loop", maxRedirects},
		{"redirect to file:", wandbtest.BodyFaults{RedirectTo: "file:///etc/passwd"}, false, "not http(s)", 1},
		{"https to plain http", wandbtest.BodyFaults{}, true, "HTTP response to HTTPS client", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newDLEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: 1000})
			ct := &countingTransport{next: http.DefaultTransport}
			c, err := NewClient(Config{BaseURL: e.srv.URL(), APIKey: e.srv.APIKey(), Retry: testRetry, Transport: ct})
			if err != nil {
				t.Fatal(err)
			}
			e.srv.SetBodyFaults(wandbtest.Storage, tc.faults)
			f := e.direct("x.bin")
			if tc.https {
				f.DirectURL = "https://" + strings.TrimPrefix(f.DirectURL, "http://")
			}
			_, err = c.Download(t.Context(), f, e.dest, DownloadOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "gave up after") {
				t.Errorf("err %v, want one attempt failing with %q", err, tc.want)
			}
			if n := ct.n.Load(); n != tc.requests {
				t.Errorf("%d requests, want %d (one attempt)", n, tc.requests)
			}
			if got := tree(t, e.dest); len(got) != 0 {
				t.Errorf("left %v", got)
			}
		})
	}
}

// TestDownloadErrorsBlameTheRightHost: a 401 names the host that answered
// and says "API key rejected" only when the key was sent to it; a 404 at a
// redirect's target names the target, not the API host.
func TestDownloadErrorsBlameTheRightHost(t *testing.T) {
	e := newDLEnv(t, wandbtest.FileSpec{Name: "x.bin", Size: 1000})
	api := strings.TrimPrefix(e.srv.URL(), "http://")
	storage := strings.TrimPrefix(e.srv.StorageURL(), "http://")
	byURL := e.file("x.bin")

	// A signed URL that redirects to the API host, which wants the key:
	// none was sent, so the key was not rejected.
	e.srv.SetBodyFaults(wandbtest.Storage, wandbtest.BodyFaults{RedirectTo: byURL.URL})
	_, err := e.download(e.direct("x.bin"), DownloadOptions{})
	if err == nil || strings.Contains(err.Error(), "API key was rejected") || !strings.Contains(err.Error(), api) || !strings.Contains(err.Error(), "no API key was sent") {
		t.Errorf("signed URL redirected to the API host: %v", err)
	}
	e.srv.SetBodyFaults(wandbtest.Storage, wandbtest.BodyFaults{})

	// The API host under another name gets no key: not a signed URL.
	other := byURL
	other.URL = strings.Replace(byURL.URL, "127.0.0.1", "localhost", 1)
	_, err = e.download(other, DownloadOptions{})
	if err == nil || strings.Contains(err.Error(), "signed URL") || strings.Contains(err.Error(), "API key was rejected") ||
		!strings.Contains(err.Error(), "localhost:") || !strings.Contains(err.Error(), "no API key was sent") {
		t.Errorf("API host under another name: %v", err)
	}

	// The API host redirects to storage, which answers 404.
	e.srv.SetBodyFaults(wandbtest.FileURL, wandbtest.BodyFaults{RedirectTo: e.srv.StorageURL() + "/no-such-bucket/x.bin"})
	_, err = e.download(byURL, DownloadOptions{})
	if err == nil || !strings.Contains(err.Error(), "not found at "+storage) || strings.Contains(err.Error(), api) {
		t.Errorf("404 at the redirect's target: %v", err)
	}
}
