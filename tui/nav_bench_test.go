package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb"
)

// BenchmarkRunsView draws the runs list with 100 and 100,000 runs
// loaded: the cost must not grow with the rows (only the window is
// drawn).
func BenchmarkRunsView(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("runs=%d", n), func(b *testing.B) {
			c := common{styles: DefaultStyles(true), keys: keymap.Default(), now: func() time.Time { return testNow }, width: 120, height: 40}
			l := newRunsLevel(c, 1, nil, "acme", "vision", "out", 50).(*picker[wandb.RunInfo])
			runs := make([]wandb.RunInfo, n)
			for i := range runs {
				runs[i] = wandb.RunInfo{Ref: wandb.RunRef{Entity: "acme", Project: "vision", RunID: fmt.Sprintf("r%07d", i)},
					DisplayName: fmt.Sprintf("run-%d", i), State: "finished", User: "alice", Tags: []string{"baseline"},
					CreatedAt: testNow.Add(-time.Duration(i) * time.Minute), FileCount: 12}
			}
			l.p.Append(runs...)
			l.setCommon(c, 34)
			l.p.Move(n / 2)
			b.ReportAllocs()
			for b.Loop() {
				_ = l.view("")
			}
		})
	}
}

// BenchmarkRunsScrollRequests scrolls through 300 runs a row at a time
// and reports the page requests it took: one per page of 50, asked only
// as the cursor nears the end.
func BenchmarkRunsScrollRequests(b *testing.B) {
	for b.Loop() {
		d := navDriver(b, Options{Entity: "wbfiles-lab", Project: "vit-ablations"}, 100, 30)
		pages := 1
		for range 299 {
			mm, cmd := d.m.Update(keyMsg("down"))
			d.m = mm.(*Model)
			pages += countLevelPages(d, cmd)
		}
		b.ReportMetric(float64(pages), "requests/300runs")
	}
}

// countLevelPages runs cmd, delivers the level pages it fetched and
// counts them.
func countLevelPages(d *driver, cmd tea.Cmd) int {
	d.run(cmd)
	n := 0
	for _, msg := range d.inbox {
		if _, ok := msg.(levelPageMsg); ok {
			n++
		}
	}
	d.settle()
	return n
}
