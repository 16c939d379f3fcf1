package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/wandbtest"
)

// bigLog is n bytes of log lines, some longer than any terminal.
func bigLog(n int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&b, "step %d %s\n", i, strings.Repeat("long-token ", 30))
		} else {
			fmt.Fprintf(&b, "step %d loss=%.4f lr=3e-4\n", i, 1/float64(i+1))
		}
	}
	return []byte(b.String()[:n])
}

// detailWithPreview opens the detail view of the file under the cursor
// and hands it body as its fetched preview.
func detailWithPreview(m *Model, body []byte) *Model {
	m.openDetail()
	m.Update(previewFetchedMsg{key: m.detail.key, gen: m.detail.gen, body: body, truncated: true})
	return m
}

// TestDetailPreviewWrappedOnce checks that the preview is wrapped into the
// pager's lines (so frames need not measure it) and rewrapped on resize,
// without losing text.
func TestDetailPreviewWrappedOnce(t *testing.T) {
	long := "begin " + strings.Repeat("0123456789", 20) + " end"
	m := detailWithPreview(loadedModel(10, 80, 24), []byte("first\n"+long+"\nlast\n"))
	for _, w := range []int{80, 50} {
		mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		m = mm.(*Model)
		p := m.detail.vp
		lines := make([]string, p.len())
		for i := range lines {
			lines[i] = p.line(i)
		}
		content := strings.Join(lines, "\n")
		for i, line := range strings.Split(content, "\n") {
			if got := ansi.StringWidth(line); got > w {
				t.Fatalf("width %d: content line %d is %d cells wide: %q", w, i, got, ansi.Strip(line))
			}
		}
		if joined := strings.ReplaceAll(ansi.Strip(content), "\n", ""); !strings.Contains(joined, long) {
			t.Fatalf("width %d: the long line was not kept whole across the wrap", w)
		}
	}
	// Scrolling to the end shows the last line.
	m.detail.vp.scrollTo(m.detail.vp.len())
	if s := ansi.Strip(m.View().Content); !strings.Contains(s, "last") {
		t.Fatalf("the bottom of the preview is not shown:\n%s", s)
	}
}

// BenchmarkDetailFrame is one frame of the detail view showing a 1 MiB
// preview at 80 columns, scrolled one line each time, as download
// progress or a key press redraws it.
func BenchmarkDetailFrame(b *testing.B) {
	m := detailWithPreview(loadedModel(10, 80, 24), bigLog(1<<20))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			m.detail.vp.scrollTo(m.detail.vp.off + 1)
		} else {
			m.detail.vp.scrollTo(m.detail.vp.off - 1)
		}
		i++
		_ = m.View()
	}
}

// BenchmarkDetailJobUpdate is a download progress change of the file the
// detail view shows, with a 1 MiB preview at 80 columns: its state line
// is rebuilt, the wrapped preview reused.
func BenchmarkDetailJobUpdate(b *testing.B) {
	m := detailWithPreview(loadedModel(10, 80, 24), bigLog(1<<20))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.detail.job = fmt.Sprintf("running %d%%", i%100)
		m.detail.refresh()
		i++
	}
}

// TestDetailScrollKeys drives the detail view's scrolling keys over a
// long preview: the title's percentage and the lines shown follow, and
// scrolling stops at both ends.
func TestDetailScrollKeys(t *testing.T) {
	var body strings.Builder
	for i := range 200 {
		fmt.Fprintf(&body, "preview line %03d\n", i)
	}
	m := detailWithPreview(loadedModel(10, 80, 24), []byte(body.String()))
	press := func(k string) string {
		mm, _ := m.Update(keyMsg(k))
		m = mm.(*Model)
		return ansi.Strip(m.View().Content)
	}
	if s := press("G"); !strings.Contains(s, "preview line 199") || !strings.Contains(s, "100%") {
		t.Fatalf("G does not show the end:\n%s", s)
	}
	if s := press("j"); !strings.Contains(s, "preview line 199") {
		t.Fatalf("scrolled past the end:\n%s", s)
	}
	top := m.detail.vp.off
	press("pgup")
	if got := m.detail.vp.off; got != top-m.detail.vp.height {
		t.Fatalf("pgup moved from %d to %d; want one page (%d lines)", top, got, m.detail.vp.height)
	}
	press("k")
	if got := m.detail.vp.off; got != top-m.detail.vp.height-1 {
		t.Fatalf("k moved to %d", got)
	}
	if s := press("g"); !strings.Contains(s, "  0%") || !strings.Contains(s, "name") {
		t.Fatalf("g does not show the top:\n%s", s)
	}
	press("k")
	if m.detail.vp.off != 0 {
		t.Fatal("scrolled above the top")
	}
	for _, line := range strings.Split(m.View().Content, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Fatalf("a line is %d cells wide", w)
		}
	}
}

// TestLeavingDetailCancelsPreview checks that a preview still loading is
// stopped when the view is left, instead of downloading on for minutes,
// and that its answer is then neither cached nor shown.
func TestLeavingDetailCancelsPreview(t *testing.T) {
	srv, c := newServer(t, numberedRun("r1", 3))
	info := openRun(t, c, "ent/proj/r1")
	m := New(Options{Flat: true, Source: c, Run: info, Now: func() time.Time { return testNow }, Dest: t.TempDir()})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	f := wandb.File{Name: "dir0/file00000.txt", URL: srv.URL() + "/files/ent/proj/r1/dir0/file00000.txt", Mimetype: "text/plain", SizeBytes: 17}
	srv.SetFaults(wandbtest.AllTargets, wandbtest.Faults{Latency: 30 * time.Second})
	d, cmd := newDetailView(m.common, f, t.TempDir(), "", m.previews, c, 1)
	answers := make(chan tea.Msg, 8)
	go func() { collect(cmd, answers) }()
	d, _ = d.Update(keyMsg("esc"))
	if !d.Closed() {
		t.Fatal("esc did not close the detail view")
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case msg := <-answers:
			p, ok := msg.(previewFetchedMsg)
			if !ok {
				continue
			}
			if !errors.Is(p.err, context.Canceled) {
				t.Fatalf("the preview ended with %v; want it cancelled", p.err)
			}
			m.previews.put(p)
			if _, cached := m.previews.get(p.key); cached {
				t.Fatal("a cancelled preview was cached")
			}
			return
		case <-deadline:
			t.Fatal("the preview was still loading 5 s after the view was left")
		}
	}
}

// collect runs cmd and its batched commands, sending their messages to out.
func collect(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			go collect(c, out)
		}
		return
	}
	out <- msg
}
