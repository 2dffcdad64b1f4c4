package tui

import (
	"fmt"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// View draws the screen: header, body, footer. Only visible rows and lines
// are rendered.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = m.windowTitle()
	return v
}

func (m *Model) render() string {
	if !m.ready {
		return ""
	}
	if m.w < minWidth || m.h < minHeight {
		msg := fmt.Sprintf("agentop needs at least %d×%d.\nThis terminal is %d×%d: please enlarge it.\n\n(q quits)", minWidth, minHeight, m.w, m.h)
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, ansi.Wrap(msg, m.w, "")) // every word, however narrow
	}
	bodyH := m.h - headerRows - footerRows
	var body string
	switch {
	case m.overlay != nil:
		body = m.overlay.view(m, m.w, bodyH)
	case m.view == viewExecutions:
		body = m.execBody()
	default:
		body = m.listBody(m.lists[m.view], bodyH)
	}
	return m.header() + "\n" + body + "\n" + m.footer()
}

func (m *Model) windowTitle() string {
	n := 0
	if m.snap != nil {
		n = len(m.snap.Waiting)
	}
	title := "agentop"
	if m.opts.Context != "" {
		title += " · " + sanitize.Line(m.opts.Context)
	}
	if n > 0 {
		title = fmt.Sprintf("(%d need you) %s", n, title)
	}
	return title
}

// --- header ----------------------------------------------------------------

func (m *Model) header() string {
	st := m.st
	left := st.Accent.Render(" agentop ")
	ctx := m.opts.Context
	if m.opts.Demo {
		ctx = "built-in simulator"
	}
	if ctx != "" {
		left += st.Muted.Render(" ") + sanitize.Line(ctx)
	}
	if host := endpointHost(m.opts.BaseURL); host != "" && !m.opts.Demo {
		left += st.Muted.Render(" · " + host)
	}
	if m.opts.Organization != "" {
		left += st.Muted.Render(" · org " + shortID(m.opts.Organization))
	}
	if m.opts.Demo {
		left += " " + st.DemoBadge.Render("DEMO")
	}
	if m.opts.ReadOnly {
		left += " " + st.ReadOnlyBadge.Render("READ-ONLY")
	}
	right := m.connText()
	if n := m.waitingCount(); n > 0 {
		right += " " + st.WaitBadge.Render(fmt.Sprintf("NEEDS YOU %d", n))
	}
	line1 := spread(left, right, m.w)

	var tabs []string
	for _, v := range m.views() {
		label := fmt.Sprintf("%d %s", int(v)+1, viewNames[v])
		if v == viewInbox && m.waitingCount() > 0 {
			label += fmt.Sprintf(" (%d)", m.waitingCount())
		}
		if v == m.view {
			tabs = append(tabs, st.Selected.Render(" "+label+" "))
		} else {
			tabs = append(tabs, st.Muted.Render(" "+label+" "))
		}
	}
	line2 := spread(strings.Join(tabs, ""), m.countsText(), m.w)
	return line1 + "\n" + line2
}

// endpointHost is the host of the platform's base URL, for the header.
func endpointHost(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return sanitize.Line(u.Host)
}

func (m *Model) waitingCount() int {
	if m.snap == nil {
		return 0
	}
	return len(m.snap.Waiting)
}

// connText shows the connection: state and age of the data.
func (m *Model) connText() string {
	st, c := m.st, m.conn
	switch c.State {
	case poller.Live:
		return st.Ok.Render("●") + st.Muted.Render(" live · updated "+ago(m.now, c.LastSuccess)+" ago ")
	case poller.Degraded, poller.Offline:
		s := st.Warn.Render("◐ degraded")
		if c.State == poller.Offline {
			s = st.Err.Render("○ offline")
		}
		detail := ""
		if !c.NextRetry.IsZero() {
			detail = " · retry in " + compactDuration(c.NextRetry.Sub(m.now))
		}
		if !c.LastSuccess.IsZero() {
			detail += " · data from " + ago(m.now, c.LastSuccess) + " ago"
		}
		return s + st.Muted.Render(detail+" ")
	}
	return st.Muted.Render("◌ connecting… ")
}

// countsText shows executions per status, waiting first.
func (m *Model) countsText() string {
	if m.snap == nil {
		return ""
	}
	var parts []string
	for _, s := range api.KnownStatuses {
		if n := m.snap.Counts[s]; n > 0 {
			parts = append(parts, m.st.Status(s).Render(fmt.Sprintf("%s %d", theme.Glyph(s), n)))
		}
	}
	others := 0
	for s, n := range m.snap.Counts {
		if !s.IsKnown() {
			others += n
		}
	}
	if others > 0 {
		parts = append(parts, fmt.Sprintf("%s %d", theme.Glyph(""), others))
	}
	return strings.Join(parts, "  ") + " "
}

// spread puts left and right on one line of width w, truncating left first.
func spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw >= w {
		return ansi.Truncate(right, w, "…")
	}
	left = ansi.Truncate(left, w-rw-1, "…")
	gap := w - ansi.StringWidth(left) - rw
	return left + strings.Repeat(" ", max(gap, 1)) + right
}

// --- footer ----------------------------------------------------------------

func (m *Model) footer() string {
	st := m.st
	if m.input != nil {
		hint := "enter apply · esc clear"
		if m.inputOf == inputCommand {
			hint = "tab complete · enter go · esc cancel"
		}
		return spread(" "+m.input.View(), st.Muted.Render(hint+" "), m.w)
	}
	if m.flash.text != "" {
		style := st.FlashInfo
		switch m.flash.level {
		case flashWarn:
			style = st.FlashWarn
		case flashErr:
			style = st.FlashErr
		}
		return padLine(" "+style.Render(m.flash.text), m.w)
	}
	key := helpKey{view: m.view, focus: m.focus, w: m.w}
	if m.helpMemo.key == key && m.helpMemo.line != "" {
		return m.helpMemo.line
	}
	var parts []string
	for _, b := range m.shortHelp() {
		h := b.Help()
		parts = append(parts, st.Key.Render(h.Key)+" "+st.KeyDesc.Render(h.Desc))
	}
	line := padLine(ansi.Truncate(" "+strings.Join(parts, st.Muted.Render(" · ")), m.w, "…"), m.w)
	m.helpMemo = helpMemo{key: key, line: line}
	return line
}

// helpMemo keeps the footer's help line: it changes only with the view,
// the focused pane and the width.
type helpMemo struct {
	key  helpKey
	line string
}

type helpKey struct {
	view  viewID
	focus pane
	w     int
}

// --- executions view -------------------------------------------------------

func (m *Model) execBody() string {
	g := m.geo // computed by layout() at the end of the Update before this frame
	right := m.tablePane(g)
	right += "\n" + m.feedPane(g)
	if g.replyH > 0 {
		right += "\n" + m.replyPane(g)
	}
	if g.agentsW == 0 {
		return right
	}
	return joinColumns(m.agentsPaneView(g), right)
}

func (m *Model) tablePane(g geom) string {
	l := &m.execs
	shown, total := len(l.rows), m.snap.Len()
	title := fmt.Sprintf("Executions %d", shown)
	if shown != total {
		title = fmt.Sprintf("Executions %d of %d", shown, total)
	}
	if l.agentID != "" {
		title += " · agent " + sanitize.Line(m.agentName(l.agentID))
	}
	if l.filter != "" {
		title += " · /" + sanitize.Line(l.filter)
	}
	dir := "↓"
	if l.reverse {
		dir = "↑"
	}
	title += " · by " + sortNames[l.sortBy] + " " + dir
	var body []string
	switch {
	case l.snap == nil: // no rows built yet (the first build runs off the loop)
		title = "Executions"
		body = padAll([]string{" " + m.st.Muted.Render("Loading executions…")}, g.rightW-2)
	case len(l.rows) == 0 && total == 0:
		body = padAll([]string{l.table.header(m.st), "", " " + m.st.Muted.Render("No executions yet. Press "+m.keys.Execute.Binding.Help().Key+" to start one.")}, g.rightW-2)
	case len(l.rows) == 0:
		body = padAll([]string{l.table.header(m.st), "", " " + m.st.Muted.Render("Nothing matches; esc clears the filter.")}, g.rightW-2)
	default:
		body = m.renderExecRows(g.rightW-2, m.focus == paneTable)
	}
	return frame(m.st, title, body, g.rightW, g.tableH, m.focus == paneTable)
}

func (m *Model) agentName(id string) string {
	for _, a := range m.execs.agents {
		if a.ID == id {
			return a.Name
		}
	}
	return shortID(id)
}

func (m *Model) feedPane(g geom) string {
	e, ok := m.selectedExec()
	f := m.currentFeed()
	if !ok || f == nil {
		return frame(m.st, "Activity", padAll([]string{" " + m.st.Muted.Render("Select an execution to follow its activity.")}, g.rightW-2), g.rightW, g.feedH, m.focus == paneFeed)
	}
	title := fmt.Sprintf("Activity · %s %s · %s", sanitize.Line(e.AgentName), shortID(e.ID), f.Status())
	if f.Frozen() {
		title += " · PAUSED"
		if n := f.Held(); n > 0 {
			title += fmt.Sprintf(" (%d new)", n)
		}
	}
	body := strings.Split(f.View(), "\n")
	if m.input != nil && m.inputOf == inputSearch {
		body = append(body, padLine(" "+m.input.View(), g.rightW-2))
	} else if q := f.Query(); q != "" {
		i, n := f.MatchInfo()
		body = append(body, padLine(" "+m.st.Muted.Render(fmt.Sprintf("/%s  %d/%d  n next · N previous · esc clear", sanitize.Line(q), i, n)), g.rightW-2))
	}
	return frame(m.st, title, body, g.rightW, g.feedH, m.focus == paneFeed)
}

func (m *Model) replyPane(g geom) string {
	e, _ := m.replyTarget()
	st := m.st
	title := "Reply to " + sanitize.Line(e.AgentName)
	if w, ok := m.snap.WaitingFor(e.ID); ok {
		title = fmt.Sprintf("%s asks · waiting %s", sanitize.Line(e.AgentName), ago(m.now, w.AskedAt))
	}
	q := m.questionLines(e.ID, g.rightW-4)
	if len(q) > g.qLines {
		q = q[:g.qLines]
		q[len(q)-1] = ansi.Truncate(q[len(q)-1], g.rightW-6, "") + " …"
	}
	lines := make([]string, 0, g.replyH)
	for _, l := range q {
		lines = append(lines, " "+st.Question.Render(l))
	}
	if g.gap {
		lines = append(lines, "")
	}
	lines = append(lines, m.replyInput(e, g.taH)...)
	lines = append(lines, " "+m.replyStatus(e))
	return frame(st, title, padAll(lines, g.rightW-2), g.rightW, g.replyH, m.focus == panePrompt)
}

// replyInput draws the reply box: the live textarea while it has the
// keyboard, else the draft as plain lines (the textarea's own rendering is
// the costliest part of a frame, and nothing is being edited).
func (m *Model) replyInput(e api.Execution, h int) []string {
	st := m.st
	if m.focus == panePrompt && m.reply.execID == e.ID {
		lines := strings.Split(m.reply.ta.View(), "\n")
		for i := range lines {
			lines[i] = " " + lines[i]
		}
		return lines
	}
	text := m.reply.drafts[e.ID].Text
	var lines []string
	if text == "" {
		lines = append(lines, " "+st.Muted.Render("┃ ")+st.Muted.Render(m.reply.ta.Placeholder))
	} else {
		for _, l := range strings.Split(text, "\n") {
			lines = append(lines, " "+st.Muted.Render("┃ ")+sanitize.Line(l))
		}
	}
	for len(lines) < h {
		lines = append(lines, " "+st.Muted.Render("┃"))
	}
	return lines[:h]
}

// replyStatus is the reply pane's last line: what happened to the reply, or
// how to use the box.
func (m *Model) replyStatus(e api.Execution) string {
	st := m.st
	if s := m.reply.sends[e.ID]; s != nil {
		switch s.phase {
		case phaseSending:
			return st.Info.Render("Sending…")
		case phaseChecking:
			return st.Warn.Render("No answer from the server (" + errText(s.err) + "); checking whether it arrived…")
		case phaseUnsure:
			return st.Warn.Render("It may not have arrived. Enter sends it again; your text is kept.")
		case phaseFailed:
			return st.Err.Render("Not sent: " + errText(s.err) + " — your text is kept.")
		case phaseSent:
			return st.Ok.Render("Sent ✓ " + sanitize.Line(s.text) + " — waiting for the agent to pick it up…")
		case phaseEchoed:
			return st.Ok.Render("Delivered ✓ the agent received it.")
		}
	}
	if m.focus != panePrompt {
		return st.Muted.Render(m.keys.Reply.Binding.Help().Key + " to answer")
	}
	return st.Muted.Render(m.keys.Send.Binding.Help().Key + " send · " + m.keys.Newline.Binding.Help().Key + " new line · " +
		m.keys.Leave.Binding.Help().Key + " leave (draft kept)")
}

func (m *Model) agentsPaneView(g geom) string {
	t := &m.agentPane
	focused := m.focus == paneAgents
	seq := uint64(0)
	if m.snap != nil {
		seq = m.snap.Seq
	}
	key := agentsKey{seq: seq, ver: m.execs.agentsVer, cursor: t.cursor, offset: t.offset, focused: focused, w: g.agentsW, h: g.bodyH}
	if m.agentsMemo.key == key && m.agentsMemo.text != "" {
		return m.agentsMemo.text
	}
	text := m.renderAgentsPane(g, focused)
	m.agentsMemo = agentsMemo{key: key, text: text}
	return text
}

// agentsMemo keeps the agents pane, which changes only with the snapshot,
// its rows, its cursor, focus and size.
type agentsMemo struct {
	key  agentsKey
	text string
}

type agentsKey struct {
	seq, ver       uint64
	cursor, offset int
	focused        bool
	w, h           int
}

func (m *Model) renderAgentsPane(g geom, focused bool) string {
	st := m.st
	t := &m.agentPane
	lines := []string{t.header(st)}
	from, to := t.visible()
	for r := from; r < to; r++ {
		var cells []string
		if r == 0 {
			run, ask := 0, 0
			if m.snap != nil {
				run = m.snap.Len() - m.terminalCount()
				ask = len(m.snap.Waiting)
			}
			cells = []string{"All agents", fmt.Sprint(run), fmt.Sprint(ask)}
		} else {
			a := m.execs.agents[r-1]
			cells = []string{sanitize.Line(a.Name), fmt.Sprint(a.Stats.Active), fmt.Sprint(a.Stats.Waiting)}
		}
		line := t.joinCells(cells)
		switch {
		case r == t.cursor && focused:
			line = st.Selected.Render(line)
		case r == t.cursor:
			line = st.Bold.Render(line)
		case r > 0 && m.execs.agents[r-1].Stats.Waiting > 0:
			line = st.Status(api.StatusPausedByAgent).Render(line)
		}
		lines = append(lines, line)
	}
	return frame(st, "Agents", lines, g.agentsW, g.bodyH, focused)
}

func (m *Model) terminalCount() int {
	n := 0
	for _, s := range api.TerminalStatuses {
		n += m.snap.Counts[s]
	}
	return n
}

// --- list views ------------------------------------------------------------

func (m *Model) listBody(lp *listPane, h int) string {
	if lp == nil {
		return ""
	}
	title := fmt.Sprintf("%s %d", lp.title, len(lp.rows))
	if lp.filter != "" {
		title += " · /" + sanitize.Line(lp.filter)
	}
	if st := lp.sortTitle(); st != "" {
		title += " · " + st
	}
	if !m.catalog && (m.view == viewAgents || m.view == viewProfiles || m.view == viewPools) && len(lp.rows) == 0 {
		return frame(m.st, title, padAll([]string{" " + m.st.Muted.Render("Loading…")}, m.w-2), m.w, h, true)
	}
	return frame(m.st, title, m.renderList(lp, true), m.w, h, true)
}
