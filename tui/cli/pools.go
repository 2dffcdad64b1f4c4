package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

func (a *app) poolsCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "pools",
		Aliases: []string{"pool"},
		Short:   "List agent profile pools",
		Long: `A profile pool is a set of agent profiles an execution draws one from
(least or most recently used), e.g. to spread runs over several accounts.
Start an execution on a pool with 'agentop execute AGENT --pool ID'.`,
		Example: "  agentop pools list\n  agentop pools get 9d3a…",
	})
	cmd.AddCommand(a.poolsListCmd(), a.poolsGetCmd())
	return cmd
}

func (a *app) poolsListCmd() *cobra.Command {
	var search string
	var limit int
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List profile pools",
		Long:    "List the profile pools of your organization, by name. --search keeps pools whose name contains the text.",
		Example: "  agentop pools list\n  agentop pools list --search eu -o json",
		Args:    args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			pools, err := collect(cmd.Context(), limit, func(ctx context.Context, at pageAt) (api.Page[api.ProfilePool], error) {
				return be.ListPools(ctx, api.PoolQuery{Page: at.Page, PageSize: at.Size, Search: search, SortField: "name", SortDirection: api.SortAsc})
			})
			if err != nil {
				return failed(err, "list pools")
			}
			return a.emit(outputs(pools, poolOutput), func(w io.Writer) error {
				t := a.newTable(column{title: "ID", keep: true}, column{title: "NAME", flex: true}, column{title: "STRATEGY"},
					column{title: "CONCURRENT"}, column{title: "UPDATED"})
				now := a.now()
				for _, p := range pools {
					t.add(p.ID, p.Name, p.SelectionStrategy, yesNo(p.AllowConcurrentUse), age(now, p.UpdatedAt))
				}
				return a.printTable(w, t, "no pools")
			})
		},
	}
	cmd.Flags().StringVar(&search, "search", "", "only pools whose name contains `TEXT`")
	cmd.Flags().IntVar(&limit, "limit", defaultLimit, "fetch at most `N` pools")
	return cmd
}

func (a *app) poolsGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "get ID",
		Short:   "Show a profile pool",
		Long:    "Show a profile pool: its name, how it picks a profile, and whether profiles may be used by several executions at once.",
		Example: "  agentop pools get 9d3a…\n  agentop pools get 9d3a… -o json",
		Args:    args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			p, err := be.GetPool(cmd.Context(), args[0])
			if err != nil {
				return failed(err, "get pool %s", args[0])
			}
			return a.emit(poolOutput(p), func(w io.Writer) error {
				now := a.now()
				d := a.newDetails()
				d.add("ID", p.ID)
				d.add("Name", p.Name)
				d.add("Organization", p.OrganizationID)
				d.add("Strategy", p.SelectionStrategy)
				d.add("Concurrent use", yesNo(p.AllowConcurrentUse))
				d.add("Created", timestamp(now, p.CreatedAt))
				d.add("Updated", timestamp(now, p.UpdatedAt))
				return d.render(w)
			})
		},
	}
}
