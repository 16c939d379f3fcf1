package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

func TestDownloadsViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := viewJobs(t, "/data/out", size[0], size[1])
			d.moveCursor(3) // the failed job: its reason shows below
			out := ansi.Strip(d.View(""))
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

// emptyRunner is a runner with no job.
func emptyRunner(t testing.TB) *runner.Runner {
	r := runner.New(newStepDL(), runner.Options{Dest: "/data/out"})
	t.Cleanup(r.Close)
	return r
}

func TestDownloadsViewEmptyAndScrolling(t *testing.T) {
	r := emptyRunner(t)
	d := newJobsView(testCommon(80, 12), r, "/data/out")
	if v := ansi.Strip(d.View("")); !strings.Contains(v, "No downloads yet") {
		t.Fatalf("empty view:\n%s", v)
	}
	files := make([]wandb.File, 50)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("f%02d.txt", i), SizeBytes: 10}
	}
	r.Add(files...)
	rows := d.jobRows() // 12 - 5 = 7
	if rows != 7 {
		t.Fatalf("%d job rows at 12 lines, want 7", rows)
	}
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
		d, _ = d.Update(keyMsg(tc.key))
		if d.Cursor() != tc.cursor {
			t.Fatalf("after %s: cursor %d, want %d", tc.key, d.Cursor(), tc.cursor)
		}
		v := ansi.Strip(d.View(""))
		body := strings.Split(v, "\n")[downloadsHeadLines:]
		if !strings.Contains(body[0], tc.first) {
			t.Fatalf("after %s: first row %q, want %s", tc.key, body[0], tc.first)
		}
		var atCursor []string
		for _, l := range body[:rows] {
			if strings.HasPrefix(l, "> ") {
				atCursor = append(atCursor, l)
			}
		}
		if len(atCursor) != 1 || !strings.Contains(atCursor[0], " "+tc.cur) {
			t.Fatalf("after %s: cursor rows %q, want one on %s:\n%s", tc.key, atCursor, tc.cur, v)
		}
	}
}

// The state column (the list's and the detail view's word for a job)
// says what each job is at.
func TestJobStateText(t *testing.T) {
	r := viewRunner(t, "/data/out")
	for name, want := range map[string]string{
		"config.yaml": "done",
		"checkpoints/epoch-0001/model-weights-with-a-rather-long-name.safetensors": "4%",
		"media/images/sample_0001.png":                                             "up to date",
		"../evil":                                                                  "failed",
		"output.log":                                                               "68 KiB", // size unknown: bytes so far
		"media/tables/metrics.table.json":                                          "cancelled",
		"requirements.txt":                                                         "0%",
		"wandb-summary.json":                                                       "queued",
	} {
		j, ok := r.Lookup(name)
		if !ok {
			t.Fatalf("no job for %s", name)
		}
		if got := jobStateText(j); got != want {
			t.Errorf("state of %q = %q, want %q", name, got, want)
		}
	}
}

// A row of the list carries its selection mark and its job.
func TestDownloadsDecorate(t *testing.T) {
	r := emptyRunner(t)
	d := &downloads{run: r, dest: r.Dest(), sel: &model.Selection{}}
	f := wandb.File{Name: "a.txt", SizeBytes: 3}
	if row := d.decorate(f); row.mark != "" || row.hasJob || row.stateText() != "" {
		t.Fatalf("fresh: %+v", row)
	}
	d.sel.Toggle(f)
	r.Add(f, wandb.File{Name: "b.txt", SizeBytes: 3}) // a.txt runs, b.txt waits
	r.Cancel("b.txt")
	if row := d.decorate(f); row.mark != SelectedMark || !row.hasJob || row.stateText() != "0%" {
		t.Fatalf("selected and running: %q %q", row.mark, row.stateText())
	}
	if row := d.decorate(wandb.File{Name: "b.txt"}); row.mark != "" || row.stateText() != "cancelled" {
		t.Fatalf("cancelled: %q %q", row.mark, row.stateText())
	}
}

// x cancels the job under the cursor in its own folder: an artifact's
// config.yaml, not the run's of the same name.
func TestDownloadsViewCancelsTheJobOfItsFolder(t *testing.T) {
	r := emptyRunner(t)
	f := wandb.File{Name: "config.yaml", SizeBytes: 3}
	art := "/data/out/model/v3"
	r.AddTo(art, f)
	r.Add(f)
	d := newJobsView(testCommon(80, 12), r, "/data/out")
	d, _ = d.Update(keyMsg("x"))
	if j, _ := r.LookupIn(art, f.Name); j.State != runner.Cancelled {
		t.Fatalf("the artifact's job under the cursor: %v, want cancelled", j.State)
	}
	if j, _ := r.Lookup(f.Name); j.State != runner.Running {
		t.Fatalf("the run's job: %v, want still running", j.State)
	}
	d, _ = d.Update(keyMsg("down"))
	d.Update(keyMsg("x"))
	if j, _ := r.Lookup(f.Name); j.State != runner.Cancelled {
		t.Fatalf("the run's job under the cursor: %v, want cancelled", j.State)
	}
}

// The downloads view fits every size, with and without the quit question
// in its status line, drawn by the root as the program draws it.
func TestDownloadsViewFitsEverySize(t *testing.T) {
	s := newStepDL()
	m := New(Options{Flat: true, Downloader: s, Dest: "/a/rather/long/destination/folder/for/the/downloads", Parallel: 3})
	fillViewJobs(t, s, m.Runner(), nil)
	t.Cleanup(m.Runner().Close)
	update := func(msg tea.Msg) {
		mm, _ := m.Update(msg)
		m = mm.(*Model)
	}
	update(tea.WindowSizeMsg{Width: 100, Height: 30})
	update(keyMsg("tab"))
	if m.State() != "downloads" {
		t.Fatalf("tab: %s", m.State())
	}
	for w := 40; w <= 140; w += 5 {
		for h := 10; h <= 40; h += 6 {
			update(tea.WindowSizeMsg{Width: w, Height: h})
			for _, asking := range []bool{false, true} {
				if asking {
					update(keyMsg("q"))
					if !m.asks.Open() {
						t.Fatalf("%dx%d: q while downloading did not ask", w, h)
					}
				}
				frame := ansi.Strip(m.View().Content)
				lines := strings.Split(frame, "\n")
				if len(lines) != h {
					t.Fatalf("%dx%d (asking %v): %d lines", w, h, asking, len(lines))
				}
				for i, l := range lines {
					if cw := ansi.StringWidth(l); cw > w {
						t.Fatalf("%dx%d (asking %v): line %d is %d cells: %q", w, h, asking, i, cw, l)
					}
				}
				if asking {
					if q := lines[h-2]; !strings.Contains(q, "unfinished") && !strings.HasPrefix(q, "Quit?") {
						t.Fatalf("%dx%d: the question is not above the footer: %q", w, h, q)
					}
					update(keyMsg("n"))
				}
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
	empty := emptyRunner(t)
	full := viewRunner(t, "/data/out")
	for w := minWidth; w <= 140; w++ {
		c := layoutDownloadColumns(w)
		if need := min(w/2, 60); w >= 50 && c.name < need {
			t.Errorf("at %d the name has %d cells, want at least %d", w, c.name, need)
		}
		if got := dlCursorWidth + dlStateWidth + c.name + c.rest(); got != w {
			t.Errorf("at %d the columns take %d cells", w, got)
		}
		d := newJobsView(testCommon(w, 10), empty, "/data/out")
		var hint []string
		for _, l := range strings.Split(ansi.Strip(d.View("")), "\n")[downloadsHeadLines:] {
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
		d = newJobsView(testCommon(w, 10), full, "/data/out")
		v := ansi.Strip(d.View(""))
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
	d := newJobsView(testCommon(80, 24), emptyRunner(t), "/data/out")
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
	r := viewRunner(t, "/data/out")
	for _, w := range []int{40, 50, 60, 80} {
		d := newJobsView(testCommon(w, 12), r, "/data/out")
		d.moveCursor(2) // up to date: /data/out/media/images/sample_0001.png
		line := ansi.Strip(d.detailLine())
		if !strings.HasPrefix(line, "up to date: /") || !strings.HasSuffix(line, "sample_0001.png") || ansi.StringWidth(line) > w {
			t.Errorf("at %d: detail line %q", w, line)
		}
	}
}

// TestRetryingDownloadSaysSo checks that a download waiting to retry says
// so, with its cause, in its rows (the list's STATE column and the
// downloads view) and in the line under the downloads view, and that a
// stalled one says it stalled: before, both read as a running 0%.
func TestRetryingDownloadSaysSo(t *testing.T) {
	s := newStepDL()
	m := New(Options{Flat: true, Downloader: s, Dest: t.TempDir(), Parallel: 1})
	t.Cleanup(m.Runner().Close)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	f := wandb.File{Name: "checkpoints/model.safetensors", SizeBytes: 1 << 20}
	m.Runner().Add(f)
	report := func(p wandb.Progress) {
		a := stepAction{progress: &p, done: make(chan struct{})}
		s.call(t, f.Name).steps <- a
		<-a.done
	}
	report(wandb.Progress{Name: f.Name, Done: 1000, Total: 1 << 20, Retry: 2, RetryOf: 5, Reason: "503 Service Unavailable"})
	row := m.dl.decorate(f)
	if got := row.stateText(); got != "retry 2/5" {
		t.Fatalf("state column %q", got)
	}
	if got := compactState(row); got != "retry" {
		t.Fatalf("narrow state column %q", got)
	}
	m.Update(keyMsg("tab"))
	scr := ansi.Strip(m.View().Content)
	if !strings.Contains(scr, "retrying (2/5): 503 Service Unavailable: checkpoints/model.safetensors") {
		t.Fatalf("the downloads view does not say why it waits:\n%s", scr)
	}
	if text := m.jobText(f.Name); !strings.Contains(text, "retrying (2/5): 503") {
		t.Fatalf("detail line %q", text)
	}
	report(wandb.Progress{Name: f.Name, Done: 1000, Total: 1 << 20, Stalled: true, Reason: "no byte for 60s"})
	if got := m.dl.decorate(f).stateText(); got != "stalled" {
		t.Fatalf("stalled job's state column %q", got)
	}
}

// TestQuietFrameDrawsNothing checks that a frame tick that finds the
// runner as it was does not draw the frame again, and that one that finds
// a change does.
func TestQuietFrameDrawsNothing(t *testing.T) {
	s := newStepDL()
	m := New(Options{Flat: true, Downloader: s, Dest: t.TempDir(), Parallel: 1})
	t.Cleanup(m.Runner().Close)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	f := wandb.File{Name: "a.bin", SizeBytes: 1000}
	m.Update(filesRefreshedMsg{files: []wandb.File{f}})
	s.progress(t, f.Name, 100, 1000)
	m.Update(frameMsg{})
	before := m.View().Content
	if !strings.Contains(ansi.Strip(before), "10%") {
		t.Fatalf("the frame after progress:\n%s", ansi.Strip(before))
	}
	// Nothing changed since: the frame is the one already drawn, even if
	// something the frame shows moved without a message (it never does
	// in the program; here it proves nothing was drawn).
	m.status = "not drawn"
	m.Update(frameMsg{})
	if got := m.View().Content; got != before {
		t.Fatal("a quiet frame tick drew the frame again")
	}
	s.progress(t, f.Name, 500, 1000)
	m.Update(frameMsg{})
	if got := ansi.Strip(m.View().Content); !strings.Contains(got, "50%") {
		t.Fatalf("a frame tick after progress did not draw it:\n%s", got)
	}
}
