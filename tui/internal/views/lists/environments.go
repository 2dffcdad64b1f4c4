package lists

import (
	"cmp"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// EnvironmentRow is one environment with the agents deployed to it.
type EnvironmentRow struct {
	api.Environment
	Agents []string // names of the agents deployed to it, in the listing's order
}

// Environments lists where agents are deployed (read-only); enter shows
// one with its agents.
var Environments = Def[EnvironmentRow]{
	Info: pane.Info{Name: "environments", Aliases: []string{"environment", "envs", "env"}, Title: "Environments", Key: "8", KeyHelp: "environments",
		Needs: func(c api.Capabilities) bool { return c.Deployments }},
	Heading: "Environments",
	Empty:   "No environments.",
	Columns: []kit.Column{
		{Title: "NAME", Flex: 1, Min: 14},
		{Title: "AGENTS", Width: 6, Right: true},
		{Title: "ID", Flex: 1, Min: 10, HideBelow: 60},
	},
	Source: environmentRows,
	Text:   func(r EnvironmentRow) string { return r.Name + " " + r.ID },
	Sorts: []Sort[EnvironmentRow]{
		{"name", ByText(func(r EnvironmentRow) string { return r.Name })},
		{"agents", ByMost(func(r EnvironmentRow) int { return len(r.Agents) })},
	},
	Cells: func(ctx *pane.Context, r EnvironmentRow, sel bool) []string {
		return []string{sanitize.Line(cmp.Or(r.Name, r.ID)), fmt.Sprint(len(r.Agents)), sanitize.Line(r.ID)}
	},
	Open: func(ctx *pane.Context, r EnvironmentRow) tea.Cmd {
		ctx.Host.Open(overlay.NewPage(ctx, "Environment "+sanitize.Line(cmp.Or(r.Name, r.ID)), func(w int) []string { return environmentLines(ctx, r, w) }))
		return nil
	},
	Follows: pane.DataCatalog,
	Catalog: true,
}

// agentNames maps the catalog's agent ids to names.
func agentNames(ctx *pane.Context) map[string]string {
	names := make(map[string]string, len(ctx.Catalog.Agents))
	for _, a := range ctx.Catalog.Agents {
		names[a.ID] = a.Name
	}
	return names
}

// environmentRows counts each environment's agents (once per catalog, not
// per frame).
func environmentRows(ctx *pane.Context) []EnvironmentRow {
	names := agentNames(ctx)
	byEnv := map[string][]string{}
	for _, d := range ctx.Catalog.Deployments {
		byEnv[d.EnvironmentID] = append(byEnv[d.EnvironmentID], cmp.Or(names[d.AgentID], d.AgentID))
	}
	out := make([]EnvironmentRow, len(ctx.Catalog.Environments))
	for i, e := range ctx.Catalog.Environments {
		out[i] = EnvironmentRow{Environment: e, Agents: byEnv[e.ID]}
	}
	return out
}

func environmentLines(ctx *pane.Context, r EnvironmentRow, w int) []string {
	lines := []string{
		overlay.KV(ctx, "Name", sanitize.Line(r.Name), w),
		overlay.KV(ctx, "ID", sanitize.Line(r.ID), w),
		overlay.KV(ctx, "Organization", sanitize.Line(r.OrganizationID), w),
		"",
		" " + ctx.Styles.Accent.Render(fmt.Sprintf("Agents deployed (%d)", len(r.Agents))),
	}
	for _, a := range r.Agents {
		lines = append(lines, "   "+sanitize.Line(a))
	}
	return lines
}
