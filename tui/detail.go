package tui

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
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// detailOverlay shows everything about one execution. Its lines are built
// when its data changes, not per frame, and scrolled by offset.
type detailOverlay struct {
	scroller
	id string

	files    []api.File
	filesErr error
	filesAt  bool // the files answer arrived

	lines   []string
	builtW  int
	builtAt uint64 // snapshot seq the lines were built from
	dirty   bool
}

type filesMsg struct {
	execID string
	files  []api.File
	err    error
}

// openDetail opens the detail page of e and fetches its files.
func (m *Model) openDetail(e api.Execution) tea.Cmd {
	d := &detailOverlay{id: e.ID, dirty: true}
	m.overlay = d
	if !m.caps.Files {
		d.filesAt = true
		return nil
	}
	backend, ctx, id := m.opts.Backend, m.ctx, e.ID
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		files, err := backend.Files(c, id)
		return filesMsg{execID: id, files: files, err: err}
	}
}

func (d *detailOverlay) update(m *Model, msg tea.Msg) (overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case filesMsg:
		if msg.execID == d.id {
			d.files, d.filesErr, d.filesAt, d.dirty = msg.files, msg.err, true, true
		}
		return d, nil
	case tea.KeyPressMsg:
		km := m.keys
		e, _ := m.snap.Get(d.id)
		switch {
		case key.Matches(msg, km.Back.Binding, km.Details.Binding, km.Quit.Binding):
			return nil, nil
		case d.key(m, msg):
		case key.Matches(msg, km.OpenURL.Binding):
			url, what := executionURL(e)
			return d, m.openURL(url, what)
		case key.Matches(msg, km.CopyURL.Binding):
			url, what := executionURL(e)
			return d, m.copyText(url, what+" URL")
		case key.Matches(msg, km.CopyID.Binding):
			return d, m.copyText(d.id, "execution id")
		}
	}
	return d, nil
}

func (d *detailOverlay) view(m *Model, w, h int) string {
	seq := uint64(0)
	if m.snap != nil {
		seq = m.snap.Seq
	}
	if d.dirty || d.builtW != w || d.builtAt != seq {
		d.lines = padAll(d.build(m, w-4), w-2)
		d.builtW, d.builtAt, d.dirty = w, seq, false
	}
	title := "Execution " + shortID(d.id) + " · o open · y copy URL · Y copy id · esc back"
	return frame(m.st, title, d.window(d.lines, h-2), w, h, true)
}

// build renders the page for a width.
func (d *detailOverlay) build(m *Model, w int) []string {
	st := m.st
	e, ok := m.snap.Get(d.id)
	if !ok {
		return []string{" " + st.Muted.Render("This execution is no longer in the fleet snapshot.")}
	}
	var out []string
	kv := func(k, v string) {
		out = append(out, " "+st.Muted.Render(fitCell(k, 12, false))+" "+ansi.Truncate(v, max(w-14, 10), "…"))
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
		kv("Profile", sanitize.Line(firstNonEmpty(e.ProfileName, e.ProfileID)))
	}
	kv("Started", fmt.Sprintf("%s (%s ago)", e.CreatedAt.Local().Format("2006-01-02 15:04:05"), ago(m.now, e.CreatedAt)))
	if !e.TerminalAt.IsZero() {
		kv("Ended", e.TerminalAt.Local().Format("2006-01-02 15:04:05"))
	}
	kv("Duration", compactDuration(e.Elapsed(m.now)))
	if e.LiveViewURL != "" {
		kv("Live view", sanitize.Line(e.LiveViewURL))
	}
	if e.RecordingURL != "" {
		kv("Recording", sanitize.Line(e.RecordingURL))
	}
	if e.ParentExecutionID != "" {
		kv("Rerun of", sanitize.Line(e.ParentExecutionID))
	}
	if w, ok := m.snap.WaitingFor(e.ID); ok {
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
	case !m.caps.Files:
		out = append(out, "   "+st.Muted.Render("This platform does not list files."))
	case !d.filesAt:
		out = append(out, "   "+st.Muted.Render("Loading…"))
	case d.filesErr != nil:
		out = append(out, "   "+st.Err.Render("Could not list files: "+errText(d.filesErr)))
	case len(d.files) == 0:
		out = append(out, "   "+st.Muted.Render("No files."))
	default:
		for _, f := range d.files {
			name := sanitize.Line(firstNonEmpty(f.Path, f.Name))
			out = append(out, "   "+fitCell(name, max(w-30, 10), false)+" "+fitCell(api.FormatSize(f.Size), 9, true)+" "+st.Muted.Render(sanitize.Line(f.Directory)))
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

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
