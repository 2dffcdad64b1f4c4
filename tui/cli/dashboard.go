package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui"
	"github.com/agentop/agentop/tui/config"
	"github.com/agentop/agentop/tui/theme"
)

// runDashboard is agentop with no subcommand: the live dashboard.
func (a *app) runDashboard(cmd *cobra.Command, _ []string) error {
	if !a.io.Term.StdoutIsTerminal() || !a.io.Term.StdinIsTerminal() {
		return usageErrorf("the dashboard needs a terminal; for scripts use a command such as 'agentop executions list'")
	}
	opts, err := a.dashboardOptions(cmd.Context())
	if err != nil {
		return err
	}
	return tui.Run(cmd.Context(), opts)
}

// dashboardOptions resolves what the dashboard runs with. With no key
// configured (or with --demo) it runs on the built-in simulator, marked as
// demo data.
func (a *app) dashboardOptions(ctx context.Context) (tui.Options, error) {
	cfg, err := a.config()
	if err != nil {
		return tui.Options{}, err
	}
	th, err := theme.Choose(cfg.Theme.Value)
	if err != nil {
		return tui.Options{}, withCode(exitUsage, err)
	}
	demo := a.flags.demo || !cfg.Key.Configured()
	if fleet, err := a.dashboardFleet(ctx, demo); err != nil || fleet != nil {
		if err != nil {
			return tui.Options{}, err
		}
		return tui.Options{
			Fleet: fleet, Demo: a.flags.demo, Theme: th, Keys: cfg.Keys.Value, Notify: tui.Notify(cfg.Notify.Value),
			StateDir: config.StateDir(a.env), FeedLimit: cfg.FeedLimit.Value, Logger: a.log,
		}, nil
	}
	var be api.Backend
	if demo {
		be, err = a.demoBackend(ctx)
	} else {
		be, err = a.backend(ctx)
	}
	if err != nil {
		return tui.Options{}, err
	}
	org := cfg.Organization.Value
	if demo {
		org = ""
	}
	return tui.Options{
		Backend:      be,
		Context:      cfg.Context.Value,
		Organization: org,
		BaseURL:      a.endpoint,
		Demo:         demo,
		ReadOnly:     cfg.ReadOnly.Value,
		Theme:        th,
		Keys:         cfg.Keys.Value,
		Notify:       tui.Notify(cfg.Notify.Value),
		StateDir:     config.StateDir(a.env),
		FeedLimit:    cfg.FeedLimit.Value,
		Logger:       a.log,
		Commands:     dashboardCommands(cfg.Commands),
		Filters:      cfg.Filters,
	}, nil
}

// dashboardFleet is the fleet the dashboard shows, nil for one context:
// every context of the config file with --all-contexts (or all-contexts:
// true); on demo data without --platform, one simulator per platform
// (when there is more than one platform).
func (a *app) dashboardFleet(ctx context.Context, demo bool) ([]tui.FleetContext, error) {
	all, err := a.allContexts()
	if err != nil {
		return nil, err
	}
	switch {
	case all:
		// The config's contexts, each with its own key (or, with --demo,
		// every platform's simulator).
	case demo && !a.root.PersistentFlags().Changed("platform") && a.env(config.EnvPlatform) == "" && len(platform.All()) > 1:
		a.flags.demo = true // no key: the fleet of every platform's simulator
	default:
		return nil, nil
	}
	members, err := a.fleet(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]tui.FleetContext, len(members))
	for i, m := range members {
		out[i] = tui.FleetContext{Name: m.Context, Platform: m.Platform, Backend: m.Backend, Organization: m.Organization, ReadOnly: m.ReadOnly}
	}
	return out, nil
}

func (a *app) keysCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "keys",
		Short: "Print the dashboard's key bindings",
		Long: `Print every key binding of the dashboard as Markdown tables, one per view,
with the overrides of the config file applied (which also checks them).

Rebind an action under keys: in the config file by its name, e.g.
  keys:
    pause: [P]
    next-waiting: ["!", ctrl+n]
An empty list unbinds it; a key already bound in the same place is reported.`,
		Example: "  agentop keys\n  agentop keys | glow -",
		Args:    args(0),
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			km := tui.DefaultKeyMap()
			if err := km.Override(cfg.Keys.Value); err != nil {
				return withCode(exitUsage, fmt.Errorf("%s: %w", cfg.Path.Value, err))
			}
			_, err = fmt.Fprint(a.io.Out, km.Markdown())
			return err
		},
	}
}

// dashboardCommands are the config's custom commands for the dashboard.
func dashboardCommands(cs []config.Command) []tui.Command {
	out := make([]tui.Command, 0, len(cs))
	for _, c := range cs {
		out = append(out, tui.Command{Name: c.Name, Key: c.Key, Description: c.Description, Run: c.Run, Interactive: c.Interactive, Safe: c.Safe})
	}
	return out
}
