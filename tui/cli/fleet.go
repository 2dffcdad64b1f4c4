package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/config"
)

// fleetMember is one context of the fleet, connected.
type fleetMember struct {
	Context  string // the context's name; the platform's name in the demo fleet
	Platform string
	Backend  api.Backend
	ReadOnly bool
	// Organization is the context's organization id ("" when none is set).
	Organization string
}

// annotationFleet marks commands that take --all-contexts.
const annotationFleet = "agentop/fleet"

// fleetCommand marks cmd as taking --all-contexts.
func fleetCommand(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationFleet] = "true"
	return cmd
}

// checkFleetFlag refuses an explicit --all-contexts on a command that acts
// on one context.
func (a *app) checkFleetFlag(cmd *cobra.Command) error {
	if !a.root.PersistentFlags().Changed("all-contexts") || !a.flags.allContexts || cmd.Annotations[annotationFleet] != "" {
		return nil
	}
	return usageErrorf("--all-contexts works with executions list, agents list and wait --for interaction; " +
		"other commands act on one context (pick it with --context)")
}

// allContexts reports whether the invocation covers every context: the flag,
// else the config file's all-contexts.
func (a *app) allContexts() (bool, error) {
	if a.root.PersistentFlags().Changed("all-contexts") {
		return a.flags.allContexts, nil
	}
	if a.flags.demo {
		return false, nil
	}
	cfg, err := a.config()
	if err != nil {
		return false, err
	}
	return cfg.AllContexts.Value && a.flags.context == "", nil
}

// fleet connects to every context of the config file (with --demo: one
// simulator per platform). A context without a usable key is skipped with
// a warning; none usable is an error.
func (a *app) fleet(ctx context.Context) ([]fleetMember, error) {
	if a.flags.demo {
		return a.demoFleet(ctx)
	}
	cfgs, err := config.LoadFleet(a.configFlags(), a.env)
	if err != nil {
		return nil, err
	}
	var out []fleetMember
	for _, cfg := range cfgs {
		name := cfg.Context.Value
		if !cfg.Key.Configured() {
			a.warnf("context %s has no API key configured; skipped", name)
			continue
		}
		key, err := cfg.Key.Resolve(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil, err
			}
			a.warnf("context %s: %v; skipped", name, err)
			continue
		}
		be, err := a.client(cfg.Spec, platform.Options{
			BaseURL: cfg.BaseURL.Value, APIKey: key, OrganizationID: cfg.Organization.Value,
			Extra: extraValues(cfg), AllowInsecure: cfg.Insecure.Value,
		})
		if err != nil {
			a.warnf("context %s: %v; skipped", name, err)
			continue
		}
		out = append(out, fleetMember{Context: name, Platform: cfg.Spec.Name, Backend: be, ReadOnly: cfg.ReadOnly.Value, Organization: cfg.Organization.Value})
	}
	if len(out) == 0 {
		return nil, withCode(exitAuth, fmt.Errorf("no context of %s has a usable API key", cfgs[0].Path.Value))
	}
	return out, nil
}

// demoFleet starts one simulator per platform, each a context named after
// its platform, each with its own seed (the platform's place in the
// registry) so that no two share an id. Every one plays the demo scenario,
// which has an agent waiting for a human from the start.
//
// A platform whose agentop sim serves on the default address (see
// sharedSim) is that simulator, so the dashboard and --demo commands share
// it; the others are started in-process.
func (a *app) demoFleet(ctx context.Context) ([]fleetMember, error) {
	var out []fleetMember
	shared := ""
	for i, spec := range platform.All() {
		be, url := a.sharedSim(ctx, spec)
		if be != nil {
			shared = fmt.Sprintf("; %s's is the agentop sim at %s", spec.Title, url)
		} else {
			var err error
			if be, err = a.simulatedSeed(ctx, spec, int64(i)); err != nil {
				return nil, err
			}
		}
		out = append(out, fleetMember{Context: spec.Name, Platform: spec.Name, Backend: be})
	}
	a.noticef("%s: one fleet per platform%s", demoNotice, shared)
	return out, nil
}

// extraValues returns the platform's own settings of cfg by name.
func extraValues(cfg *config.Config) map[string]string {
	out := make(map[string]string, len(cfg.Extra))
	for name, s := range cfg.Extra {
		out[name] = s.Value
	}
	return out
}

// fleetParallel bounds how many contexts are asked at once.
const fleetParallel = 4

// eachMember runs fn for every member, at most fleetParallel at a time, and
// returns their results in the members' order. A member whose fn fails is
// reported on stderr (fn's error says what failed) and its result left
// zero; when every member failed the first error is returned, and when only
// some did, errPartial says how many.
func eachMember[T any](a *app, ctx context.Context, members []fleetMember, fn func(context.Context, fleetMember) (T, error)) ([]T, error) {
	results := make([]T, len(members))
	errs := make([]error, len(members))
	sem := make(chan struct{}, fleetParallel)
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = fn(ctx, m)
		}()
	}
	wg.Wait()
	var first error
	failedN := 0
	for i, err := range errs {
		if err != nil {
			failedN++
			first = cmp.Or(first, err)
			a.warnf("context %s: %v", members[i].Context, err)
		}
	}
	switch {
	case failedN == len(members):
		return nil, first
	case failedN > 0:
		return results, errPartial{failed: failedN, of: len(members)}
	}
	return results, nil
}

// errPartial is a fleet command that worked for some contexts only: its
// output is printed, and it exits 1.
type errPartial struct{ failed, of int }

func (e errPartial) Error() string {
	return fmt.Sprintf("%d of %d contexts could not be read (see the warnings above)", e.failed, e.of)
}

// partial reports whether err is only an errPartial, to print what there is.
func partial(err error) bool {
	var p errPartial
	return errors.As(err, &p)
}

// FleetExecutionOutput is an execution of a fleet listing: its context and
// platform beside the usual fields.
type FleetExecutionOutput struct {
	Context  string `json:"context"`
	Platform string `json:"platform"`
	ExecutionOutput
}

// FleetAgentOutput is an agent of a fleet listing.
type FleetAgentOutput struct {
	Context  string `json:"context"`
	Platform string `json:"platform"`
	AgentOutput
}

// inContext is an item of a fleet listing with the context it came from.
type inContext[T any] struct {
	member fleetMember
	item   T
}

// flatten joins per-member item lists into one list of items tagged with
// their member.
func flatten[T any](members []fleetMember, lists [][]T) []inContext[T] {
	var out []inContext[T]
	for i, l := range lists {
		for _, it := range l {
			out = append(out, inContext[T]{member: members[i], item: it})
		}
	}
	return out
}

// sortNewestFirst orders fleet executions newest first, then by context.
func sortNewestFirst(execs []inContext[api.Execution]) {
	slices.SortStableFunc(execs, func(x, y inContext[api.Execution]) int {
		if c := y.item.CreatedAt.Compare(x.item.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(x.member.Context, y.member.Context)
	})
}

// fleetExecutions is executions list --all-contexts: each context asked
// with the same filters (an agent name resolved in each; a context without
// that agent contributes nothing), merged newest first, at most limit.
func (a *app) fleetExecutions(ctx context.Context, q api.ExecutionQuery, agent string, limit int) error {
	members, err := a.fleet(ctx)
	if err != nil {
		return err
	}
	lists, err := eachMember(a, ctx, members, func(ctx context.Context, m fleetMember) ([]api.Execution, error) {
		execs, err := a.listExecutions(ctx, m.Backend, q, agent, limit)
		if agent != "" && api.KindOf(err) == api.KindNotFound {
			return nil, nil
		}
		return execs, err
	})
	if err != nil && !partial(err) {
		return err
	}
	all := flatten(members, lists)
	sortNewestFirst(all)
	all = all[:min(len(all), limit)]
	out := make([]FleetExecutionOutput, len(all))
	execs, contexts := make([]api.Execution, len(all)), make([]string, len(all))
	for i, x := range all {
		out[i] = FleetExecutionOutput{Context: x.member.Context, Platform: x.member.Platform, ExecutionOutput: executionOutput(x.item)}
		execs[i], contexts[i] = x.item, x.member.Context
	}
	if perr := a.emit(out, func(w io.Writer) error {
		return a.printTable(w, a.executionTable(execs, contexts), "no executions match in any context")
	}); perr != nil {
		return perr
	}
	return err
}

// fleetAgents is agents list --all-contexts: every context's agents, by
// context then name.
func (a *app) fleetAgents(ctx context.Context, search string, limit int) error {
	members, err := a.fleet(ctx)
	if err != nil {
		return err
	}
	lists, err := eachMember(a, ctx, members, func(ctx context.Context, m fleetMember) ([]api.Agent, error) {
		return a.listAgents(ctx, m.Backend, search, limit)
	})
	if err != nil && !partial(err) {
		return err
	}
	all := flatten(members, lists)
	out := make([]FleetAgentOutput, len(all))
	for i, x := range all {
		out[i] = FleetAgentOutput{Context: x.member.Context, Platform: x.member.Platform, AgentOutput: agentOutput(x.item)}
	}
	if perr := a.emit(out, func(w io.Writer) error {
		t := a.newTable(column{title: "CONTEXT"}, column{title: "ID", keep: true}, column{title: "NAME", flex: true},
			column{title: "CREATED"}, column{title: "DESCRIPTION", flex: true})
		now := a.now()
		for _, x := range all {
			t.add(x.member.Context, x.item.ID, x.item.Name, age(now, x.item.CreatedAt), x.item.Description)
		}
		return a.printTable(w, t, "no agents found in any context")
	}); perr != nil {
		return perr
	}
	return err
}
