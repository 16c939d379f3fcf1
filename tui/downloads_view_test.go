package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// viewJobs fills d with one job in every state, driven through the queue
// the way the engine's messages drive it, with fixed times so speeds and
// times left are stable.
func viewJobs(d *Downloads) {
	at := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	files := []wandb.File{
		{Name: "config.yaml", SizeBytes: 1_234},
		{Name: "checkpoints/epoch-0001/model-weights-with-a-rather-long-name.safetensors", SizeBytes: 52_428_800},
		{Name: "media/images/sample_0001.png", SizeBytes: 300_000},
		{Name: "../evil", SizeBytes: 6},
		{Name: "output.log", SizeBytes: -1},
		{Name: "media/tables/metrics.table.json", SizeBytes: 4_096},
		{Name: "requirements.txt", SizeBytes: 880},
		{Name: "wandb-summary.json", SizeBytes: 2_000},
	}
	q := d.jobs
	q.Enqueue(files...)
	starts := q.Next(5)
	finish := func(s model.Start, st wandb.DownloadStatus) {
		q.Finished(s.ID, s.Attempt, wandb.DownloadResult{Name: s.File.Name, Path: "/data/out/" + s.File.Name, Status: st, Bytes: s.File.SizeBytes}, nil, at)
	}
	finish(starts[0], wandb.Downloaded)
	for i := range 11 { // 1 MB/s over 2 s
		q.Progressed(starts[1].ID, starts[1].Attempt, int64(i)*200_000, 52_428_800, at.Add(time.Duration(i)*200*time.Millisecond))
	}
	finish(starts[2], wandb.UpToDate)
	_, err := wandb.LocalPath("/data/out", "../evil")
	q.Finished(starts[3].ID, starts[3].Attempt, wandb.DownloadResult{}, err, at)
	q.Progressed(starts[4].ID, starts[4].Attempt, 70_000, -1, at)
	q.Cancel(5)
	// 6 and 7 stay queued; two running leave room for three more.
	starts = q.Next(4)
	if len(starts) != 2 {
		panic(fmt.Sprintf("want 2 more starts, got %d", len(starts)))
	}
	q.Cancel(starts[1].ID)
	q.Retry(starts[1].ID)
}

func TestDownloadsViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := NewDownloads(DownloadsOptions{Dest: "/data/out", Parallel: 4})
			d.SetSize(size[0], size[1])
			viewJobs(&d)
			d.moveCursor(3) // the failed job: its reason shows below
			out := ansi.Strip(d.View())
			lines := strings.Split(out, "\n")
			if len(lines) != size[1] {
				t.Fatalf("%d lines, want %d", len(lines), size[1])
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("line %d is %d cells wide: %q", i, w, l)
				}
			}
			golden.RequireEqual(t, out)
		})
	}
}

func TestDownloadsViewEmptyAndScrolling(t *testing.T) {
	d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
	d.SetSize(80, 12)
	if v := ansi.Strip(d.View()); !strings.Contains(v, "No downloads yet") {
		t.Fatalf("empty view:\n%s", v)
	}
	files := make([]wandb.File, 50)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("f%02d.txt", i), SizeBytes: 10}
	}
	d.jobs.Enqueue(files...)
	rows := d.jobRows() // 12 - 5 = 7
	for _, tc := range []struct {
		key        string
		cursor     int
		first, cur string
	}{
		{"down", 1, "f00.txt", "f01.txt"},
		{"pgdown", 1 + rows, "f02.txt", "f08.txt"},
		{"end", 49, "f43.txt", "f49.txt"},
		{"up", 48, "f43.txt", "f48.txt"},
		{"home", 0, "f00.txt", "f00.txt"},
	} {
		d, _ = d.Update(dlKey(tc.key))
		if d.Cursor() != tc.cursor {
			t.Fatalf("after %s: cursor %d, want %d", tc.key, d.Cursor(), tc.cursor)
		}
		v := ansi.Strip(d.View())
		body := strings.Split(v, "\n")[downloadsHeadLines:]
		if !strings.Contains(body[0], tc.first) {
			t.Fatalf("after %s: first row %q, want %s", tc.key, body[0], tc.first)
		}
		if !strings.Contains(v, "> queued     "+tc.cur) {
			t.Fatalf("after %s: cursor not on %s:\n%s", tc.key, tc.cur, v)
		}
	}
}

func TestDownloadsStateColumn(t *testing.T) {
	d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
	viewJobs(&d)
	for name, want := range map[string]string{
		"config.yaml":                     "done",
		"media/images/sample_0001.png":    "up to date",
		"../evil":                         "failed",
		"output.log":                      "68 KiB", // size unknown: bytes so far
		"media/tables/metrics.table.json": "cancelled",
		"requirements.txt":                "0%",
		"wandb-summary.json":              "queued",
		"never-queued":                    "",
	} {
		if got := d.State(name); got != want {
			t.Errorf("State(%q) = %q, want %q", name, got, want)
		}
	}
	if got := d.State("checkpoints/epoch-0001/model-weights-with-a-rather-long-name.safetensors"); got != "4%" {
		t.Errorf("running state = %q, want 4%%", got)
	}
}

func TestDownloadsViewFitsEverySize(t *testing.T) {
	for w := 40; w <= 140; w += 5 {
		for h := 10; h <= 40; h += 6 {
			d := NewDownloads(DownloadsOptions{Dest: "/a/rather/long/destination/folder/for/the/downloads", Parallel: 4})
			d.SetSize(w, h)
			viewJobs(&d)
			for _, prompt := range []bool{false, true} {
				if prompt {
					d.AskQuit()
				}
				lines := strings.Split(ansi.Strip(d.View()), "\n")
				if len(lines) != h {
					t.Fatalf("%dx%d (prompt %v): %d lines", w, h, prompt, len(lines))
				}
				for i, l := range lines {
					if cw := ansi.StringWidth(l); cw > w {
						t.Fatalf("%dx%d (prompt %v): line %d is %d cells: %q", w, h, prompt, i, cw, l)
					}
				}
			}
		}
	}
}
