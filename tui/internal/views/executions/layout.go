package executions

import (
	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/pane"
)

// geom is the view's layout for the current size and state.
type geom struct {
	bodyH   int
	agentsW int // 0: hidden
	rightW  int
	tableH  int // frame heights
	feedH   int
	replyH  int // 0: hidden
}

// agentsMinWidth is the narrowest screen that shows the agents pane.
const agentsMinWidth = 100

func (v *View) agentsWidth() int {
	if !v.showAgents || v.w < agentsMinWidth {
		return 0
	}
	return min(max(v.w/5, 24), 34)
}

// geometry computes the layout. It is O(1) but for the reply pane's
// question, which is wrapped once per call (a few lines).
func (v *View) geometry() geom {
	g := geom{bodyH: max(v.h, 0), agentsW: v.agentsWidth()}
	if v.zoomed() {
		return v.zoomGeometry(g)
	}
	g.rightW = v.w - g.agentsW
	e, ok := v.replyTarget()
	// The table's height depends on the screen alone where there is room
	// (the reply pane and a feed under it), so selecting an execution
	// that waits does not move the rows: the reply pane takes from the
	// feed. A short terminal shares what there is.
	stable := max(g.bodyH*2/5, 7)
	if g.bodyH-stable >= 13 {
		g.tableH = stable
		g.replyH = v.reply.Layout(e, ok, g.rightW, g.bodyH-g.tableH)
		g.feedH = g.bodyH - g.tableH - g.replyH
		return g
	}
	g.replyH = v.reply.Layout(e, ok, g.rightW, g.bodyH)
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

// zoomed reports the focused pane filling the view (z); the reply box
// never zooms (its question and outcome stay in their layout).
func (v *View) zoomed() bool { return v.zoom && v.focus != areaPrompt }

// zoomGeometry gives the whole view to the focused pane.
func (v *View) zoomGeometry(g geom) geom {
	v.reply.Layout(api.Execution{}, false, v.w, g.bodyH)
	switch v.focus {
	case areaAgents:
		if g.agentsW > 0 {
			g.agentsW, g.rightW = v.w, 0
			return g
		}
		fallthrough
	case areaTable:
		g.agentsW, g.rightW, g.tableH = 0, v.w, g.bodyH
	default:
		g.agentsW, g.rightW, g.feedH = 0, v.w, g.bodyH
	}
	return g
}

// SetSize implements pane.Pane: it lays the panes out for the current
// state (called after every Update; sizes only).
func (v *View) SetSize(w, h int) {
	v.w, v.h = w, h
	if v.agentsWidth() == 0 && v.focus == areaAgents {
		v.focus = areaTable // the pane is hidden: it cannot keep the keyboard
	}
	g := v.geometry()
	v.geo = g
	v.rows.table.SetSize(max(g.rightW-2, 1), max(g.tableH-3, 1))
	v.agentPane.SetSize(max(g.agentsW-2, 1), g.bodyH-3)
	v.reply.SetWidth(g.rightW)
	v.layoutFeedTo(g)
}

// layoutFeed sizes the feed after it changed mid-Update.
func (v *View) layoutFeed() {
	if v.w > 0 {
		v.layoutFeedTo(v.geometry())
	}
}

func (v *View) layoutFeedTo(g geom) {
	f := v.currentFeed()
	if f == nil {
		return
	}
	h := g.feedH - 2
	if v.ctx.Line.Kind == pane.LineSearch || f.Query() != "" {
		h-- // the search line
	}
	f.SetSize(g.rightW-2, max(h, 1))
	f.SetFocused(v.focus == areaFeed)
	f.SetNow(v.ctx.Now)
}
