package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
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
func detailWithPreview(m Model, body []byte) Model {
	mm, _ := m.openDetail()
	m = mm.(Model)
	mm, _ = m.Update(previewFetchedMsg{key: m.detail.key, body: body, truncated: true})
	return mm.(Model)
}

// TestDetailPreviewWrappedOnce checks that the preview is wrapped into the
// viewport's content (so frames need not measure it) and rewrapped on
// resize, without losing text.
func TestDetailPreviewWrappedOnce(t *testing.T) {
	long := "begin " + strings.Repeat("0123456789", 20) + " end"
	m := detailWithPreview(loadedModel(10, 80, 24), []byte("first\n"+long+"\nlast\n"))
	for _, w := range []int{80, 50} {
		mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		m = mm.(Model)
		if m.detail.vp.SoftWrap {
			t.Fatalf("width %d: the viewport soft wraps: every frame measures every line", w)
		}
		content := m.detail.vp.GetContent()
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
	m.detail.vp.GotoBottom()
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
			m.detail.vp.ScrollDown(1)
		} else {
			m.detail.vp.ScrollUp(1)
		}
		i++
		_ = m.View()
	}
}
