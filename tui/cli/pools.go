package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

func (a *app) poolsCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "pools",
		Aliases: []string{"pool"},
		Short:   "List and manage agent profile pools",
		Long: `A profile pool is a set of agent profiles an execution draws one from
(least or most recently used), e.g. to spread runs over several accounts.
Start an execution on a pool with 'agentop execute AGENT --pool ID'.`,
		Example: "  agentop pools list\n  agentop pools get 9d3a…\n  agentop pools create --name eu-billing --strategy mru --concurrent",
	})
	cmd.AddCommand(a.poolsListCmd(), a.poolsGetCmd(), a.poolsCreateCmd(), a.poolsUpdateCmd())
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
		Use:     "get ID|NAME",
		Short:   "Show a profile pool",
		Long:    "Show a profile pool: its name, how it picks a profile, and whether profiles may be used by several executions at once.",
		Example: "  agentop pools get 9d3a…\n  agentop pools get 9d3a… -o json",
		Args:    args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			if args[0], err = a.poolID(cmd.Context(), be, args[0]); err != nil {
				return err
			}
			p, err := be.GetPool(cmd.Context(), args[0])
			if err != nil {
				return failed(err, "get pool %s", args[0])
			}
			return a.printPool(p)
		},
	}
}

// printPool prints one pool as details or JSON.
func (a *app) printPool(p api.ProfilePool) error {
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
}

// strategyHelp lists what --strategy takes.
const strategyHelp = "least_recently_used (lru) or most_recently_used (mru)"

// parseStrategy reads --strategy: a selection strategy or its short form.
func parseStrategy(s string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", "_")) {
	case "lru", api.LeastRecentlyUsed:
		return api.LeastRecentlyUsed, nil
	case "mru", api.MostRecentlyUsed:
		return api.MostRecentlyUsed, nil
	}
	return "", usageErrorf("--strategy: %q is not %s", s, strategyHelp)
}

// poolManager returns be's pool management, or a clear refusal.
func poolManager(be api.Backend) (api.PoolManager, error) {
	pm, ok := be.(api.PoolManager)
	if !ok || !be.Capabilities().ManagePools {
		return nil, withCode(exitUsage, fmt.Errorf("the %s platform cannot create or change profile pools", be.Platform()))
	}
	return pm, nil
}

func (a *app) poolsCreateCmd() *cobra.Command {
	var (
		name, strategy string
		concurrent     bool
	)
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a profile pool",
		Long: `Create a profile pool. Its name (1 to 255 characters) must be new in the
organization. --strategy says which of its profiles an execution gets: the
least recently used (the default) or the most recently used; --concurrent
lets several executions use one profile at once.`,
		Example: `  agentop pools create --name eu-billing
  agentop pools create --name us-ops --strategy mru --concurrent -o json`,
		Args: args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if strings.TrimSpace(name) == "" {
				return usageErrorf("--name is required")
			}
			in := api.PoolInput{Name: name, AllowConcurrentUse: concurrent}
			if cmd.Flags().Changed("strategy") {
				var err error
				if in.SelectionStrategy, err = parseStrategy(strategy); err != nil {
					return err
				}
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			pm, err := poolManager(be)
			if err != nil {
				return err
			}
			if in.OrganizationID, err = a.organization(ctx, be); err != nil {
				return err
			}
			p, err := pm.CreatePool(ctx, in)
			if err != nil {
				return failed(err, "create pool %q", name)
			}
			return a.printPool(p)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the pool's `NAME` (unique in the organization)")
	cmd.Flags().StringVar(&strategy, "strategy", "", "which profile an execution gets: `"+strategyHelp+"`")
	cmd.Flags().BoolVar(&concurrent, "concurrent", false, "let several executions use one profile at once")
	_ = cmd.RegisterFlagCompletionFunc("strategy", strategyCompletion)
	return mutating(cmd)
}

func (a *app) poolsUpdateCmd() *cobra.Command {
	var (
		name, strategy string
		concurrent     bool
	)
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change a profile pool",
		Long: `Change a profile pool: only the settings given are changed. --concurrent=false
turns concurrent use off.`,
		Example: `  agentop pools update 9d3a… --strategy lru
  agentop pools update 9d3a… --name eu-billing-2 --concurrent=false`,
		Args: args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, id := cmd.Context(), args[0]
			var up api.PoolUpdate
			f := cmd.Flags()
			if f.Changed("name") {
				if strings.TrimSpace(name) == "" {
					return usageErrorf("--name cannot be empty")
				}
				up.Name = &name
			}
			if f.Changed("strategy") {
				s, err := parseStrategy(strategy)
				if err != nil {
					return err
				}
				up.SelectionStrategy = &s
			}
			if f.Changed("concurrent") {
				up.AllowConcurrentUse = &concurrent
			}
			if up.Empty() {
				return usageErrorf("nothing to change: give --name, --strategy or --concurrent")
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			pm, err := poolManager(be)
			if err != nil {
				return err
			}
			p, err := pm.UpdatePool(ctx, id, up)
			if err != nil {
				return failed(err, "update pool %s", id)
			}
			return a.printPool(p)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "rename the pool to `NAME`")
	cmd.Flags().StringVar(&strategy, "strategy", "", "which profile an execution gets: `"+strategyHelp+"`")
	cmd.Flags().BoolVar(&concurrent, "concurrent", false, "let several executions use one profile at once (=false: not)")
	_ = cmd.RegisterFlagCompletionFunc("strategy", strategyCompletion)
	return mutating(cmd)
}

func strategyCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return api.SelectionStrategies, cobra.ShellCompDirectiveNoFileComp
}
