package cli

import (
	"cmp"
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

// deployer is the backend's api.Deployer, or the one-line exit-2 error of a
// platform without environments and deployments.
func (a *app) deployer(cmd *cobra.Command, command string) (api.Deployer, api.Backend, error) {
	be, err := a.backend(cmd.Context())
	if err != nil {
		return nil, nil, err
	}
	d, ok := be.(api.Deployer)
	if !ok || !be.Capabilities().Deployments {
		return nil, nil, unsupported(be, command)
	}
	return d, be, nil
}

func (a *app) environmentsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "environments",
		Aliases: []string{"environment", "envs", "env"},
		Short:   "List the environments agents are deployed to",
		Long: `Environments are where a platform's agents are deployed (Prefactor:
production, staging, ...). They are read-only here.`,
		Example: "  agentop environments list",
		Args:    args(0),
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List environments",
		Long: `List the environments agents are deployed to (read-only). Only platforms
with deployments have them (Prefactor).`,
		Example: "  agentop environments list\n  agentop environments list -o json",
		Args:    args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, _, err := a.deployer(cmd, "environments list")
			if err != nil {
				return err
			}
			envs, err := d.Environments(cmd.Context(), "")
			if err != nil {
				return failed(err, "list environments")
			}
			return a.emit(outputs(envs, func(e api.Environment) EnvironmentOutput {
				return EnvironmentOutput{ID: e.ID, Name: e.Name, OrganizationID: e.OrganizationID}
			}), func(w io.Writer) error {
				t := a.newTable(column{title: "ID", keep: true}, column{title: "NAME", flex: true}, column{title: "ORGANIZATION"})
				for _, e := range envs {
					t.add(e.ID, e.Name, e.OrganizationID)
				}
				return a.printTable(w, t, "no environments")
			})
		},
	})
	return cmd
}

func (a *app) deploymentsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "deployments",
		Aliases: []string{"deployment", "deploys", "dep"},
		Short:   "List where agents are deployed",
		Long: `A deployment is an agent in an environment, with the platform's status of
it. They are read-only here.`,
		Example: "  agentop deployments list --agent \"Refund bot\"",
		Args:    args(0),
	}
	var agent string
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List deployments",
		Long: `List the agents' deployments to environments (read-only), with the
platform's status of each. --agent keeps one agent's. Only platforms with
deployments have them (Prefactor).`,
		Example: "  agentop deployments list\n  agentop deployments list --agent \"Refund bot\" -o json",
		Args:    args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			d, be, err := a.deployer(cmd, "deployments list")
			if err != nil {
				return err
			}
			id := ""
			if agent != "" {
				if id, err = a.agentID(ctx, be, agent); err != nil {
					return err
				}
			}
			deps, err := d.Deployments(ctx, id)
			if err != nil {
				return failed(err, "list deployments")
			}
			// Names only: the ids stand without them.
			names, agents := map[string]string{}, map[string]string{}
			if envs, err := d.Environments(ctx, ""); err == nil {
				for _, e := range envs {
					names[e.ID] = e.Name
				}
			}
			if all, _, err := collectSome(ctx, func(ctx context.Context, at pageAt) (api.Page[api.Agent], error) {
				return be.ListAgents(ctx, api.AgentQuery{Page: at.Page, PageSize: at.Size, Cursor: at.Cursor})
			}); err == nil {
				for _, ag := range all {
					agents[ag.ID] = ag.Name
				}
			}
			return a.emit(outputs(deps, func(x api.Deployment) DeploymentOutput {
				return DeploymentOutput{ID: x.ID, AgentID: x.AgentID, AgentName: agents[x.AgentID], EnvironmentID: x.EnvironmentID, EnvironmentName: names[x.EnvironmentID], Status: x.Status}
			}), func(w io.Writer) error {
				t := a.newTable(column{title: "ID", keep: true}, column{title: "AGENT", flex: true}, column{title: "ENVIRONMENT"}, column{title: "STATUS"})
				for _, x := range deps {
					t.add(x.ID, cmp.Or(agents[x.AgentID], x.AgentID), cmp.Or(names[x.EnvironmentID], x.EnvironmentID), x.Status)
				}
				return a.printTable(w, t, "no deployments")
			})
		},
	}
	list.Flags().StringVar(&agent, "agent", "", "only this agent's deployments (`ID or name`)")
	cmd.AddCommand(list)
	return cmd
}
