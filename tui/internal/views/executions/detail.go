package executions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// detail shows everything about one execution. Its lines are built when
// its data changes, not per frame, and scrolled by offset.
type detail struct {
	kit.Page
	ctx *pane.Context
	id  string
	w   int
	h   int

	files    []api.File
	filesErr error
	filesAt  bool // the files answer arrived
	fileSel  int  // the file s saves (tab / shift+tab choose)
	saves    map[string]*saveState

	lines   []string
	builtW  int
	builtAt uint64 // snapshot seq the lines were built from
	dirty   bool
}

// filesMsg is the detail page's files; the root gives it to the open
// overlay, which drops an answer about another execution.
type filesMsg struct {
	execID string
	files  []api.File
	err    error
}

// openDetail opens the detail page of e and fetches its files.
func openDetail(ctx *pane.Context, e api.Execution) tea.Cmd {
	d := &detail{ctx: ctx, id: e.ID, dirty: true, saves: map[string]*saveState{}}
	ctx.Host.Open(d)
	if !ctx.Caps.Files {
		d.filesAt = true
		return nil
	}
	id := e.ID
	return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
		files, err := b.Files(c, id)
		return filesMsg{execID: id, files: files, err: err}
	})
}

// Update implements pane.Overlay.
func (d *detail) Update(msg tea.Msg) (pane.Action, tea.Cmd) {
	if cmd, ok := d.onSave(msg); ok {
		return pane.Stay, cmd
	}
	switch msg := msg.(type) {
	case filesMsg:
		if msg.execID == d.id {
			d.files, d.filesErr, d.filesAt, d.dirty = msg.files, msg.err, true, true
			d.fileSel = min(d.fileSel, max(len(d.files)-1, 0))
		}
	case tea.KeyPressMsg:
		km := d.ctx.Keys
		e, _ := d.ctx.Snap.Get(d.id)
		switch {
		case key.Matches(msg, km.Back.Binding, km.Details.Binding, km.Quit.Binding):
			return pane.Close, nil
		case key.Matches(msg, km.CopyID.Binding):
			return pane.Stay, copyText(d.ctx, d.id, "execution id")
		case key.Matches(msg, km.OpenURL.Binding, km.CopyURL.Binding):
			return pane.Stay, urlAction(d.ctx, msg, e)
		case key.Matches(msg, km.SaveFile.Binding):
			force := false
			if len(d.files) > 0 {
				st := d.saves[d.files[d.fileSel].ID]
				force = st != nil && st.exists
			}
			return pane.Stay, d.saveFile(force)
		case key.Matches(msg, km.FocusNext.Binding, km.FocusPrev.Binding):
			if n := len(d.files); n > 0 {
				step := 1
				if key.Matches(msg, km.FocusPrev.Binding) {
					step = -1
				}
				d.fileSel, d.dirty = (d.fileSel+step+n)%n, true
			}
		default:
			d.Apply(kit.Scroll(km, msg))
		}
	}
	return pane.Stay, nil
}

// SetSize implements pane.Overlay.
func (d *detail) SetSize(w, h int) { d.w, d.h = w, h }

// Render implements pane.Overlay.
func (d *detail) Render() []string {
	w, h := d.w, d.h
	seq := uint64(0)
	if d.ctx.Snap != nil {
		seq = d.ctx.Snap.Seq
	}
	if d.dirty || d.builtW != w || d.builtAt != seq {
		d.lines = kit.PadAll(d.build(w-4), w-2)
		d.builtW, d.builtAt, d.dirty = w, seq, false
	}
	title := "Execution " + kit.ShortID(d.id) + " · o open · y copy URL · Y copy id · esc back"
	return kit.Frame(d.ctx.Styles, title, d.Window(d.lines, h-2), w, h, true)
}

// build renders the page for a width.
func (d *detail) build(w int) []string {
	st, now, snap := d.ctx.Styles, d.ctx.Now, d.ctx.Snap
	e, ok := snap.Get(d.id)
	if !ok {
		return []string{" " + st.Muted.Render("This execution is no longer in the fleet snapshot.")}
	}
	var out []string
	kv := func(k, v string) {
		out = append(out, " "+st.Muted.Render(kit.FitCell(k, 12, false))+" "+ansi.Truncate(v, max(w-14, 10), "…"))
	}
	section := func(title string) {
		out = append(out, "", " "+st.Accent.Render(title))
	}
	para := func(text string) {
		for _, p := range strings.Split(sanitize.Text(text), "\n") {
			for _, l := range strings.Split(ansi.Wrap(p, max(w-4, 10), ""), "\n") {
				out = append(out, "   "+l)
			}
		}
	}

	kv("ID", sanitize.Line(e.ID))
	agent := sanitize.Line(e.AgentName)
	if e.AgentVersion > 0 {
		agent += fmt.Sprintf(" (version %d)", e.AgentVersion)
	}
	kv("Agent", agent)
	kv("Status", st.Status(e.Status).Render(theme.Glyph(e.Status)+" "+sanitize.Line(string(e.Status))))
	if e.ProfileName != "" || e.ProfileID != "" {
		kv("Profile", sanitize.Line(kit.FirstNonEmpty(e.ProfileName, e.ProfileID)))
	}
	kv("Started", fmt.Sprintf("%s (%s ago)", e.CreatedAt.Local().Format("2006-01-02 15:04:05"), kit.Ago(now, e.CreatedAt)))
	if !e.TerminalAt.IsZero() {
		kv("Ended", e.TerminalAt.Local().Format("2006-01-02 15:04:05"))
	}
	kv("Duration", kit.CompactDuration(e.Elapsed(now)))
	if e.LiveViewURL != "" {
		kv("Live view", sanitize.Line(e.LiveViewURL))
	}
	if e.RecordingURL != "" {
		kv("Recording", sanitize.Line(e.RecordingURL))
	}
	if e.ParentExecutionID != "" {
		kv("Rerun of", sanitize.Line(e.ParentExecutionID))
	}
	if w, ok := snap.WaitingFor(e.ID); ok {
		section("Waiting for you")
		para(w.Question)
	}

	section("Result")
	if e.Result == nil {
		msg := "No result yet."
		if e.Status.IsTerminal() {
			msg = "No result was recorded."
		}
		out = append(out, "   "+st.Muted.Render(msg))
	} else {
		style := st.Ok
		if !strings.EqualFold(e.Result.Outcome, "success") {
			style = st.Err
		}
		kv("Outcome", style.Render(sanitize.Line(e.Result.Outcome)))
		if e.Result.Reasoning != "" {
			para(e.Result.Reasoning)
		}
		if len(e.Result.Data) > 0 && string(e.Result.Data) != "null" {
			out = append(out, "")
			out = append(out, prettyJSON(e.Result.Data, w-4, "   ")...)
		}
	}

	if len(e.Metadata) > 0 {
		section("Metadata")
		keys := make([]string, 0, len(e.Metadata))
		for k := range e.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			kv(sanitize.Line(k), sanitize.Line(e.Metadata[k]))
		}
	}
	if len(e.Labels) > 0 {
		section("Labels")
		var names []string
		for _, l := range e.Labels {
			names = append(names, sanitize.Line(l.Name))
		}
		out = append(out, "   "+strings.Join(names, ", "))
	}
	if len(e.Comments) > 0 {
		section("Comments")
		for _, c := range e.Comments {
			out = append(out, "   "+st.Muted.Render(c.CreatedAt.Local().Format("Jan 02 15:04")))
			para(c.Content)
		}
	}

	section("Files")
	switch {
	case !d.ctx.Caps.Files:
		out = append(out, "   "+st.Muted.Render("This platform does not list files."))
	case !d.filesAt:
		out = append(out, "   "+st.Muted.Render("Loading…"))
	case d.filesErr != nil:
		out = append(out, "   "+st.Err.Render("Could not list files: "+kit.ErrText(d.filesErr)))
	case len(d.files) == 0:
		out = append(out, "   "+st.Muted.Render("No files."))
	default:
		save := d.ctx.Caps.Download
		if save {
			km := d.ctx.Keys
			out = append(out, "   "+st.Muted.Render(km.SaveFile.Binding.Help().Key+" saves the marked file to "+sanitize.Line(absDir(SaveDir))+
				" · "+km.FocusNext.Binding.Help().Key+"/"+km.FocusPrev.Binding.Help().Key+" mark another"))
		}
		for i, f := range d.files {
			name := sanitize.Line(kit.FirstNonEmpty(f.Path, f.Name))
			mark := "   "
			if save && i == d.fileSel {
				mark = " " + st.Accent.Render("▸") + " "
			}
			line := mark + kit.FitCell(name, max(w-30, 10), false) + " " + kit.FitCell(api.FormatSize(f.Size), 9, true) + " " + st.Muted.Render(sanitize.Line(f.Directory))
			out = append(out, ansi.Truncate(line, w, "…"))
			if s := d.saveText(f); s != "" {
				out = append(out, ansi.Truncate("     "+s, w, "…"))
			}
		}
	}
	return out
}

// prettyJSON indents JSON and sanitises each line; long lines are wrapped.
func prettyJSON(raw json.RawMessage, w int, indent string) []string {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		b.Reset()
		b.WriteString(string(raw))
	}
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		lead := len(l) - len(strings.TrimLeft(l, " "))
		l = strings.Repeat(" ", lead) + sanitize.Line(l)
		for _, wl := range strings.Split(ansi.Wrap(l, max(w, 10), ""), "\n") {
			out = append(out, indent+wl)
		}
	}
	return out
}
