package lists

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/views/executions"
	"github.com/agentop/agentop/tui/sanitize"
)

// agentStatusCol is the agents view's STATUS column.
const agentStatusCol = 1

// Agents lists the agents with their counts; enter shows an agent's
// executions, e executes it.
var Agents = Def[pane.AgentRow]{
	Info:    pane.Info{Name: "agents", Aliases: []string{"agent", "ag", "a"}, Title: "Agents", Key: "2", KeyHelp: "agents"},
	Heading: "Agents",
	Empty:   "No agents yet.",
	Columns: []kit.Column{
		{Title: "NAME", Flex: 2, Min: 16},
		{Title: "STATUS", Width: 8, Optional: true}, // the platform's word for the agent, where it has one
		{Title: "ACTIVE", Width: 6, Right: true},
		{Title: "WAITING", Width: 7, Right: true},
		{Title: "FAILED", Width: 6, Right: true},
		{Title: "RUNS", Width: 5, Right: true},
		{Title: "LAST RUN", Width: 8, Right: true},
		{Title: "ENDED 6H", Width: 8, HideBelow: 80},
		{Title: "OK 6H", Width: 5, Right: true, HideBelow: 80},
		{Title: "DESCRIPTION", Flex: 3, Min: 10, HideBelow: 100},
	},
	Source: func(ctx *pane.Context) []pane.AgentRow { return ctx.Agents },
	Text:   func(r pane.AgentRow) string { return r.Label() + " " + r.ID + " " + r.Status },
	Sorts: []Sort[pane.AgentRow]{
		{"attention", nil}, // waiting first, then by name
		{"name", ByText(func(r pane.AgentRow) string { return r.Name })},
		{"active", ByMost(func(r pane.AgentRow) int { return r.Stats.Active })},
		{"failed", ByMost(func(r pane.AgentRow) int { return r.Stats.Failed })},
		{"runs", ByMost(func(r pane.AgentRow) int { return r.Stats.Total })},
		{"last run", ByNewest(func(r pane.AgentRow) time.Time { return r.Stats.LastRun })},
		{"success", ByMost(func(r pane.AgentRow) int { return r.OK })}, // none ended (-1) last
	},
	Cells: func(ctx *pane.Context, r pane.AgentRow, sel bool) []string {
		waiting := fmt.Sprint(r.Stats.Waiting)
		if r.Stats.Waiting > 0 && !sel {
			waiting = ctx.Styles.Status(api.StatusPausedByAgent).Render(waiting)
		}
		return []string{sanitize.Line(r.Label()), sanitize.Line(r.Status), fmt.Sprint(r.Stats.Active), waiting, fmt.Sprint(r.Stats.Failed),
			fmt.Sprint(r.Stats.Total), kit.Ago(ctx.Now, r.Stats.LastRun), r.Spark, r.OKText(), sanitize.Line(r.Description)}
	},
	Open: func(ctx *pane.Context, r pane.AgentRow) tea.Cmd { return ctx.Host.Show(pane.Target{Agent: r.ID}) },
	Act: func(ctx *pane.Context, k tea.KeyPressMsg, r pane.AgentRow, ok bool) tea.Cmd {
		if key.Matches(k, ctx.Keys.Execute.Binding) {
			return executions.OpenExecute(ctx, r.ID) // r is zero when none is selected: no agent preselected
		}
		return nil
	},
	Help:    func(km *keys.KeyMap) []*keys.Action { return []*keys.Action{km.Execute} },
	Has:     func(r pane.AgentRow, col int) bool { return col == agentStatusCol && r.Status != "" },
	Follows: pane.DataAgents,
	Catalog: true,
}
