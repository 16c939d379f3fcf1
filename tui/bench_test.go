package tui

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// loadedModel returns a root model at w x h with n files loaded through
// the paging state machine, as pages of 1,000 would arrive. It is wired as
// the program is (selection and download columns), with every other file
// selected, so the rows pay for their marks and states.
func loadedModel(n, w, h int) *Model {
	// A client that is never asked anything: it only enables downloads.
	c, err := wandb.NewClient(wandb.Config{BaseURL: "http://127.0.0.1:1", APIKey: testKey})
	if err != nil {
		panic(err)
	}
	m := New(Options{Flat: true, Run: wandb.RunInfo{Ref: wandb.RunRef{Entity: "e", Project: "p", RunID: "r"}, FileCount: n * 2},
		Downloader: c, Now: func() time.Time { return testNow }})
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m = mm.(*Model)
	for start := 0; start < n; start += 1000 {
		req, _ := m.browser.Next()
		var page wandb.FilesPage
		for i := start; i < min(start+1000, n); i++ {
			page.Files = append(page.Files, wandb.File{
				ID: fmt.Sprint(i), Name: fmt.Sprintf("media/images/step_%06d/sample_%d.png", i/8, i%8),
				SizeBytes: int64(i * 37 % 100000), Mimetype: "image/png", UpdatedAt: testNow.Add(-time.Duration(i) * time.Minute),
			})
		}
		page.HasNextPage, page.EndCursor = true, fmt.Sprint(start+1000)
		m.browser.Receive(req.Gen, page, nil)
	}
	for i, f := range m.browser.Files() {
		if i%2 == 0 {
			m.Selection().Toggle(f)
		}
	}
	m.browser.SetCursor(n / 2)
	return m
}

// BenchmarkView draws the list's frame with 100 and with 100,000 loaded
// files; the cost must not depend on the count (compare the two ns/op).
func BenchmarkView(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			m := loadedModel(n, 120, 40)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.frame() // drawn afresh: View would hand back the cached frame
			}
		})
	}
}

// BenchmarkKeyDown is one cursor move (Update) with 100 and 100,000
// loaded files: O(1), no re-sorting or re-filtering.
func BenchmarkKeyDown(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			m := loadedModel(n, 120, 40)
			m.browser.SetNarrowing("") // paging off is not needed: no Source calls when not near the end
			down, up := keyMsg("j"), keyMsg("k")
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				k := down
				if i%2 == 1 {
					k = up
				}
				mm, _ := m.Update(k)
				m = mm.(*Model)
				i++
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the renderer and the benchmark.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

func (s *syncBuffer) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// settle waits until the renderer has written something and then nothing
// for a few frames, and returns what it wrote.
func (s *syncBuffer) settle(b *testing.B) string {
	deadline := time.Now().Add(5 * time.Second)
	last, stable := -1, 0
	for time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n := s.len()
		if n > 0 && n == last {
			if stable++; stable >= 4 {
				return s.take()
			}
		} else {
			stable = 0
		}
		last = n
	}
	b.Fatal("the program wrote nothing")
	return ""
}

// BenchmarkScrollBytes measures the bytes a real program writes to the
// terminal at 120x40 (true colour) for one key press: "move" moves the
// cursor one row inside the window, "scroll" moves it past the window's
// last row so every row shifts by one. Report: B/key.
func BenchmarkScrollBytes(b *testing.B) {
	_, c := newDemo(b)
	info := openRun(b, c, wandbtest.DemoSweepRun)
	for _, mode := range []string{"move", "scroll"} {
		b.Run(mode, func(b *testing.B) {
			var out syncBuffer
			m := New(Options{Flat: true, Source: c, Run: info, PageSize: 1000, Dest: b.TempDir(), Now: func() time.Time { return testNow }})
			p := tea.NewProgram(m, tea.WithOutput(&out), tea.WithInput(strings.NewReader("")),
				tea.WithWindowSize(120, 40), tea.WithoutSignals(), tea.WithColorProfile(colorprofile.TrueColor))
			done := make(chan struct{})
			go func() { p.Run(); close(done) }()
			defer func() { p.Quit(); <-done }()
			for !strings.Contains(out.settle(b), "1,000") {
			}
			if mode == "scroll" {
				for range 33 { // to the window's last row (34 rows at 120x40)
					p.Send(keyMsg("j"))
				}
				out.settle(b)
			}
			var total, keys int
			for i := 0; b.Loop(); i++ {
				k := "j"
				if mode == "move" && i%2 == 1 {
					k = "k"
				}
				if mode == "scroll" && i > 0 && i%400 == 0 {
					b.StopTimer()
					for range 400 {
						p.Send(keyMsg("k"))
					}
					out.settle(b)
					b.StartTimer()
				}
				p.Send(keyMsg(k))
				total += len(out.settle(b))
				keys++
			}
			b.ReportMetric(float64(total)/float64(keys), "B/key")
		})
	}
}
