package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// newQuestions is an empty question queue at width w with two downloads
// unfinished.
func newQuestions(w int) questions {
	return questions{keys: keymap.Default(), width: w, unfinished: func() int { return 2 }}
}

// answerKey gives key k to qs and returns the answer it gave, if any.
func answerKey(t *testing.T, qs *questions, k string) (answeredMsg, bool) {
	t.Helper()
	var cmd tea.Cmd
	*qs, cmd = qs.Update(keyMsg(k))
	if cmd != nil {
		t.Fatalf("key %s gave a command", k)
	}
	return qs.Answered()
}

// bigPlan is a batch large enough to be asked about.
func bigPlan() runner.BatchPlan {
	return runner.PlanBatch(manyFiles(runner.ConfirmFiles+1, 1_234_567), 123<<30, 0)
}

// manyFiles is n files media/images/step_NNNNNN.png of size bytes each.
func manyFiles(n int, size int64) []wandb.File {
	files := make([]wandb.File, n)
	for i := range files {
		files[i] = wandb.File{Name: fmt.Sprintf("media/images/step_%06d.png", i), SizeBytes: size}
	}
	return files
}

// Two questions that opened on their own are asked one after the other,
// in the order they came; the quit question goes before both and is never
// queued twice.
func TestQuestionsQueueInTurn(t *testing.T) {
	qs := newQuestions(200)
	if qs.Pending() || qs.Open() || qs.View() != "" {
		t.Fatal("an empty queue asks something")
	}
	batch := question{kind: askBatch, own: true, plan: bigPlan()}
	sel := question{kind: askSelect, own: true, files: manyFiles(3, 10), what: "in the run"}
	qs.ask(batch)
	qs.ask(sel)
	if !strings.HasPrefix(qs.View(), "Download 101 files") {
		t.Fatalf("first asked %q, want the batch", qs.View())
	}
	qs.ask(question{kind: askQuit})
	qs.ask(question{kind: askQuit})
	if len(qs.queue) != 3 || !strings.HasPrefix(qs.View(), "2 downloads unfinished.") {
		t.Fatalf("%d queued, asking %q; want the quit question first, once", len(qs.queue), qs.View())
	}
	for _, step := range []struct {
		key  string
		kind questionKind
		a    answer
		next string // the question asked next, "" for none
	}{
		{"n", askQuit, answerNo, "Download 101 files"},
		{"y", askBatch, answerYes, "Select all 3 files in the run"},
		{"esc", askSelect, answerNo, ""},
	} {
		a, ok := answerKey(t, &qs, step.key)
		if !ok || a.q.kind != step.kind || a.a != step.a {
			t.Fatalf("%s: answered %v (kind %v, answer %v), want kind %v answer %v", step.key, ok, a.q.kind, a.a, step.kind, step.a)
		}
		if step.next == "" {
			if qs.Pending() {
				t.Fatalf("after %s still asking %q", step.key, qs.View())
			}
		} else if !strings.HasPrefix(qs.View(), step.next) {
			t.Fatalf("after %s asking %q, want %q", step.key, qs.View(), step.next)
		}
	}
	if _, ok := answerKey(t, &qs, "y"); ok {
		t.Fatal("an empty queue answered")
	}
}

// Enter, typed ahead, does not confirm a question that opened on its own;
// only the confirm letter does. It does confirm a question the user just
// asked for (quit), as do w (wait) and n.
func TestQuestionsEnterOnlyForAskedOnes(t *testing.T) {
	qs := newQuestions(120)
	qs.ask(question{kind: askSelect, own: true, files: manyFiles(2, 1), what: "in the run"})
	for _, k := range []string{"enter", "w", "j", "space"} {
		if _, ok := answerKey(t, &qs, k); ok || !qs.Open() {
			t.Fatalf("%s answered a question that opened on its own", k)
		}
	}
	if strings.Contains(fmt.Sprint(qs.Keys().Confirm.Keys()), "enter") {
		t.Fatal("enter is a confirm key of a question that opened on its own")
	}
	if a, ok := answerKey(t, &qs, "y"); !ok || a.a != answerYes || a.q.kind != askSelect || len(a.q.files) != 2 {
		t.Fatalf("y: %v %+v", ok, a)
	}

	for k, want := range map[string]answer{"enter": answerYes, "y": answerYes, "w": answerWait, "n": answerNo, "esc": answerNo} {
		qs.ask(question{kind: askQuit})
		if a, ok := answerKey(t, &qs, k); !ok || a.a != want || a.q.kind != askQuit {
			t.Fatalf("quit question, %s: %v %+v, want answer %v", k, ok, a, want)
		}
	}
	// w answers only the quit question.
	qs.ask(question{kind: askBatch, plan: bigPlan()})
	if _, ok := answerKey(t, &qs, "w"); ok {
		t.Fatal("w answered the batch question")
	}
}

// A held question (the user is in the filter line, the detail view or the
// help) takes no key and says where it will be asked; the quit question,
// asked on a key, is never held.
func TestQuestionsHeldTakesNoKeys(t *testing.T) {
	qs := newQuestions(120)
	qs.ask(question{kind: askSelect, own: true, files: manyFiles(2, 1), what: "in the run"})
	qs.hold(true)
	if qs.Open() || !qs.Pending() {
		t.Fatalf("held: open %v, pending %v", qs.Open(), qs.Pending())
	}
	for _, k := range []string{"y", "n", "esc", "enter"} {
		if _, ok := answerKey(t, &qs, k); ok {
			t.Fatalf("a held question took %s", k)
		}
	}
	if v := qs.View(); !strings.HasPrefix(v, "back in the list: Select all 2 files") {
		t.Fatalf("held view %q", v)
	}
	qs.ask(question{kind: askQuit})
	if !qs.Open() || !strings.HasPrefix(qs.View(), "2 downloads unfinished.") {
		t.Fatalf("the quit question is held: %q", qs.View())
	}
	if a, ok := answerKey(t, &qs, "n"); !ok || a.q.kind != askQuit {
		t.Fatal("n did not answer the quit question")
	}
	if qs.Open() {
		t.Fatal("the held question opened after the quit question")
	}
	qs.hold(false)
	if a, ok := answerKey(t, &qs, "y"); !ok || a.q.kind != askSelect {
		t.Fatal("y did not answer the question once let go")
	}
}

// msgRoot is a root model over a stepDL, driven by messages alone: no
// server, no command runs except the answers of questions.
type msgRoot struct {
	t  *testing.T
	m  *Model
	dl *stepDL
}

func newMsgRoot(t *testing.T, w, h int) *msgRoot {
	t.Helper()
	s := newStepDL()
	r := &msgRoot{t: t, m: New(Options{Flat: true, Downloader: s, Dest: t.TempDir()}), dl: s}
	t.Cleanup(r.m.Runner().Close)
	r.update(tea.WindowSizeMsg{Width: w, Height: h})
	return r
}

func (r *msgRoot) update(msg tea.Msg) tea.Cmd {
	mm, cmd := r.m.Update(msg)
	r.m = mm.(*Model)
	return cmd
}

// press sends key k (an answer is acted on at once) and returns the
// message of the command it gave, if any.
func (r *msgRoot) press(k string) tea.Msg {
	cmd := r.update(keyMsg(k))
	if cmd == nil {
		return nil
	}
	return cmd()
}

// screen is the frame without ANSI sequences.
func (r *msgRoot) screen() string { return ansi.Strip(r.m.View().Content) }

// The quit question asked over an open select question does not lose it:
// declining to quit asks it again, and it still selects.
func TestRootQuitQuestionKeepsTheOther(t *testing.T) {
	r := newMsgRoot(t, 120, 30)
	r.m.Runner().Add(wandb.File{Name: "running.bin", SizeBytes: 1}) // a download is active
	r.update(matchingFetchedMsg{what: "in the run", files: []wandb.File{{Name: "a"}, {Name: "b"}}})
	if q, _ := r.m.asks.front(); q.kind != askSelect {
		t.Fatalf("asking %v, want the select question", q.kind)
	}
	r.press("ctrl+c")
	if q, _ := r.m.asks.front(); q.kind != askQuit || !strings.Contains(lastLine(r.screen()), "1 download unfinished") {
		t.Fatalf("ctrl+c asked %v; footer %q", q.kind, lastLine(r.screen()))
	}
	r.press("n")
	if q, ok := r.m.asks.front(); !ok || q.kind != askSelect || !strings.HasPrefix(lastLine(r.screen()), "Select all 2 files in the run") {
		t.Fatalf("after declining to quit: asking %v %v, footer %q", ok, q.kind, lastLine(r.screen()))
	}
	r.press("y")
	if n := r.m.Selection().Len(); n != 2 || r.m.asks.Pending() {
		t.Fatalf("selected %d, still asking %v", n, r.m.asks.Pending())
	}
}

// Every question, opened through the messages that open it, fits the
// width from 40 to 200 columns with its answer keys on screen, in the
// list's footer and in the downloads view's status line.
func TestQuestionsFitTheWidth(t *testing.T) {
	const h = 20
	files := manyFiles(runner.ConfirmFiles+1, 1_234_567)
	open := map[string]func(r *msgRoot){
		"batch": func(r *msgRoot) {
			r.update(batchCheckedMsg{files: files, free: 123 << 30})
		},
		"select": func(r *msgRoot) {
			r.update(matchingFetchedMsg{what: `matching "media/images/*.png"`, files: files})
		},
		"quit": func(r *msgRoot) {
			r.m.Runner().Add(files...)
			if msg := r.press("q"); msg != nil {
				t.Fatalf("q while downloading gave %T", msg)
			}
		},
	}
	keys := keymap.Default()
	y, n, wait := keys.Confirm.Keys()[0], keys.Decline.Keys()[0], keys.Wait.Keys()[0]
	for name, opener := range open {
		// One root asks in the list, one in the downloads view: an open
		// question takes every key, tab included.
		list, jobs := newMsgRoot(t, 120, h), newMsgRoot(t, 120, h)
		jobs.press("tab")
		for _, r := range []*msgRoot{list, jobs} {
			opener(r)
			if !r.m.asks.Open() {
				t.Fatalf("%s in %s: no question open", name, r.m.State())
			}
		}
		for w := minWidth; w <= 200; w++ {
			list.update(tea.WindowSizeMsg{Width: w, Height: h})
			jobs.update(tea.WindowSizeMsg{Width: w, Height: h})
			p := list.m.asks.View()
			if cw := ansi.StringWidth(p); cw > w {
				t.Errorf("%s at %d: %d cells: %q", name, w, cw, p)
			}
			short := strings.HasSuffix(p, "? "+y+"/"+n)
			long := strings.Contains(p, " "+y+" ") && strings.Contains(p, " "+keys.Decline.Help().Key+" ")
			if !short && !long {
				t.Errorf("%s at %d: answers %s and %s missing from %q", name, w, y, n, p)
			}
			if name == "quit" && !strings.Contains(p, " "+wait+" ") {
				t.Errorf("quit at %d: wait key missing from %q", w, p)
			}
			if got := lastLine(list.screen()); strings.TrimRight(got, " ") != p {
				t.Errorf("%s at %d: list footer %q, want the whole question %q", name, w, got, p)
			}
			lines := strings.Split(jobs.screen(), "\n")
			if got := lines[h-2]; jobs.m.State() != "downloads" || strings.TrimRight(got, " ") != p {
				t.Errorf("%s at %d: downloads view (%s) status line %q, want the whole question %q", name, w, jobs.m.State(), got, p)
			}
		}
	}
}

// lastLine is the last line of s.
func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}
