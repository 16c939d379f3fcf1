package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wbfiles/wbfiles/internal/termtext"

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

// TestDownloadsPromptFitsWidth opens each question through the messages
// that open it and checks that, at every width the program draws, the
// question fits on its line with its answer keys still on it.
func TestDownloadsPromptFitsWidth(t *testing.T) {
	files := make([]wandb.File, model.ConfirmFiles+1)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("media/images/step_%06d.png", i), SizeBytes: 1_234_567}
	}
	open := map[string]func(d Downloads) Downloads{
		"batch": func(d Downloads) Downloads {
			d, _ = d.Update(downloadBatchCheckedMsg{files: files, free: 123 << 30})
			return d
		},
		"select": func(d Downloads) Downloads {
			d, _ = d.Update(matchingFetchedMsg{what: `matching "media/images/*.png"`, files: files})
			return d
		},
		"quit": func(d Downloads) Downloads {
			d.jobs.Enqueue(files...)
			d.AskQuit()
			return d
		},
	}
	for name, opener := range open {
		for w := minWidth; w <= 140; w++ {
			d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
			d.SetSize(w, 20)
			d = opener(d)
			if !d.Prompting() {
				t.Fatalf("%s: no question open", name)
			}
			p := d.PromptText()
			if cw := ansi.StringWidth(p); cw > w {
				t.Errorf("%s at %d: %d cells: %q", name, w, cw, p)
			}
			y, n := d.keys.Confirm.Keys()[0], d.keys.Decline.Keys()[0]
			short := strings.HasSuffix(p, "? "+y+"/"+n)
			long := strings.Contains(p, " "+y+" ") && strings.Contains(p, " "+d.keys.Decline.Help().Key+" ")
			if !short && !long {
				t.Errorf("%s at %d: answers %s and %s missing from %q", name, w, y, n, p)
			}
			if name == "quit" && !strings.Contains(p, d.keys.Wait.Keys()[0]+" ") {
				t.Errorf("quit at %d: wait key missing from %q", w, p)
			}
			if last := strings.Split(ansi.Strip(d.View()), "\n")[19]; strings.TrimRight(last, " ") != p {
				t.Errorf("%s at %d: status line %q, want the whole question %q", name, w, last, p)
			}
		}
	}
}

// TestDownloadsViewNameRoom checks that the name keeps most of the width
// as columns drop (at least half of it, up to 60, from 50 columns on),
// that a long name keeps its end, that the overall bar stays with the
// bytes, and that the empty view's hint fits by itself, all of it, at
// every width.
func TestDownloadsViewNameRoom(t *testing.T) {

	for w := minWidth; w <= 140; w++ {
		c := layoutDownloadColumns(w)
		if need := min(w/2, 60); w >= 50 && c.name < need {
			t.Errorf("at %d the name has %d cells, want at least %d", w, c.name, need)
		}
		if got := dlCursorWidth + dlStateWidth + c.name + c.rest(); got != w {
			t.Errorf("at %d the columns take %d cells", w, got)
		}
		d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
		d.SetSize(w, 10)
		empty := strings.Split(ansi.Strip(d.View()), "\n")
		var hint []string
		for _, l := range empty[downloadsHeadLines:] {
			if cw := ansi.StringWidth(l); cw > w {
				t.Fatalf("empty view at %d: %d cells: %q", w, cw, l)
			}
			if l = strings.TrimSpace(l); l != "" {
				hint = append(hint, l)
			}
		}
		if text := strings.Join(hint, " "); !strings.HasPrefix(text, "No downloads yet:") || !strings.HasSuffix(text, "then press d.") {
			t.Errorf("empty view at %d: hint %q", w, text)
		}
		viewJobs(&d)
		v := ansi.Strip(d.View())
		if overall := strings.Split(v, "\n")[1]; !strings.ContainsAny(overall, "█░") || !strings.Contains(overall, "2.3 MiB / 50 MiB") {
			t.Errorf("at %d the overall line lost its bar or its bytes: %q", w, overall)
		}
		if !strings.Contains(v, "name.safetensors") {
			t.Errorf("at %d the end of the long name is lost:\n%s", w, v)
		}
		if !strings.Contains(v, "checkpoi") {
			t.Errorf("at %d the start of the long name is lost:\n%s", w, v)
		}

	}
}

// TestDownloadsJobName checks that a job's name reads as the list's does
// (the same text at every width, wide characters included) with its
// folder part dimmed.
func TestDownloadsJobName(t *testing.T) {
	d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
	for _, name := range []string{
		"config.yaml",
		"checkpoints/epoch-0001/model-weights-with-a-rather-long-name.safetensors",
		"a/b/c/d/e/f/g/h/i/j/deep_file.txt",
		"媒体/图像/样本_0001_非常长的文件名.png",
		"bad\x1b[2Jname/\ttab.txt",
	} {
		for w := 1; w <= 80; w++ {
			got := d.jobName(name, w, false)
			want := renderName(d.styles, false, termtext.Safe(name), model.Needle{}, w)
			if ansi.Strip(got) != ansi.Strip(want) {
				t.Fatalf("%q at %d: %q, the list has %q", name, w, ansi.Strip(got), ansi.Strip(want))
			}
			if cw := ansi.StringWidth(got); cw != w {
				t.Fatalf("%q at %d: %d cells", name, w, cw)
			}
			// The raw output: ansi.Strip would remove the name's own
			// sequence along with the styles'.
			if strings.Contains(got, "\x1b[2J") || strings.Contains(got, "\t") {
				t.Fatalf("%q at %d: control character left: %q", name, w, got)
			}
		}
	}
	name := "checkpoints/step_01000/optimizer.pt"
	if got, want := d.jobName(name, 60, false), d.styles.Subtle.Render("checkpoints/step_01000/"); !strings.HasPrefix(got, want) {
		t.Errorf("folder not dimmed: %q, want it to start with %q", got, want)
	}
	if got := d.jobName(name, 60, true); got != renderName(d.styles, true, name, model.Needle{}, 60) {
		t.Errorf("cursor row %q differs from the list's", got)
	}
}

// TestDownloadsDetailLineKeepsFileName checks that the line under the rows
// shortens a long local path in the middle, keeping the file name.
func TestDownloadsDetailLineKeepsFileName(t *testing.T) {
	for _, w := range []int{40, 50, 60, 80} {
		d := NewDownloads(DownloadsOptions{Dest: "/data/out"})
		d.SetSize(w, 12)
		viewJobs(&d)
		d.moveCursor(2) // up to date: /data/out/media/images/sample_0001.png
		line := ansi.Strip(d.detailLine())
		if !strings.HasPrefix(line, "up to date: /") || !strings.HasSuffix(line, "sample_0001.png") || ansi.StringWidth(line) > w {
			t.Errorf("at %d: detail line %q", w, line)
		}
	}
}
