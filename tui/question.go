package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/keymap"
	"github.com/wbfiles/wbfiles/wandb"
	"github.com/wbfiles/wbfiles/wandb/runner"
)

// questionKind is what a question asks.
type questionKind int

const (
	askBatch  questionKind = iota // download a large batch?
	askSelect                     // select every file that matches on the server?
	askQuit                       // quit while downloads run?
)

// answer is how a question was answered.
type answer int

const (
	answerYes answer = iota
	answerNo
	answerWait // quit once the downloads are done (the quit question)
)

// question is one question to the user with what its answer acts on.
type question struct {
	kind questionKind
	// own is set for a question that opened on its own (a listing or a
	// free space check came back), not on a key: keys typed ahead must not
	// answer it, so enter does not confirm it, only the confirm letter.
	own bool
	// plan is the batch of askBatch; fromSel says it is the selection.
	plan    runner.BatchPlan
	fromSel bool
	// to is where the batch goes, or whose selection askSelect adds to.
	to target
	// files and what are askSelect's matches and their filter in words.
	files []wandb.File
	what  string
}

// answeredMsg is the answer a to question q; the root acts on it at once
// (as a command's message a later answer could overtake it).
type answeredMsg struct {
	q question
	a answer
}

// questions is the queue of questions the root owns: one is asked at a
// time, the others wait their turn. A question that opened on its own is
// held (shown in the status line, taking no key) while the user types in
// the filter line, reads the detail view or the help.
type questions struct {
	queue []question
	keys  keymap.KeyMap
	width int
	// held is set while the front question may not take keys.
	held bool
	// unfinished counts the active downloads, for the quit question.
	unfinished func() int
	// answered is the answer the last key gave, until Answered takes it.
	answered *answeredMsg
}

// ask queues q; the quit question goes first, as it is the one the user
// just asked for. A second quit question is not queued.
func (qs *questions) ask(q question) {
	if q.kind == askQuit {
		if qs.has(askQuit) {
			return
		}
		qs.queue = append([]question{q}, qs.queue...)
		return
	}
	qs.queue = append(qs.queue, q)
}

// has reports whether a question of kind k is queued.
func (qs questions) has(k questionKind) bool {
	for _, q := range qs.queue {
		if q.kind == k {
			return true
		}
	}
	return false
}

// front returns the question being asked.
func (qs questions) front() (question, bool) {
	if len(qs.queue) == 0 {
		return question{}, false
	}
	return qs.queue[0], true
}

// Open reports whether a question takes the keys now.
func (qs questions) Open() bool {
	q, ok := qs.front()
	return ok && !(q.own && qs.held)
}

// Pending reports whether any question waits.
func (qs questions) Pending() bool { return len(qs.queue) > 0 }

// hold keeps questions that opened on their own from taking keys (the
// user is in the filter line, the detail view or the help) or lets them.
func (qs *questions) hold(on bool) { qs.held = on }

// drop removes the front question.
func (qs *questions) drop() { qs.queue = qs.queue[1:] }

// Keys are the answer keys of the front question.
func (qs questions) Keys() keymap.KeyMap {
	q, _ := qs.front()
	f := keymap.Features{Downloads: true, Prompt: keymap.YesNoPrompt}
	if q.kind == askQuit {
		f.Prompt = keymap.QuitPrompt
	}
	k := qs.keys.ForView(keymap.DownloadsView, f)
	if q.own {
		// Only the confirm letter answers yes to a question the user did
		// not just ask for: an enter typed ahead (ending a filter) must
		// not select or download thousands of files.
		k.Confirm.SetKeys(withoutKey(k.Confirm.Keys(), "enter")...)
	}
	return k
}

// Update answers the front question on its keys; the root takes the
// answer with Answered right after. Other keys do nothing: an open
// question takes every key until it is answered.
func (qs questions) Update(msg tea.Msg) (questions, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok || !qs.Open() {
		return qs, nil
	}
	q, _ := qs.front()
	k := qs.Keys()
	a := answer(-1)
	switch {
	case key.Matches(kp, k.Confirm):
		a = answerYes
	case q.kind == askQuit && key.Matches(kp, k.Wait):
		a = answerWait
	case key.Matches(kp, k.Decline):
		a = answerNo
	}
	if a < 0 {
		return qs, nil
	}
	qs.drop()
	qs.answered = &answeredMsg{q: q, a: a}
	return qs, nil
}

// Answered returns the answer the last Update gave, once.
func (qs *questions) Answered() (answeredMsg, bool) {
	if qs.answered == nil {
		return answeredMsg{}, false
	}
	a := *qs.answered
	qs.answered = nil
	return a, true
}

// View is the front question in the longest wording that fits the width,
// so the answer keys stay on screen in a narrow terminal; a held one is
// prefixed to say where it will be asked.
func (qs questions) View() string {
	q, ok := qs.front()
	if !ok {
		return ""
	}
	texts := qs.texts(q)
	prefix := ""
	if !qs.Open() {
		prefix = "back in the list: "
	}
	for _, t := range texts {
		if t = prefix + t; termtext.Width(t) <= qs.width {
			return t
		}
	}
	return termtext.Fit(prefix+texts[len(texts)-1], qs.width)
}

// texts returns the wordings of q, longest first.
func (qs questions) texts(q question) []string {
	k := qs.keys
	yes, no := k.Confirm.Help().Key, k.Decline.Help().Key
	yn := "? " + k.Confirm.Keys()[0] + "/" + k.Decline.Keys()[0]
	switch q.kind {
	case askBatch:
		n := termtext.Count(len(q.plan.Files), "file")
		return []string{
			"Download " + q.plan.Describe() + "? " + yes + " yes · " + no + " no",
			"Download " + q.plan.Describe() + yn,
			"Download " + n + ", " + termtext.Size(q.plan.Known, q.plan.Unknown) + yn,
			"Download " + n + yn,
		}
	case askSelect:
		known, unknown := filesSize(q.files)
		n := termtext.Count(len(q.files), "file")
		size := " (" + termtext.Size(known, unknown) + ")"
		return []string{
			"Select all " + n + " " + q.what + size + "? " + yes + " yes · " + no + " no",
			"Select all " + n + " " + q.what + size + yn,
			"Select all " + n + size + yn,
			"Select " + n + yn,
		}
	}
	n := "downloads"
	if qs.unfinished != nil {
		n = termtext.Count(qs.unfinished(), "download")
	}
	wait := k.Wait.Help().Key
	return []string{
		n + " unfinished. " + yes + " cancel them and quit · " + wait + " quit when done · " + no + " keep going",
		n + " unfinished. " + yes + " cancel, quit · " + wait + " wait · " + no + " stay",
		"Quit? " + yes + " cancel all · " + wait + " wait · " + no + " stay",
	}
}

// filesSize sums the known sizes of files (saturating) and counts the
// unknown ones.
func filesSize(files []wandb.File) (known int64, unknown int) {
	p := runner.PlanBatch(files, -1, 0)
	return p.Known, p.Unknown
}

// withoutKey returns keys less k.
func withoutKey(keys []string, k string) []string {
	out := make([]string, 0, len(keys))
	for _, s := range keys {
		if s != k {
			out = append(out, s)
		}
	}
	return out
}
