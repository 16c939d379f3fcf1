package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/wandb"
)

// infoView shows the details of a run (the header fields, notes, the
// command line and git commit from its metadata, config and summary as
// JSON) or of a folder (what is loaded under it and how much of it is on
// disk already). It scrolls with the movement keys and closes with esc.
type infoView struct {
	common
	gen    int
	title  string
	vp     pager // the detail view's scrolling lines
	text   string
	closed bool
}

// newInfoView returns a details view titled title showing text until
// the answer numbered gen arrives.
func newInfoView(c common, title, text string, gen int) infoView {
	v := infoView{common: c, gen: gen, title: title}
	v.setCommon(c)
	v.setText(text)
	return v
}

func (v *infoView) setCommon(c common) {
	v.common = c
	v.vp.width = max(c.width, 1)
	v.vp.height = max(c.height-2, 1) // title line and footer
	v.setText(v.text)
}

// setText shows s, wrapped to the width (a long command line or JSON
// value stays readable).
func (v *infoView) setText(s string) {
	v.text = s
	v.vp.setLines(nil, strings.Split(termtext.Wrap(s, v.vp.width), "\n"))
}

// Update takes the details when they arrive for this view, scrolls on
// keys and closes on Back.
func (v infoView) Update(msg tea.Msg) (infoView, tea.Cmd) {
	switch msg := msg.(type) {
	case runDetailMsg:
		if msg.gen != v.gen {
			return v, nil
		}
		if msg.err != nil {
			v.setText("! could not load the run's details: " + termtext.Line(msg.err.Error()))
			return v, nil
		}
		v.setText(runDetailText(msg.detail, v.now))
	case folderDiskMsg:
		if msg.gen == v.gen {
			v.setText(msg.text)
		}
	case tea.KeyPressMsg:
		k := v.keys
		switch {
		case key.Matches(msg, k.Back, k.Out):
			v.closed = true
		default:
			v.vp.update(k, msg)
		}
	}
	return v, nil
}

// View is the title line and the text's window.
func (v infoView) View() string {
	title := v.styles.Title.Render(termtext.Fit(termtext.Safe(v.title), v.width))
	return title + "\n" + v.vp.view()
}

// runDetailText lays out a run's details, every value from the server
// made safe for the terminal.
func runDetailText(d wandb.RunDetail, now func() time.Time) string {
	var b strings.Builder
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-12s %s\n", name, termtext.Line(value))
		}
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC") + " (" + termtext.Ago(t, now()) + ")"
	}
	r := d.Info
	field("name", r.DisplayName)
	field("id", r.Ref.RunID)
	field("state", r.State)
	field("created", when(r.CreatedAt))
	field("heartbeat", when(r.HeartbeatAt))
	field("user", r.User)
	field("tags", strings.Join(r.Tags, ", "))
	field("group", r.Group)
	field("job type", r.JobType)
	if r.FileCount >= 0 {
		field("files", termtext.Comma(int64(r.FileCount)))
	}
	field("host", d.Host)
	field("commit", d.Commit)
	if md := d.Metadata; md != nil {
		field("command", md.CommandLine())
		field("git", strings.TrimSpace(md.GitRemote+" "+md.GitCommit))
		field("python", md.Python)
		gpu := md.GPU
		if md.GPUCount > 1 {
			gpu = fmt.Sprintf("%d × %s", md.GPUCount, md.GPU)
		}
		field("gpu", gpu)
		field("os", md.OS)
	}
	section := func(name, body string) {
		if strings.TrimSpace(body) == "" {
			return
		}
		fmt.Fprintf(&b, "\n%s\n%s\n", name, termtext.Block(body))
	}
	section("notes", d.Notes)
	section("description", d.Description)
	section("config", d.Config)
	section("summary", d.Summary)
	for _, w := range d.Warnings {
		field("warning", w)
	}
	return strings.TrimRight(b.String(), "\n")
}
