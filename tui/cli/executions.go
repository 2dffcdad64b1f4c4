package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

func (a *app) executionsCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "executions",
		Aliases: []string{"exec", "ex"},
		Short:   "List and inspect executions",
		Long: `An execution is one run of an agent. It starts, runs, may pause (by an
operator: paused; by the agent asking a human: paused_by_agent; before a
sensitive step: awaiting_confirmation) and ends completed, failed or
cancelled, with a result.`,
		Example: `  agentop executions list --status running,paused_by_agent
  agentop executions get 5f0c2a8e-…`,
	})
	cmd.AddCommand(a.executionsListCmd(), a.executionsGetCmd())
	return cmd
}

func (a *app) executionsListCmd() *cobra.Command {
	var (
		statuses []string
		agent    string
		since    string
		kind     string
		limit    int
	)
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List executions, newest first",
		Long: `List executions, newest first.

--status keeps executions in any of the given statuses; repeat it or separate
statuses with commas: ` + strings.Join(statusNames(), ", ") + `
(another lower_snake_case status is asked for too, with a warning: platforms
add statuses).
--agent takes an agent's ID or its exact name. --since takes a duration back
from now (90s, 15m, 1h, 2d) or a time (RFC 3339, or a date: 2026-01-31).
agentop pages through the API until it has --limit executions.`,
		Example: `  # Who is waiting for an answer?
  agentop executions list --status paused_by_agent

  # Today's failures of one agent
  agentop executions list --agent "Invoice filer" --status failed --since 24h

  # Ids of everything still running, for a script
  agentop executions list --status running,starting -o json | jq -r '.[].id'`,
		Args: args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			q := api.ExecutionQuery{SortField: "created_at", SortDirection: api.SortDesc, Kind: strings.TrimSpace(kind)}
			var err error
			if q.Statuses, err = a.parseStatuses(statuses); err != nil {
				return err
			}
			if q.CreatedAfter, err = parseSince(since, a.now()); err != nil {
				return err
			}
			if err := checkLimit(limit); err != nil {
				return err
			}
			if fleet, err := a.allContexts(); err != nil || fleet {
				return cmp.Or(err, a.fleetExecutions(ctx, q, agent, limit))
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			if err := checkKind(be, q.Kind); err != nil {
				return err
			}
			execs, err := a.listExecutions(ctx, be, q, agent, limit)
			if err != nil {
				return err
			}
			return a.emit(outputs(execs, executionOutput), func(w io.Writer) error {
				return a.printTable(w, a.executionTable(execs, nil), "no executions match")
			})
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&statuses, "status", nil, "only these `statuses` (repeatable, comma-separated)")
	f.StringVar(&agent, "agent", "", "only executions of this agent (`ID or name`)")
	f.StringVar(&since, "since", "", "only executions created after `WHEN` (1h, 2d, or RFC 3339)")
	f.StringVar(&kind, "kind", "", "only runs of this `KIND`, where a platform has several (moderately: agent, pipeline)")
	f.IntVar(&limit, "limit", defaultLimit, "fetch at most `N` executions")
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(statusNames(), cobra.ShellCompDirectiveNoFileComp))
	return fleetCommand(cmd)
}

// listExecutions lists up to limit executions of be matching q, with agent
// (an id or a name) resolved first.
func (a *app) listExecutions(ctx context.Context, be api.Backend, q api.ExecutionQuery, agent string, limit int) ([]api.Execution, error) {
	if agent != "" {
		var err error
		if q.AgentID, err = a.agentID(ctx, be, agent); err != nil {
			return nil, err
		}
	}
	capped := false
	execs, err := collect(ctx, limit, func(ctx context.Context, at pageAt) (api.Page[api.Execution], error) {
		q.Page, q.PageSize, q.Cursor = at.Page, at.Size, at.Cursor
		p, err := be.ListExecutions(ctx, q)
		capped = capped || p.Capped
		return p, err
	})
	if err != nil {
		return nil, failed(err, "list executions")
	}
	if capped && len(execs) < limit {
		most := "a limited number"
		if n := api.HintsOf(be).ListCap; n > 0 {
			most = "at most " + strconv.Itoa(n)
		}
		a.warnf("%s lists %s and cannot page past them: more may exist; narrow the listing (--agent, --status, --since)", be.Platform(), most)
	}
	return execs, nil
}

// executionTable lays out executions, one per row; with contexts (one per
// execution, for a fleet) a CONTEXT column comes first.
func (a *app) executionTable(execs []api.Execution, contexts []string) *table {
	cols := []column{column{title: "ID", keep: true}, column{title: "AGENT", flex: true}, column{title: "STATUS", status: true},
		column{title: "CREATED"}, column{title: "DURATION", right: true}, column{title: "OUTCOME", flex: true}}
	kinds := slices.ContainsFunc(execs, func(e api.Execution) bool { return e.Kind != "" })
	if kinds { // a platform with several kinds of run: say which each is
		cols = slices.Insert(cols, 1, column{title: "KIND"})
	}
	if contexts != nil {
		cols = append([]column{{title: "CONTEXT"}}, cols...)
	}
	t := a.newTable(cols...)
	now := a.now()
	for i, e := range execs {
		outcome := ""
		if e.Result != nil {
			outcome = e.Result.Outcome
		}
		cells := []string{e.ID, e.AgentName, e.StatusWord(), age(now, e.CreatedAt), span(e.Elapsed(now)), outcome}
		if kinds {
			cells = slices.Insert(cells, 1, e.Kind)
		}
		if contexts != nil {
			cells = append([]string{contexts[i]}, cells...)
		}
		t.add(cells...)
	}
	return t
}

func (a *app) executionsGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "get ID",
		Short: "Show one execution in full",
		Long: `Show one execution: its agent, status, timing, profile, result (outcome,
reasoning and data), links to the live view and the recording, metadata and
labels. Use 'agentop activities ID' for what it did.`,
		Example: `  agentop executions get 5f0c2a8e-…
  agentop executions get 5f0c2a8e-… -o json | jq .result`,
		Args: args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			if args[0], err = a.executionID(cmd.Context(), be, args[0]); err != nil {
				return err
			}
			e, err := be.GetExecution(cmd.Context(), args[0])
			if err != nil {
				return failed(err, "get execution %s", args[0])
			}
			return a.emit(executionOutput(e), func(w io.Writer) error {
				return a.executionDetails(e).render(w)
			})
		},
	}
}

// executionDetails lays out one execution.
func (a *app) executionDetails(e api.Execution) *details {
	now := a.now()
	d := a.newDetails()
	d.add("ID", e.ID)
	d.add("Agent", joinNonEmpty(" ", e.AgentName, parens(e.AgentID)))
	if e.AgentVersion > 0 {
		d.add("Version", strconv.Itoa(e.AgentVersion))
	}
	d.add("Kind", e.Kind)
	d.add("Title", e.Title)
	d.status("Status", e.Status)
	if e.PlatformStatus != "" && e.PlatformStatus != string(e.Status) {
		d.add("", "(the platform says "+e.PlatformStatus+")")
	}
	d.text("Reason", e.StatusReason)
	d.add("Profile", joinNonEmpty(" ", e.ProfileName, parens(e.ProfileID)))
	d.add("Created", timestamp(now, e.CreatedAt))
	d.add("Ended", timestamp(now, e.TerminalAt))
	d.add("Duration", span(e.Elapsed(now)))
	if r := e.Result; r != nil {
		d.add("Outcome", r.Outcome)
		d.text("Reasoning", r.Reasoning)
		d.text("Result", indentJSON(r.Data))
	}
	d.add("Live view", e.LiveViewURL)
	d.add("Recording", e.RecordingURL)
	d.add("Parent", e.ParentExecutionID)
	keys := slices.Sorted(maps.Keys(e.Metadata))
	for i, k := range keys {
		d.add(labelIf(i == 0, "Metadata"), k+"="+e.Metadata[k])
	}
	for i, l := range e.Labels {
		d.add(labelIf(i == 0, "Labels"), l.Name)
	}
	return d
}

// labelIf returns label for the first line of a list, "" for the others.
func labelIf(first bool, label string) string {
	if first {
		return label
	}
	return ""
}

// statusPattern is the shape of a status: lower_snake_case.
var statusPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// parseStatuses reads --status values. A status agentop does not know is
// still asked for, with a warning (platforms add statuses); only a value
// that cannot be a status is refused.
func (a *app) parseStatuses(vals []string) ([]api.Status, error) {
	var out []api.Status
	for _, v := range vals {
		s := api.Status(strings.ToLower(strings.TrimSpace(v)))
		switch {
		case s == "" || slices.Contains(out, s):
			continue
		case !statusPattern.MatchString(string(s)):
			return nil, usageErrorf("%q is not a status (want lower_snake_case, such as %s)", v, strings.Join(statusNames(), ", "))
		case !s.IsKnown():
			a.warnf("%q is not a status agentop knows (%s); asking the platform for it anyway", string(s), strings.Join(statusNames(), ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

// statusNames lists the known statuses.
func statusNames() []string {
	out := make([]string, 0, len(api.KnownStatuses))
	for _, s := range api.KnownStatuses {
		out = append(out, string(s))
	}
	return out
}

// parseSince reads --since: a duration back from now (90s, 15m, 1h, 2d,
// 1d12h) or a time (RFC 3339 or a date).
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := parseAgo(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageErrorf("--since %q: want a duration like 1h or 2d, or a time like 2026-01-31T09:00:00Z", s)
}

// parseAgo reads a non-negative duration that may start with whole days.
func parseAgo(s string) (time.Duration, error) {
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad days in %q", s)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return days + d, nil
}

// indentJSON pretty-prints a JSON value; "" for none.
func indentJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}

// joinNonEmpty joins the parts that are not empty.
func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}

// parens returns "(s)", or "" for an empty s.
func parens(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// checkKind refuses a --kind the platform does not have.
func checkKind(be api.Backend, kind string) error {
	if kind == "" {
		return nil
	}
	var kinds []string
	for _, k := range be.Capabilities().Kinds {
		if k.Kind == kind {
			return nil
		}
		kinds = append(kinds, k.Kind)
	}
	if len(kinds) == 0 {
		return usageErrorf("--kind: %s has one kind of run", be.Platform())
	}
	return usageErrorf("--kind: %s has no %q runs (%s)", be.Platform(), kind, strings.Join(kinds, ", "))
}
