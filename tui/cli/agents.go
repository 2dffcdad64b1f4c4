package cli

import (
	"cmp"
	"context"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

func (a *app) agentsCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:   "agents",
		Short: "List the agents you can run",
		Long: `Agents are the automations of your organization. Each run of an agent is an
execution ('agentop executions'); start one with 'agentop execute'.`,
		Example: "  agentop agents list\n  agentop agents list --search invoice -o json",
	})
	cmd.AddCommand(a.agentsListCmd(), a.agentsVersionsCmd())
	return cmd
}

func (a *app) agentsListCmd() *cobra.Command {
	var search string
	var limit int
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List agents",
		Long: `List the agents of your organization, by name.

--search keeps agents whose name contains the text (case-insensitive, on the
server). --limit caps how many are fetched; agentop pages through the API
until it has that many.`,
		Example: `  agentop agents list
  agentop agents list --search invoice --limit 10
  agentop agents list -o json | jq -r '.[].id'`,
		Args: args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			if fleet, err := a.allContexts(); err != nil || fleet {
				return cmp.Or(err, a.fleetAgents(cmd.Context(), search, limit))
			}
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			agents, err := a.listAgents(cmd.Context(), be, search, limit)
			if err != nil {
				return err
			}
			return a.emit(outputs(agents, agentOutput), func(w io.Writer) error {
				// A STATUS column where the platform says how each agent is
				// (Prefactor: pending, active, dormant, retired).
				status := slices.ContainsFunc(agents, func(ag api.Agent) bool { return ag.Status != "" })
				cols := []column{{title: "ID", keep: true}, {title: "NAME", flex: true}}
				if status {
					cols = append(cols, column{title: "STATUS"})
				}
				t := a.newTable(append(cols, column{title: "CREATED"}, column{title: "DESCRIPTION", flex: true})...)
				now := a.now()
				for _, ag := range agents {
					cells := []string{ag.ID, ag.Name}
					if status {
						cells = append(cells, ag.Status)
					}
					t.add(append(cells, age(now, ag.CreatedAt), ag.Description)...)
				}
				return a.printTable(w, t, "no agents found")
			})
		},
	}
	cmd.Flags().StringVar(&search, "search", "", "only agents whose name contains `TEXT`")
	cmd.Flags().IntVar(&limit, "limit", defaultLimit, "fetch at most `N` agents")
	return fleetCommand(cmd)
}

// listAgents lists up to limit agents of be by name, those whose name
// contains search when it is set.
func (a *app) listAgents(ctx context.Context, be api.Backend, search string, limit int) ([]api.Agent, error) {
	agents, err := collect(ctx, limit, func(ctx context.Context, at pageAt) (api.Page[api.Agent], error) {
		return be.ListAgents(ctx, api.AgentQuery{Page: at.Page, PageSize: at.Size, Cursor: at.Cursor, Search: search, SortField: "name", SortDirection: api.SortAsc})
	})
	if err != nil {
		return nil, failed(err, "list agents")
	}
	return agents, nil
}
