package tui

import (
	"strings"
	"testing"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb/runner"

	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// TestRowWidths renders rows of awkward names at many widths: every row
// is exactly the terminal width, in cells, and long names keep their end.
func TestRowWidths(t *testing.T) {
	s := DefaultStyles(true)
	names := []string{
		"config.yaml",
		"media/images/samples/a_very_long_folder_name_that_goes_on/and_on/step_01234_final_result.png",
		"données/résumé été 2026 (copie).txt",
		"日本語/ファイル名がとても長い場合のテスト用ファイル名.json",
		"emoji/🚀🔥 launch notes 🎉.md",
		"combining/e\u0301te\u0301.txt",
		"hostile/\x1b[31mred\x07.txt",
	}
	for _, w := range []int{40, 59, 60, 79, 80, 99, 100, 120, 200} {
		for _, name := range names {
			for _, sel := range []bool{false, true} {
				f := wandb.File{Name: name, SizeBytes: 1234, Mimetype: "text/plain", UpdatedAt: testNow.AddDate(0, 0, -3)}
				row := testRow(s, w, true, fileRow{file: f, mark: "*", job: runner.Job{State: runner.Queued}, hasJob: true}, sel, model.NewNeedle("e"))
				plain := ansi.Strip(row)
				if got := ansi.StringWidth(row); got != w {
					t.Errorf("width %d, %q: row is %d cells:\n%q", w, name, got, plain)
				}
				// The raw row: ansi.Strip would remove the very sequence
				// this looks for.
				if strings.Contains(row, "\x1b[31m") || strings.Contains(row, "\x07") {
					t.Errorf("control characters of %q reached the terminal", name)
				}
				if w >= 80 && !strings.Contains(plain, "3 days ago") {
					t.Errorf("width %d lacks the updated column: %q", w, plain)
				}
				if w < 80 && strings.Contains(plain, "ago") {
					t.Errorf("width %d still shows the updated column: %q", w, plain)
				}
			}
		}
	}
	// Middle truncation keeps the end of the name.
	row := ansi.Strip(testRow(s, 60, false, fileRow{file: wandb.File{Name: names[1], SizeBytes: -1}}, false, model.Needle{}))
	if !strings.Contains(row, "…") || !strings.Contains(row, "final_result.png") || !strings.Contains(row, "media/") {
		t.Fatalf("middle truncation lost an end: %q", row)
	}
	if !strings.HasSuffix(strings.TrimRight(row, " "), "?") {
		t.Fatalf("unknown size not shown as ?: %q", row)
	}
}

func TestShortTypeAndHelpers(t *testing.T) {
	for _, tt := range []struct{ name, mime, want string }{
		{"a.json", "application/json", "json"},
		{"a.txt", "text/plain; charset=utf-8", "text"},
		{"a.yaml", "application/x-yaml", "yaml"},
		{"w.safetensors", "application/octet-stream", "tensor"},
		{"optimizer.pt", "", "torch"},
		{"blob", "", "bin"},
		{"x.xlsx", "application/vnd.ms-excel", "ms-exc"},
	} {
		if got := shortType(wandb.File{Name: tt.name, Mimetype: tt.mime}); got != tt.want {
			t.Errorf("shortType(%s, %s) = %q; want %q", tt.name, tt.mime, got, tt.want)
		}
	}
	if h, ok := md5Hex("1B2M2Y8AsgTpgAmY7PhCfg=="); !ok || h != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("md5Hex = %q %v", h, ok)
	}
	if _, ok := md5Hex("not base64"); ok {
		t.Error("md5Hex accepted garbage")
	}
	u := shortenSigned("https://storage.example.com/b/k.txt?X-Goog-Date=20261120T120000Z&X-Goog-Signature=0123456789abcdef0123456789abcdef")
	if u != "https://storage.example.com/b/k.txt?X-Goog-Date=20261120T120000Z&X-Goog-Signature=012345…cdef" {
		t.Errorf("shortenSigned = %q", u)
	}
}

func TestRenderPreview(t *testing.T) {
	js := wandb.File{Name: "a.json", Mimetype: "application/json", SizeBytes: 13}
	if got := renderPreview(js, previewFetchedMsg{body: []byte(`{"a":[1,2]}`)}); !strings.Contains(got, "\"a\": [\n    1,") || !strings.Contains(got, "whole file") {
		t.Errorf("JSON not pretty-printed: %q", got)
	}
	bin := wandb.File{Name: "a.txt", Mimetype: "text/plain", SizeBytes: 4}
	if got := renderPreview(bin, previewFetchedMsg{body: []byte{0, 1, 2, 3}}); !strings.Contains(got, "binary") {
		t.Errorf("binary content previewed: %q", got)
	}
	long := wandb.File{Name: "a.log", SizeBytes: 5 << 20}
	got := renderPreview(long, previewFetchedMsg{body: []byte("line\x1b[2J\n\tx\n"), truncated: true})
	if strings.Contains(got, "\x1b") || !strings.Contains(got, "    x") || !strings.Contains(got, "first 12 B of 5.0 MiB") {
		t.Errorf("truncated preview %q", got)
	}
	if previewable(wandb.File{Name: "w.pt", Mimetype: "application/octet-stream"}) || !previewable(wandb.File{Name: "out.log"}) {
		t.Error("previewable by extension is wrong")
	}
}

// TestStateColumn checks the selection mark and the typed download state
// of a row: a running job's percentage, its bytes when the size is
// unknown, and the states' words, written out from 70 cells and short
// below, every row keeping the width.
func TestStateColumn(t *testing.T) {
	s := DefaultStyles(true)
	f := wandb.File{Name: "media/images/sample.png", SizeBytes: 1234, Mimetype: "image/png", UpdatedAt: testNow}
	running := func(done, total int64) runner.Job {
		return runner.Job{State: runner.Running, Done: done, Total: total}
	}
	cases := []struct {
		job         runner.Job
		wide, short string
	}{
		{runner.Job{State: runner.Queued}, "queued", "wait"},
		{running(37, 100), "37%", "37%"},
		{running(100, 100), "100%", "100%"},
		{runner.Job{State: runner.Done}, "done", "done"},
		{runner.Job{State: runner.UpToDate}, "up to date", "same"},
		{runner.Job{State: runner.Failed}, "failed", "fail"},
		{runner.Job{State: runner.Cancelled}, "cancelled", "stop"},
		{running(1258291, -1), "1.2 MiB", "1.2M"},
		{running(129394278, -1), "123 MiB", "123M"},
		{running(1294967296, -1), "1.2 GiB", "1.2G"},
	}
	for w := 40; w <= 100; w++ {
		if h := ansi.Strip(testTable(s, w, true, model.Needle{}).HeaderView()); !strings.Contains(h, "STATE") || ansi.StringWidth(h) != w {
			t.Errorf("width %d: header %q", w, h)
		}
		for _, c := range cases {
			want := c.wide
			if w < 70 {
				want = c.short
			}
			row := ansi.Strip(testRow(s, w, true, fileRow{file: f, mark: "*", job: c.job, hasJob: true}, false, model.Needle{}))
			if got := ansi.StringWidth(row); got != w {
				t.Errorf("width %d, %v: row is %d cells: %q", w, c.job.State, got, row)
			}
			if !strings.HasPrefix(row, "* ") || !strings.HasSuffix(strings.TrimRight(row, " "), want) {
				t.Errorf("width %d: row %q does not start with the mark and end in %q", w, row, want)
			}
		}
		// A file never queued has an empty state.
		row := ansi.Strip(testRow(s, w, true, fileRow{file: f}, false, model.Needle{}))
		if state := row[len(row)-compactStateWidth+1:]; strings.TrimSpace(state) != "" {
			t.Errorf("width %d: a file with no job shows a state: %q", w, row)
		}
	}
}

// TestSanitizeInvalidBytes checks that a lone byte that some terminals
// read as CSI (0x9b) never reaches them.
func TestSanitizeInvalidBytes(t *testing.T) {
	if got := termtext.Safe("a\x9b2Jb"); got != "a?2Jb" {
		t.Fatalf("sanitize = %q; want %q", got, "a?2Jb")
	}
	if got := termtext.Safe("résumé"); got != "résumé" {
		t.Fatalf("sanitize changed valid text: %q", got)
	}
}

// testTable is the files table at width w over an empty list.
func testTable(s Styles, w int, withState bool, needle model.Needle) Table[fileRow] {
	fr := &fileFrame{needle: needle, now: testNow}
	b := model.NewBrowser(wandb.RunInfo{}, 50, "", nil)
	c := common{width: w, height: 24, styles: s}
	return NewTable[fileRow](fileRows{Browser: b}, fileColumns(s, fr, withState), c)
}

// testRow draws one file row as the files list does at width w.
func testRow(s Styles, w int, withState bool, r fileRow, atCursor bool, needle model.Needle) string {
	return testTable(s, w, withState, needle).RowView(r, atCursor)
}
