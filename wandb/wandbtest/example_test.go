package wandbtest_test

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

func Example() {
	s, err := wandbtest.Start(wandbtest.Options{APIKey: "k"})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	s.AddRun(wandbtest.RunSpec{
		Entity: "me", Project: "proj", ID: "abc123", State: "finished",
		Files: []wandbtest.FileSpec{
			{Name: "config.yaml", Content: []byte("lr: 0.1\n")},
			{Name: "model.bin", Size: 10 << 20}, // generated, never held in memory
		},
	})
	// Every second body request is answered 429 with Retry-After: 1.
	s.SetFaults(wandbtest.FileURL, wandbtest.Faults{RateLimitEvery: 2, RetryAfter: time.Second})

	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("GET", s.URL()+"/files/me/proj/abc123/config.yaml", nil)
		req.SetBasicAuth("api", s.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%d %q %q\n", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	fmt.Println(s.Stats().FileRequests)
	// Output:
	// 200 "" "lr: 0.1\n"
	// 429 "1" "{\"errors\":[{\"message\":\"rate limit exceeded\"}]}\n"
	// 2
}
