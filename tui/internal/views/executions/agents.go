package executions

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/sanitize"
)

// agentsMemo keeps the agents pane, which changes only with the snapshot,
// its rows, its cursor, focus and size.
type agentsMemo struct {
	key   agentsKey
	lines []string
}

type agentsKey struct {
	seq, ver       uint64
	cursor, offset int
	focused        bool
	w, h           int
}

func (v *View) agentsPaneView(g geom) []string {
	t := &v.agentPane
	focused := v.focus == areaAgents
	seq := uint64(0)
	if v.ctx.Snap != nil {
		seq = v.ctx.Snap.Seq
	}
	key := agentsKey{seq: seq, ver: v.rows.agentsVer, cursor: t.Cursor(), offset: t.Offset(), focused: focused, w: g.agentsW, h: g.bodyH}
	if v.agentsMemo.key == key && v.agentsMemo.lines != nil {
		return v.agentsMemo.lines
	}
	lines := v.renderAgentsPane(g, focused)
	v.agentsMemo = agentsMemo{key: key, lines: lines}
	return lines
}

func (v *View) renderAgentsPane(g geom, focused bool) []string {
	st, snap, agents := v.ctx.Styles, v.ctx.Snap, v.rows.agents
	t := &v.agentPane
	lines := []string{t.Header(st)}
	from, to := t.Visible()
	for r := from; r < to; r++ {
		var cells []string
		if r == 0 {
			run, ask := 0, 0
			if snap != nil {
				run = snap.Len() - terminalCount(snap.Counts)
				ask = len(snap.Waiting)
			}
			cells = []string{"All agents", fmt.Sprint(run), fmt.Sprint(ask), "", ""}
		} else {
			a := agents[r-1]
			cells = []string{sanitize.Line(a.Label()), fmt.Sprint(a.Stats.Active), fmt.Sprint(a.Stats.Waiting), a.Spark, a.OKText()}
		}
		line := t.JoinCells(cells)
		switch {
		case r == t.Cursor() && focused:
			line = st.Selected.Render(line)
		case r == t.Cursor():
			line = st.Bold.Render(line)
		case r > 0 && agents[r-1].Stats.Waiting > 0:
			line = st.Status(api.StatusPausedByAgent).Render(line)
		}
		lines = append(lines, line)
	}
	return kit.Frame(st, "Agents", lines, g.agentsW, g.bodyH, focused)
}

func terminalCount(counts map[api.Status]int) int {
	n := 0
	for _, s := range api.TerminalStatuses {
		n += counts[s]
	}
	return n
}

// onAgentPaneKey moves in the agents pane; the selection filters the table.
func (v *View) onAgentPaneKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	t := &v.agentPane
	if key.Matches(k, v.ctx.Keys.Open.Binding) {
		v.setFocus(areaTable)
		return nil, true
	}
	mv := kit.Scroll(v.ctx.Keys, k)
	if mv == kit.NoMotion {
		return nil, false
	}
	t.Apply(mv)
	id := ""
	if c := t.Cursor(); c > 0 && c-1 < len(v.rows.agents) {
		id = v.rows.agents[c-1].ID
	}
	if id == v.rows.agentID {
		return nil, true
	}
	v.rows.agentID = id
	return v.requestRows(), true
}

// showAgent narrows the table to an agent's executions.
func (v *View) showAgent(id string) tea.Cmd {
	v.rows.agentID = id
	for j, a := range v.rows.agents {
		if a.ID == id {
			v.agentPane.SetCursor(j + 1)
		}
	}
	v.setFocus(areaTable)
	return v.requestRows()
}
