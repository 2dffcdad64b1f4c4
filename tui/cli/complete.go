package cli

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
)

// completionTimeout bounds the platform requests of one shell completion: a
// slow platform gives no completions rather than a stuck shell.
var completionTimeout = 2 * time.Second

// completionLimit is how many candidates a completion offers.
const completionLimit = 50

// Commands whose positional arguments are executions: at most one, or any
// number.
var (
	oneExecution   = []string{"executions get", "activities", "wait", "files", "recording", "reply"}
	manyExecutions = []string{"pause", "resume", "cancel"}
)

// completeArgs adds the completions that ask the platform: execution ids
// (active ones first, with their agent), agent names, profiles and pools,
// to every command and flag that takes one.
func (a *app) completeArgs(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		switch {
		case slices.Contains(oneExecution, path):
			c.ValidArgsFunction = a.completeExecutions(1)
		case slices.Contains(manyExecutions, path):
			c.ValidArgsFunction = a.completeExecutions(-1)
		case path == "execute":
			c.ValidArgsFunction = a.firstArg(a.completeAgents)
		case path == "profiles get" || path == "profiles update" || path == "profiles delete":
			c.ValidArgsFunction = a.firstArg(a.completeProfiles)
		case path == "pools get":
			c.ValidArgsFunction = a.firstArg(a.completePools)
		}
		flags := map[string]func(ctx context.Context, be api.Backend, toComplete string) ([]cobra.Completion, error){
			"agent": a.completeAgents, "profile": a.completeProfiles, "pool": a.completePools,
		}
		for name, fn := range flags {
			if f := c.LocalNonPersistentFlags().Lookup(name); f != nil && f.Value.Type() == "string" {
				_ = c.RegisterFlagCompletionFunc(name, func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
					return a.completing(cmd, func(ctx context.Context, be api.Backend) ([]cobra.Completion, error) {
						return fn(ctx, be, toComplete)
					})
				})
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completing runs fetch against the configured platform quietly: warnings
// and notices are dropped, a failure or the timeout gives no completions.
func (a *app) completing(cmd *cobra.Command, fetch func(ctx context.Context, be api.Backend) ([]cobra.Completion, error)) ([]cobra.Completion, cobra.ShellCompDirective) {
	const directive = cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	a.io.Err = io.Discard
	parent := cmd.Context()
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, completionTimeout)
	defer cancel()
	a.flags.timeout = min(a.flags.timeout, completionTimeout)
	be, err := a.backend(ctx)
	if err != nil {
		return nil, directive
	}
	out, err := fetch(ctx, be)
	if err != nil || ctx.Err() != nil {
		return nil, directive
	}
	return out, directive
}

// firstArg completes a command's first positional argument with fn.
func (a *app) firstArg(fn func(ctx context.Context, be api.Backend, toComplete string) ([]cobra.Completion, error)) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.completing(cmd, func(ctx context.Context, be api.Backend) ([]cobra.Completion, error) {
			return fn(ctx, be, toComplete)
		})
	}
}

// completeExecutions completes execution ids that start with what was typed,
// active ones first (those waiting for a person leading, then newest first),
// then the others, each described by its agent and status;
// max is how many positional arguments the command takes (-1: any).
func (a *app) completeExecutions(max int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max >= 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.completing(cmd, func(ctx context.Context, be api.Backend) ([]cobra.Completion, error) {
			var out []cobra.Completion
			seen := map[string]bool{}
			for _, arg := range args {
				seen[arg] = true
			}
			for _, statuses := range [][]api.Status{api.ActiveStatuses, nil} {
				page, err := be.ListExecutions(ctx, api.ExecutionQuery{
					ExecutionID: toComplete, Statuses: statuses, PageSize: completionLimit,
					SortField: "created_at", SortDirection: api.SortDesc,
				})
				if err != nil {
					return nil, err
				}
				// Those waiting for a person lead.
				slices.SortStableFunc(page.Items, func(x, y api.Execution) int {
					return boolRank(y.Status.AwaitsHuman()) - boolRank(x.Status.AwaitsHuman())
				})
				for _, e := range page.Items {
					if seen[e.ID] || !hasPrefixFold(e.ID, toComplete) || len(out) == completionLimit {
						continue
					}
					seen[e.ID] = true
					out = append(out, cobra.CompletionWithDesc(e.ID, completionText(joinNonEmpty(" · ", e.AgentName, e.StatusWord()))))
				}
				if len(out) == completionLimit {
					break
				}
			}
			return out, nil
		})
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// completeAgents completes agent names that contain what was typed (the
// platform's search), described by their ids.
func (a *app) completeAgents(ctx context.Context, be api.Backend, toComplete string) ([]cobra.Completion, error) {
	page, err := be.ListAgents(ctx, api.AgentQuery{Search: toComplete, PageSize: completionLimit, SortField: "name", SortDirection: api.SortAsc})
	if err != nil {
		return nil, err
	}
	cands := make([]candidate, len(page.Items))
	for i, ag := range page.Items {
		cands[i] = candidate{id: ag.ID, name: ag.Name}
	}
	return namesOrIDs(cands, toComplete), nil
}

// completeProfiles completes profile names (ids where a name is shared).
func (a *app) completeProfiles(ctx context.Context, be api.Backend, toComplete string) ([]cobra.Completion, error) {
	profiles, err := be.ListProfiles(ctx, api.ProfileQuery{})
	if err != nil {
		return nil, err
	}
	cands := make([]candidate, len(profiles))
	for i, p := range profiles {
		cands[i] = candidate{id: p.ID, name: p.Name}
	}
	return namesOrIDs(cands, toComplete), nil
}

// completePools completes pool names (ids where a name is shared).
func (a *app) completePools(ctx context.Context, be api.Backend, toComplete string) ([]cobra.Completion, error) {
	page, err := be.ListPools(ctx, api.PoolQuery{Search: toComplete, PageSize: completionLimit, SortField: "name", SortDirection: api.SortAsc})
	if err != nil {
		return nil, err
	}
	cands := make([]candidate, len(page.Items))
	for i, p := range page.Items {
		cands[i] = candidate{id: p.ID, name: p.Name}
	}
	return namesOrIDs(cands, toComplete), nil
}

// namesOrIDs offers each candidate's name, described by its id, where the
// name is its alone and starts with what was typed; else its id.
func namesOrIDs(cands []candidate, toComplete string) []cobra.Completion {
	count := map[string]int{}
	for _, k := range cands {
		count[strings.ToLower(k.name)]++
	}
	var out []cobra.Completion
	for _, k := range cands[:min(len(cands), completionLimit)] {
		name := completionText(k.name)
		switch {
		case name != "" && count[strings.ToLower(k.name)] == 1 && hasPrefixFold(name, toComplete):
			out = append(out, cobra.CompletionWithDesc(name, k.id))
		case hasPrefixFold(k.id, toComplete):
			out = append(out, cobra.CompletionWithDesc(k.id, name))
		}
	}
	return out
}

// completionText makes platform text safe for a completion line: one line,
// no control characters, no tab (which separates the description).
func completionText(s string) string {
	return strings.ReplaceAll(sanitize.Line(s), "\t", " ")
}
