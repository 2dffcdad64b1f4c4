package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
)

// bulkConcurrency is how many executions a bulk action acts on at once.
const bulkConcurrency = 4

// bulkShown is how many executions a bulk confirmation lists.
const bulkShown = 20

// defaultBulkLimit is --limit of a selection.
const defaultBulkLimit = 100

// selector is --status / --agent / --limit of pause, resume and cancel.
type selector struct {
	statuses []string
	agent    string
	limit    int
	cmd      *cobra.Command
}

func (s *selector) register(cmd *cobra.Command) {
	s.cmd = cmd
	f := cmd.Flags()
	f.StringSliceVar(&s.statuses, "status", nil, "act on the executions in these `statuses` (repeatable, comma-separated)")
	f.StringVar(&s.agent, "agent", "", "act on the executions of this agent (`ID or name`)")
	f.IntVar(&s.limit, "limit", defaultBulkLimit, "act on at most `N` selected executions")
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(statusNames(), cobra.ShellCompDirectiveNoFileComp))
}

// selecting reports whether --status or --agent was given.
func (s *selector) selecting() bool { return len(s.statuses) > 0 || s.agent != "" }

// check refuses mixing ids with a selection, and neither.
func (s *selector) check(args []string) error {
	switch {
	case len(args) > 0 && s.selecting():
		return usageErrorf("give execution IDs or --status / --agent, not both")
	case len(args) == 0 && !s.selecting():
		return usageErrorf("missing ID (or select executions with --status / --agent)")
	case s.cmd.Flags().Changed("limit") && !s.selecting():
		return usageErrorf("--limit goes with --status / --agent")
	}
	return checkLimit(s.limit)
}

// target is one execution a bulk action acts on; e is set when it was
// listed.
type target struct {
	id string
	e  *api.Execution
}

// bulkTargets resolves the executions a bulk action acts on: each id (or
// unique start of one) — all before anything is changed — or those the
// selection lists, page by page on the platform.
func (a *app) bulkTargets(ctx context.Context, be api.Backend, c control, sel selector, ids []string) ([]target, error) {
	var out []target
	if len(ids) > 0 {
		for _, ref := range ids {
			id, err := a.executionID(ctx, be, ref)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(out, func(t target) bool { return t.id == id }) {
				out = append(out, target{id: id})
			}
		}
		return out, nil
	}
	q := api.ExecutionQuery{SortField: "created_at", SortDirection: api.SortDesc}
	var err error
	if q.Statuses, err = a.parseStatuses(sel.statuses); err != nil {
		return nil, err
	}
	if len(q.Statuses) == 0 {
		q.Statuses = c.from
	}
	if sel.agent != "" {
		if q.AgentID, err = a.agentID(ctx, be, sel.agent); err != nil {
			return nil, err
		}
	}
	execs, err := collect(ctx, sel.limit+1, func(ctx context.Context, at pageAt) (api.Page[api.Execution], error) {
		q.Page, q.PageSize, q.Cursor = at.Page, at.Size, at.Cursor
		return be.ListExecutions(ctx, q)
	})
	if err != nil {
		return nil, failed(err, "list the executions to %s", c.use)
	}
	if len(execs) > sel.limit {
		a.warnf("more than %d executions match: acting on the newest %d (raise --limit for more)", sel.limit, sel.limit)
		execs = execs[:sel.limit]
	}
	for i := range execs {
		out = append(out, target{id: execs[i].ID, e: &execs[i]})
	}
	return out, nil
}

// controlMany confirms, then acts on every target, bulkConcurrency at a
// time, printing a line for each as it finishes and a summary. Any failure
// makes the command fail.
func (a *app) controlMany(ctx context.Context, be api.Backend, c control, targets []target, yes bool) error {
	if len(targets) == 0 {
		a.noticef("no executions to %s", c.use)
		return a.emit([]ActionOutput{}, func(io.Writer) error { return nil })
	}
	action := fmt.Sprintf("%s %s", c.use, plural(len(targets), "execution"))
	err := a.confirm(yes, action, func() (string, error) {
		a.listTargets(ctx, be, targets)
		return upperFirst(action) + "?", nil
	})
	if err != nil {
		return err
	}
	asJSON, err := a.jsonOutput()
	if err != nil {
		return err
	}
	results := make([]ActionOutput, len(targets))
	errs := make([]error, len(targets))
	var (
		mu   sync.Mutex // serialises the lines
		wg   sync.WaitGroup
		sema = make(chan struct{}, bulkConcurrency)
	)
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sema <- struct{}{}:
				defer func() { <-sema }()
				errs[i] = failed(c.act(be, ctx, t.id), "%s execution %s", c.use, t.id)
			case <-ctx.Done():
				errs[i] = failed(ctx.Err(), "%s execution %s", c.use, t.id)
			}
			results[i] = ActionOutput{Action: c.use, Target: "execution", ID: t.id}
			if errs[i] != nil {
				results[i].Error = strings.TrimPrefix(errorLine(errs[i], a.secrets.all()...), "agentop: ")
			}
			if asJSON {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if errs[i] != nil {
				fmt.Fprintln(a.io.Err, errorLine(errs[i], a.secrets.all()...))
			} else {
				_ = printLine(a.io.Out, fmt.Sprintf("%s execution %s.", c.done, t.id))
			}
		}()
	}
	wg.Wait()
	failures := 0
	for _, err := range errs {
		if err != nil {
			failures++
		}
	}
	if asJSON {
		if err := writeJSON(a.io.Out, results, true); err != nil {
			return err
		}
	}
	if failures == 0 {
		if !asJSON {
			return printLine(a.io.Out, fmt.Sprintf("%s %s.", c.done, plural(len(targets), "execution")))
		}
		return nil
	}
	return withCode(bulkExitCode(errs), fmt.Errorf("%s %d of %s; %d failed",
		strings.ToLower(c.done), len(targets)-failures, plural(len(targets), "execution"), failures))
}

// listTargets shows on stderr which executions a bulk action is about to
// act on: the first bulkShown, with agent and status (read when the
// selection did not list them), and how many more.
func (a *app) listTargets(ctx context.Context, be api.Backend, targets []target) {
	t := a.newTable(column{title: "ID", keep: true}, column{title: "AGENT", flex: true}, column{title: "STATUS", status: true})
	for _, tg := range targets[:min(len(targets), bulkShown)] {
		e := tg.e
		if e == nil {
			if got, err := be.GetExecution(ctx, tg.id); err == nil {
				e = &got
			}
		}
		if e == nil {
			t.add(tg.id, "?", "?")
			continue
		}
		t.add(tg.id, e.AgentName, string(e.Status))
	}
	_ = a.printTable(a.io.Err, t, "")
	if n := len(targets) - bulkShown; n > 0 {
		fmt.Fprintln(a.io.Err, sanitize.Line(fmt.Sprintf("… and %d more", n)))
	}
}

// bulkExitCode is the exit code the failures share, else 1.
func bulkExitCode(errs []error) int {
	code := exitOK
	for _, err := range errs {
		switch c := exitCode(err); {
		case err == nil:
		case code == exitOK:
			code = c
		case code != c:
			return exitError
		}
	}
	return code
}

// plural says "1 execution", "3 executions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
