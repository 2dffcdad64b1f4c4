package feed

import (
	"bytes"
	"encoding/json"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/charmbracelet/x/ansi"
)

// --- rendering -------------------------------------------------------------

// View renders the visible lines: exactly h of them, each exactly w wide.
func (m *Model) View() string {
	if m.w < 2 { // the gutter alone fills it
		return m.pad(nil)
	}
	if m.tree != nil && m.tree.t.Len() > 0 {
		return m.pad(m.treeLines())
	}
	if m.empty() {
		msg := "Waiting for activity…"
		if m.final {
			msg = "No activity recorded."
		}
		return m.pad([]string{fit(" "+m.st.Muted.Render(msg), m.w)})
	}
	out := make([]string, 0, m.h)
	for seq, skip := m.top, m.topLine; seq < m.end() && len(out) < m.h; seq++ {
		lines := m.lines(seq)
		gutter := " "
		if m.focused && seq == m.cursor {
			gutter = m.st.Accent.Render("▌")
		}
		for _, l := range lines[min(skip, len(lines)):] {
			if len(out) == m.h {
				break
			}
			out = append(out, gutter+l)
		}
		skip = 0
	}
	return m.pad(out)
}

func (m *Model) pad(lines []string) string {
	blank := strings.Repeat(" ", m.w)
	for len(lines) < m.h {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) height(seq uint64) int { return len(m.lines(seq)) }

// lines renders an entry (cached until the width or an option changes).
func (m *Model) lines(seq uint64) []string {
	key := renderKey{w: m.w, wrap: m.wrap, times: m.times, query: m.query}
	if key != m.cacheFor || len(m.cache) > 8*m.h+256 {
		m.cache = map[uint64][]string{}
		m.cacheFor = key
	}
	if l, ok := m.cache[seq]; ok {
		return l
	}
	e := m.buf.At(seq)
	if e == nil {
		return []string{""}
	}
	l := m.render(e, m.expanded[seq])
	m.cache[seq] = l
	return l
}

const (
	timeW  = 8 // 15:04:05
	actorW = 5
	kindW  = 6
)

func (m *Model) prefixWidth() int {
	w := actorW + 1 + kindW + 1
	if m.times {
		w += timeW + 1
	}
	return w
}

// render draws one entry as lines without the gutter, each exactly w-1
// cells wide (it is cached, so the padding is measured once).
func (m *Model) render(e *Entry, expanded bool) []string {
	avail := max(m.w-1, 1) // minus the gutter
	lines := m.renderLines(e, expanded, avail)
	for i, l := range lines {
		lines[i] = fit(l, avail)
	}
	return lines
}

func (m *Model) renderLines(e *Entry, expanded bool, avail int) []string {
	if e.Gap {
		return []string{m.st.Warn.Render(ansi.Truncate(e.Text, avail, "…"))}
	}
	a := e.Act
	var prefix strings.Builder
	if m.times {
		ts := "--:--:--"
		if !a.Time.IsZero() {
			ts = a.Time.Local().Format("15:04:05")
		}
		prefix.WriteString(m.st.Muted.Render(ts))
		prefix.WriteByte(' ')
	}
	prefix.WriteString(m.st.Actor(a.Actor).Render(fit(actorLabel(a.Actor), actorW)))
	prefix.WriteByte(' ')
	prefix.WriteString(m.kindStyle(a).Render(fit(kindLabel(a), kindW)))
	prefix.WriteByte(' ')
	pw := m.prefixWidth()
	textW := max(avail-pw, 8)

	text := e.Text
	if m.wrap && e.Body != "" {
		text = e.Body
	}
	style := lipgloss.NewStyle()
	if a.Actor == api.ActorUser || a.AgentMessage {
		style = m.st.Bold
	}
	var out []string
	if !m.wrap {
		out = []string{prefix.String() + m.highlight(ansi.Truncate(text, textW, "…"), style)}
	} else {
		indent := strings.Repeat(" ", pw)
		for i, l := range wrapLines(text, textW) {
			p := indent
			if i == 0 {
				p = prefix.String()
			}
			out = append(out, p+m.highlight(l, style))
		}
	}
	if expanded {
		for _, l := range rawLines(a.Raw) {
			l = "  " + l
			if m.wrap {
				out = append(out, wrapLines(l, avail)...)
			} else {
				out = append(out, m.st.Muted.Render(ansi.Truncate(l, avail, "…")))
			}
		}
	}
	return out
}

func wrapLines(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, strings.Split(ansi.Wrap(para, w, ""), "\n")...)
	}
	return out
}

// rawLines pretty-prints an activity's raw JSON, sanitised line by line.
func rawLines(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return []string{"(no raw JSON)"}
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return []string{sanitize.Line(string(raw))}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = sanitize.Line(l)
		if lead := len(l) - len(strings.TrimLeft(l, " ")); lead > 0 {
			lines[i] = strings.Repeat(" ", lead) + lines[i]
		}
	}
	return lines
}

// highlight styles text and marks case-insensitive matches of the query.
func (m *Model) highlight(text string, style lipgloss.Style) string {
	if m.query == "" {
		return style.Render(text)
	}
	lower, q := strings.ToLower(text), strings.ToLower(m.query)
	if len(lower) != len(text) || !strings.Contains(lower, q) {
		return style.Render(text) // case folding changed byte offsets: no marks
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, q)
		if i < 0 {
			b.WriteString(style.Render(text))
			return b.String()
		}
		b.WriteString(style.Render(text[:i]))
		b.WriteString(m.st.Match.Render(text[i : i+len(q)]))
		text, lower = text[i+len(q):], lower[i+len(q):]
	}
}

func fit(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return ansi.Truncate(s, w, "")
}

func actorLabel(a api.Actor) string {
	switch a {
	case api.ActorUser:
		return "you"
	case api.ActorAgent:
		return "agent"
	}
	return "sys"
}

func kindLabel(a api.Activity) string {
	if a.AgentMessage {
		if a.Kind == api.KindActionStarted {
			return "asks"
		}
		return "sent" // the same message, reported delivered
	}
	switch a.Kind {
	case api.KindActionStarted:
		return "act"
	case api.KindActionCompleted:
		return "done"
	case api.KindActionFailed:
		return "fail"
	case api.KindStatusChanged:
		return "status"
	case api.KindReasoning:
		return "think"
	case api.KindStepStarted, api.KindStepCompleted:
		return "step"
	case api.KindTransitionedNode:
		return "node"
	case api.KindUserMessage:
		return "reply"
	case api.KindFileAdded:
		return "file"
	case api.KindWorkflowUpdated:
		return "flow"
	case api.KindScriptGenerated:
		return "script"
	case api.KindTerminal:
		return "end"
	case api.KindGeneric:
		return "info"
	}
	return sanitize.Line(string(a.Kind))
}

func (m *Model) kindStyle(a api.Activity) lipgloss.Style {
	switch {
	case a.AgentMessage:
		return m.st.Status(api.StatusPausedByAgent)
	case a.Kind == api.KindStatusChanged:
		return m.st.Status(a.Status)
	case a.Kind == api.KindActionFailed:
		return m.st.Err
	case a.Kind == api.KindActionCompleted:
		return m.st.Ok
	case a.Kind == api.KindUserMessage:
		return m.st.ActorUser
	}
	return m.st.Muted
}
