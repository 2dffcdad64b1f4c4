package executions

import (
	"fmt"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Render implements pane.Pane: the agents pane beside the table, the feed
// and the reply box, in the layout of the last SetSize.
func (v *View) Render() []string {
	g := v.geo
	if g.rightW == 0 { // the agents pane, zoomed
		return v.agentsPaneView(g)
	}
	var right []string
	if g.tableH > 0 {
		right = v.tablePane(g)
	}
	if g.feedH > 0 {
		right = append(right, v.feedPane(g)...)
	}
	if g.replyH > 0 {
		right = append(right, v.reply.Render()...)
	}
	if g.agentsW == 0 {
		return right
	}
	return kit.JoinColumns(v.agentsPaneView(g), right)
}

func (v *View) tablePane(g geom) []string {
	l, st := &v.rows, v.ctx.Styles
	shown, total := len(l.rows), v.ctx.Snap.Len()
	title := fmt.Sprintf("Executions %d", shown)
	if shown != total {
		title = fmt.Sprintf("Executions %d of %d", shown, total)
	}
	if l.agentID != "" {
		title += " · agent " + sanitize.Line(v.agentName(l.agentID))
	}
	if name := v.sectionName(); name != "" {
		title += " · :" + sanitize.Line(name) + " /" + sanitize.Line(l.filter)
	} else if l.filter != "" {
		title += " · /" + sanitize.Line(l.filter)
	}
	title += v.bulkTitle()
	dir := "↓"
	if l.reverse {
		dir = "↑"
	}
	title += " · by " + sortNames[l.sortBy] + " " + dir
	var body []string
	switch {
	case l.snap == nil: // no rows built yet (the first build runs off the loop)
		title = "Executions"
		msg := st.Muted.Render("Loading executions…")
		if r := v.ctx.Refused(); r != "" {
			msg = st.Err.Render(r)
		}
		body = kit.PadAll(kit.Wrap(" "+msg, g.rightW-2), g.rightW-2)
	case len(l.rows) == 0 && total == 0:
		body = kit.PadAll([]string{l.table.Header(st), "", " " + st.Muted.Render("No executions yet. Press "+v.ctx.Keys.Execute.Binding.Help().Key+" to start one.")}, g.rightW-2)
	case len(l.rows) == 0:
		body = kit.PadAll([]string{l.table.Header(st), "", " " + st.Muted.Render("Nothing matches; esc clears the filter.")}, g.rightW-2)
	default:
		body = v.renderRows(g.rightW-2, v.focus == areaTable)
	}
	return kit.Frame(st, title, body, g.rightW, g.tableH, v.focus == areaTable)
}

func (v *View) agentName(id string) string {
	for _, a := range v.rows.agents {
		if a.ID == id {
			return a.Name
		}
	}
	return kit.ShortID(id)
}

func (v *View) feedPane(g geom) []string {
	st := v.ctx.Styles
	e, ok := v.selectedExec()
	f := v.currentFeed()
	if !ok || f == nil {
		return kit.Frame(st, "Activity", kit.PadAll([]string{" " + st.Muted.Render("Select an execution to follow its activity.")}, g.rightW-2), g.rightW, g.feedH, v.focus == areaFeed)
	}
	title := fmt.Sprintf("Activity · %s %s · %s", sanitize.Line(e.AgentName), kit.ShortID(e.ID), f.Status())
	if f.Frozen() {
		title += " · PAUSED"
		if n := f.Held(); n > 0 {
			title += fmt.Sprintf(" (%d new)", n)
		}
	}
	body := strings.Split(f.View(), "\n")
	if line := v.ctx.Line; line.Kind == pane.LineSearch {
		body = append(body, kit.PadLine(" "+line.Input.View(), g.rightW-2))
	} else if q := f.Query(); q != "" {
		i, n := f.MatchInfo()
		body = append(body, kit.PadLine(" "+st.Muted.Render(fmt.Sprintf("/%s  %d/%d  n next · N previous · esc clear", sanitize.Line(q), i, n)), g.rightW-2))
	}
	return kit.Frame(st, title, body, g.rightW, g.feedH, v.focus == areaFeed)
}

// replyTarget is the execution the reply pane is about: while the box has
// the keyboard, the one its draft is addressed to (never silently another);
// otherwise the selected one.
func (v *View) replyTarget() (api.Execution, bool) {
	if v.focus == areaPrompt && v.reply.ExecID() != "" {
		if e, ok := v.ctx.Snap.Get(v.reply.ExecID()); ok {
			return e, true
		}
		return api.Execution{ID: v.reply.ExecID()}, true
	}
	return v.selectedExec()
}
