package lists

import (
	"cmp"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// DeploymentRow is one deployment with its agent's and environment's names.
type DeploymentRow struct {
	api.Deployment
	Agent, Environment string
}

// Deployments lists which agent is deployed where, with the platform's
// status (read-only); enter shows the agent's executions.
var Deployments = Def[DeploymentRow]{
	Info: pane.Info{Name: "deployments", Aliases: []string{"deployment", "deploys", "dep"}, Title: "Deployments", Key: "9", KeyHelp: "deployments",
		Needs: func(c api.Capabilities) bool { return c.Deployments }},
	Heading: "Deployments",
	Empty:   "No deployments.",
	Columns: []kit.Column{
		{Title: "AGENT", Flex: 2, Min: 16},
		{Title: "ENVIRONMENT", Flex: 1, Min: 12},
		{Title: "STATUS", Width: 10},
		{Title: "ID", Flex: 1, Min: 10, HideBelow: 80},
	},
	Source: deploymentRows,
	Text:   func(r DeploymentRow) string { return r.Agent + " " + r.Environment + " " + r.Status + " " + r.ID },
	Sorts: []Sort[DeploymentRow]{
		{"agent", ByText(func(r DeploymentRow) string { return r.Agent })},
		{"environment", ByText(func(r DeploymentRow) string { return r.Environment })},
		{"status", ByText(func(r DeploymentRow) string { return r.Status })},
	},
	Cells: func(ctx *pane.Context, r DeploymentRow, sel bool) []string {
		return []string{sanitize.Line(r.Agent), sanitize.Line(r.Environment), sanitize.Line(r.Status), sanitize.Line(r.ID)}
	},
	Open:    func(ctx *pane.Context, r DeploymentRow) tea.Cmd { return ctx.Host.Show(pane.Target{Agent: r.AgentID}) },
	Follows: pane.DataCatalog,
	Catalog: true,
}

// deploymentRows names each deployment's agent and environment (once per
// catalog, not per frame).
func deploymentRows(ctx *pane.Context) []DeploymentRow {
	agents := agentNames(ctx)
	envs := make(map[string]string, len(ctx.Catalog.Environments))
	for _, e := range ctx.Catalog.Environments {
		envs[e.ID] = e.Name
	}
	out := make([]DeploymentRow, len(ctx.Catalog.Deployments))
	for i, d := range ctx.Catalog.Deployments {
		out[i] = DeploymentRow{Deployment: d, Agent: cmp.Or(agents[d.AgentID], d.AgentID), Environment: cmp.Or(envs[d.EnvironmentID], d.EnvironmentID)}
	}
	return out
}
