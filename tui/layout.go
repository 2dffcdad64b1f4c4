package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/sanitize"
)

// Fixed rows around the body.
const (
	headerRows = 2
	footerRows = 1
)

// geom is the executions view's layout for the current size and state.
type geom struct {
	bodyH   int
	agentsW int // 0: hidden
	rightW  int
	tableH  int // frame heights
	feedH   int
	replyH  int  // 0: hidden
	qLines  int  // question lines in the reply pane
	taH     int  // text box lines
	gap     bool // a blank line between question and box
}

func (m *Model) agentsWidth() int {
	if !m.showAgents || m.w < 100 {
		return 0
	}
	return min(max(m.w/5, 24), 34)
}

// geometry computes the executions view's layout. It is O(1) but for the
// reply pane's question, which is wrapped once per call (a few lines).
func (m *Model) geometry() geom {
	g := geom{bodyH: max(m.h-headerRows-footerRows, 0), agentsW: m.agentsWidth()}
	g.rightW = m.w - g.agentsW
	if e, ok := m.replyTarget(); ok && m.replyVisible(e) {
		m.replyGeometry(&g, len(m.questionLines(e.ID, g.rightW-4)))
	}
	// The table gets two fifths, at least 4 rows (7 with frame and
	// header), leaving the feed at least 4 lines; a small terminal splits
	// what there is in half. (The minimum size leaves each pane a frame.)
	rest := g.bodyH - g.replyH
	if rest >= 13 {
		g.tableH = max(rest*2/5, 7)
	} else {
		g.tableH = max(rest/2, 3)
	}
	g.feedH = rest - g.tableH
	return g
}

// replyGeometry sizes the reply pane: its frame, the status line and the
// text box always show; the question gets up to 6 lines. When the terminal
// is short, the question shrinks first (to one line), then the blank line,
// then the box (to one line), so what the operator types and the outcome of
// sending it are never cut off.
func (m *Model) replyGeometry(g *geom, questionLines int) {
	maxH := min(max(g.bodyH/2, 9), g.bodyH-6) // table and feed keep a frame each
	g.taH, g.gap = 3, true
	fixed := func() int {
		n := 2 + 1 + g.taH // frame, status, box
		if g.gap {
			n++
		}
		return n
	}
	if fixed()+1 > maxH {
		g.gap = false
	}
	for fixed()+1 > maxH && g.taH > 1 {
		g.taH--
	}
	g.qLines = max(min(questionLines, 6, maxH-fixed()), 1)
	g.replyH = fixed() + g.qLines
}

// layout sizes the panes for the current state (called after every Update).
func (m *Model) layout() {
	if !m.ready {
		return
	}
	if f, ok := m.overlay.(*form); ok {
		f.setWidth(m.w)
	}
	if m.agentsWidth() == 0 && m.focus == paneAgents {
		m.focus = paneTable // the pane is hidden: it cannot keep the keyboard
	}
	if m.view == viewExecutions {
		g := m.geometry()
		m.geo = g
		m.execs.table.setSize(g.rightW-2, g.tableH-3)
		m.agentPane.setSize(max(g.agentsW-2, 1), g.bodyH-3)
		m.reply.ta.SetWidth(max(g.rightW-4, 10))
		if g.replyH > 0 && m.reply.ta.Height() != g.taH {
			m.reply.ta.SetHeight(g.taH)
		}
		m.layoutFeedTo(g)
		return
	}
	if lp := m.lists[m.view]; lp != nil {
		lp.table.setSize(m.w-2, max(m.h-headerRows-footerRows-3, 1))
	}
}

func (m *Model) layoutFeed() {
	if m.ready {
		m.layoutFeedTo(m.geometry())
	}
}

func (m *Model) layoutFeedTo(g geom) {
	f := m.currentFeed()
	if f == nil {
		return
	}
	h := g.feedH - 2
	if m.input != nil && m.inputOf == inputSearch || f.Query() != "" {
		h-- // the search line
	}
	f.SetSize(g.rightW-2, max(h, 1))
	f.SetFocused(m.focus == paneFeed)
}

// questionLines wraps the question of a waiting execution (or explains why
// there is none) to width.
func (m *Model) questionLines(id string, width int) []string {
	text := ""
	if w, ok := m.snap.WaitingFor(id); ok {
		text = sanitize.Text(w.Question)
	} else if st := m.reply.sends[id]; st != nil && st.phase == phaseEchoed {
		text = "✓ Delivered: " + sanitize.Line(st.text)
	} else {
		text = "The agent is not waiting for an answer; a message is delivered as guidance."
	}
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n") {
		out = append(out, strings.Split(ansi.Wrap(para, max(width, 10), ""), "\n")...)
	}
	return out
}
