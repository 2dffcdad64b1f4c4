package cli

import (
	"context"
	"io"

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
	cmd.AddCommand(a.agentsListCmd())
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
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			agents, err := collect(cmd.Context(), limit, func(ctx context.Context, page, size int) (api.Page[api.Agent], error) {
				return be.ListAgents(ctx, api.AgentQuery{Page: page, PageSize: size, Search: search, SortField: "name", SortDirection: api.SortAsc})
			})
			if err != nil {
				return failed(err, "list agents")
			}
			return a.emit(outputs(agents, agentOutput), func(w io.Writer) error {
				t := a.newTable(column{title: "ID", keep: true}, column{title: "NAME", flex: true}, column{title: "CREATED"}, column{title: "DESCRIPTION", flex: true})
				now := a.now()
				for _, ag := range agents {
					t.add(ag.ID, ag.Name, age(now, ag.CreatedAt), ag.Description)
				}
				return a.printTable(w, t, "no agents found")
			})
		},
	}
	cmd.Flags().StringVar(&search, "search", "", "only agents whose name contains `TEXT`")
	cmd.Flags().IntVar(&limit, "limit", defaultLimit, "fetch at most `N` agents")
	return cmd
}
