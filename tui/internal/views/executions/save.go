package executions

import (
	"errors"
	"fmt"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/filesave"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// SaveDir is where the detail page saves files (the CLI's files download
// writes to "." by default too). Tests point it elsewhere.
var SaveDir = "."

// saveState is one file's save, as the detail page shows it.
type saveState struct {
	done, total int64
	path        string
	err         error
	exists      bool // the file exists: s again overwrites
	running     bool
}

// saveProgress reports bytes saved so far.
type saveProgress struct {
	execID, fileID string
	done, total    int64
}

// saveDone ends a save.
type saveDone struct {
	execID, fileID string
	path           string
	size           int64
	err            error
}

// saveFile saves the selected file in a Cmd (force: replace an existing
// one): progress comes back as saveProgress messages while the page is
// open, the end as saveDone plus a flash (also when it was closed).
func (d *detail) saveFile(force bool) tea.Cmd {
	if len(d.files) == 0 {
		d.ctx.Flash(pane.Warn, "No file to save.")
		return nil
	}
	dl, ok := d.ctx.Backend.(api.FileDownloader)
	if !ok || !d.ctx.Caps.Download {
		d.ctx.Flash(pane.Warn, "This platform cannot download files.")
		return nil
	}
	f := d.files[d.fileSel]
	if st := d.saves[f.ID]; st != nil && st.running {
		return nil
	}
	d.saves[f.ID] = &saveState{running: true, total: f.Size}
	d.dirty = true
	execID, dir, parent := d.id, SaveDir, d.ctx.Ctx
	progress := make(chan saveProgress, 1)
	result := make(chan saveDone, 1)
	start := func() tea.Msg {
		go func() {
			path, n, err := filesave.Save(parent, dl, f, dir, filesave.Options{Force: force, Progress: func(done, total int64) {
				select { // the newest count; an unread one is replaced
				case <-progress:
				default:
				}
				progress <- saveProgress{execID: execID, fileID: f.ID, done: done, total: total}
			}})
			if abs, e := filepath.Abs(path); e == nil && path != "" {
				path = abs
			}
			result <- saveDone{execID: execID, fileID: f.ID, path: path, size: n, err: err}
		}()
		return waitSave(progress, result)()
	}
	return start
}

// waitSave is the Cmd that waits for a save's next progress or its end.
func waitSave(progress chan saveProgress, result chan saveDone) tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-progress:
			return saveStep{p: p, progress: progress, result: result}
		case r := <-result:
			return tea.BatchMsg{func() tea.Msg { return r }, func() tea.Msg { return r.flash() }}
		}
	}
}

// saveStep is a progress report with the way to the next.
type saveStep struct {
	p        saveProgress
	progress chan saveProgress
	result   chan saveDone
}

// flash is how the end of a save is reported in the footer.
func (r saveDone) flash() kit.Done {
	name := sanitize.Line(filepath.Base(r.path))
	switch {
	case errors.Is(r.err, filesave.ErrExists):
		return kit.Done{Done: name + " exists: press s again on it to overwrite."}
	case r.err != nil:
		return kit.Done{What: "save " + name, Err: r.err}
	}
	return kit.Done{Done: fmt.Sprintf("Saved %s (%s) to %s.", name, api.FormatSize(r.size), sanitize.Line(r.path))}
}

// onSave applies a save's messages to the page; ok reports one was its.
func (d *detail) onSave(msg tea.Msg) (tea.Cmd, bool) {
	switch m := msg.(type) {
	case saveStep:
		if st := d.saves[m.p.fileID]; st != nil && m.p.execID == d.id {
			st.done, st.total = m.p.done, m.p.total
			d.dirty = true
		}
		return waitSave(m.progress, m.result), true
	case saveDone:
		if m.execID != d.id {
			return nil, true
		}
		st := d.saves[m.fileID]
		if st == nil {
			return nil, true
		}
		st.running, st.path, st.err = false, m.path, m.err
		st.exists = errors.Is(m.err, filesave.ErrExists)
		if m.err == nil {
			st.done = m.size
		}
		d.dirty = true
		return nil, true
	}
	return nil, false
}

// saveText is a file's save state for its line in the page.
func (d *detail) saveText(f api.File) string {
	st := d.saves[f.ID]
	if st == nil {
		return ""
	}
	s := d.ctx.Styles
	switch {
	case st.running && st.total > 0:
		return s.Info.Render(fmt.Sprintf("saving %d%%", st.done*100/st.total))
	case st.running:
		return s.Info.Render("saving " + api.FormatSize(st.done))
	case st.exists:
		return s.Warn.Render("exists: s overwrites")
	case st.err != nil:
		return s.Err.Render("not saved: " + kit.ErrText(st.err))
	}
	return s.Ok.Render("saved ✓ " + sanitize.Line(st.path))
}

// absDir is dir as an absolute path where it can be made one.
func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
