package tui

import (
	"fmt"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wbfiles/wbfiles/internal/termtext"
	"github.com/wbfiles/wbfiles/model"
	"github.com/wbfiles/wbfiles/wandb"
)

// folderDiskMsg is a folder's details with how many of its loaded files
// are on disk, for the details view numbered gen.
type folderDiskMsg struct {
	gen  int
	text string
}

// openFolderInfo shows the details of subfolder e of lv: its path, what
// is loaded under it (a lower bound while pages remain), the newest
// update, and, checked in the background, how many of those files are
// already at their place under the destination.
func (m *Model) openFolderInfo(lv *folderLevel, e model.Entry) tea.Cmd {
	path := lv.Child(e)
	files := lv.FilesUnder(path)
	exact := lv.AllLoaded()
	m.infoGen++
	title := m.browser.Run.Ref.String() + " / " + path + " · folder"
	head := folderInfoText(path, e.Tally, exact, m.now())
	m.info = newInfoView(m.common, title, head+"\non disk     checking…", m.infoGen)
	m.infoFrom, m.state = m.state, stateInfo
	return checkFolderOnDisk(m.filesDest, files, head, m.infoGen)
}

// folderInfoText is the part of a folder's details known at once.
func folderInfoText(path string, t model.Tally, exact bool, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-11s %s\n", "path", termtext.Safe(path))
	fmt.Fprintf(&b, "%-11s %s\n", "files", termtext.AtLeast(termtext.Count(t.Files, "file"), exact))
	fmt.Fprintf(&b, "%-11s %s\n", "size", termtext.AtLeast(termtext.Size(t.Bytes, t.Unknown), exact))
	newest := "?"
	if !t.Newest.IsZero() {
		newest = t.Newest.UTC().Format("2006-01-02 15:04 UTC") + " (" + termtext.Ago(t.Newest, now) + ")"
	}
	fmt.Fprintf(&b, "%-11s %s\n", "newest", newest)
	if !exact {
		b.WriteString("\nThe counts are over the pages loaded so far (≥): scroll the folder to the end,\nor press space on it, to count every file on the server.\n")
	}
	return b.String()
}

// checkFolderOnDisk counts the files already at their place under dest
// with their size (the md5 is checked when one is downloaded): a stat per
// file, no hashing, so a folder of checkpoints answers at once.
func checkFolderOnDisk(dest string, files []wandb.File, head string, gen int) tea.Cmd {
	return func() tea.Msg {
		same, other := 0, 0
		for _, f := range files {
			p, err := wandb.LocalPath(dest, f.Name)
			if err != nil {
				continue
			}
			st, err := os.Stat(p)
			switch {
			case err != nil:
			case st.Mode().IsRegular() && (!f.SizeKnown() || st.Size() == f.SizeBytes):
				same++
			default:
				other++
			}
		}
		line := fmt.Sprintf("%-11s %s of the %s loaded are at their place in %s with their size", "on disk",
			termtext.Comma(int64(same)), termtext.Count(len(files), "file"), termtext.Safe(dest))
		if other > 0 {
			line += fmt.Sprintf("; %s differ", termtext.Comma(int64(other)))
		}
		return folderDiskMsg{gen: gen, text: head + "\n" + line}
	}
}
