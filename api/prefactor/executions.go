package prefactor

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/agentop/agentop/api"
)

// statusOf maps an instance status: pending→starting, active→running,
// complete→completed, failed, cancelled; terminated (a killswitch) is
// cancelled with the platform word kept. Anything else is kept verbatim
// (non-terminal).
func statusOf(word string) (api.Status, string) {
	switch w := strings.ToLower(strings.TrimSpace(word)); w {
	case "pending":
		return api.StatusStarting, w
	case "active":
		return api.StatusRunning, w
	case "complete", "completed":
		return api.StatusCompleted, w
	case "failed":
		return api.StatusFailed, ""
	case "cancelled", "canceled":
		return api.StatusCancelled, w
	case "terminated":
		return api.StatusCancelled, w
	default:
		return api.Status(w), ""
	}
}

func (c *Client) executionOf(w wireInstance, raw json.RawMessage) api.Execution {
	st, word := statusOf(string(w.Status))
	e := api.Execution{
		ID: string(w.ID), AgentID: string(w.AgentID), AgentName: c.agentName(string(w.AgentID)),
		Status: st, PlatformStatus: word, StatusReason: string(w.TerminationReason),
		Title: string(w.Purpose), OrganizationID: string(w.AccountID),
		CreatedAt: w.InsertedAt.Time, UpdatedAt: w.UpdatedAt.Time, Raw: raw,
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = w.StartedAt.Time
	}
	if st.IsTerminal() {
		e.TerminalAt = w.FinishedAt.Time
		if !w.FinishedAt.IsZero() && !w.StartedAt.IsZero() {
			e.Duration = w.FinishedAt.Sub(w.StartedAt.Time)
		}
	}
	if md := metadataOf(w); len(md) > 0 {
		e.Metadata = md
	}
	return e
}

func metadataOf(w wireInstance) map[string]string {
	md := map[string]string{}
	for k, v := range map[string]flexString{"environment_id": w.EnvironmentID, "agent_deployment_id": w.AgentDeploymentID, "agent_version_id": w.AgentVersionID} {
		if v != "" {
			md[k] = string(v)
		}
	}
	return md
}

// scanMark is what the last complete scan of one agent's instances found:
// the oldest id still open then (or the newest id when none was). Nothing
// older can be open now — instances never reopen and new ones get newer
// (k-sortable) ids — so a later scan for open instances stops there.
type scanMark struct{ floor string }

// ListExecutions lists instances across agents. Prefactor lists instances
// only per agent, so this fans out over the agents (at most maxInFlight
// requests at once), newest first, and filters statuses here (the API has
// no status filter). A scan for open instances stops at the ids the
// previous complete scan already covered, or when it has found as many as
// the agent counts; a page budget per agent bounds the rest. The merged page
// has no total (TotalUnknown) and is Capped when it does not cover
// everything: an agent's scan ran out of budget or failed, or PageSize cut
// it.
func (c *Client) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	out := api.Page[api.Execution]{Page: max(q.Page, 1), PageSize: q.PageSize, TotalUnknown: true}
	if q.Page > 1 || q.Cursor != "" || (q.Kind != "" && q.Kind != "instance") {
		return out, nil // one merged page holds everything this listing shows
	}
	var agents []wireAgent
	if id := strings.TrimSpace(q.AgentID); id != "" {
		a, err := c.agent(ctx, id)
		if err != nil {
			return out, err
		}
		agents = []wireAgent{a}
	} else {
		var err error
		if agents, err = c.fleet(ctx); err != nil {
			return out, err
		}
	}
	openOnly := len(q.Statuses) > 0 && !slices.ContainsFunc(q.Statuses, api.Status.IsTerminal)
	want := q.Statuses
	if openOnly {
		// Waiting for an approval is only known after the scan: scan
		// every open instance, filter once they are marked.
		q.Statuses = api.ActiveStatuses
	}

	type result struct {
		items   []api.Execution
		partial bool
		err     error
	}
	results := make([]result, len(agents))
	sem := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	for i, a := range agents {
		if openOnly {
			if n, known := a.activeCount(); known && n == 0 {
				continue // nothing open: no request
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i].err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			items, partial, err := c.scanAgent(ctx, a, q, openOnly)
			results[i] = result{items, partial, err}
		}()
	}
	wg.Wait()

	var firstErr error
	failures, tried := 0, 0
	for _, r := range results {
		if r.err != nil {
			failures++
			firstErr = cmp.Or(firstErr, r.err)
			continue
		}
		out.Items = append(out.Items, r.items...)
		out.Capped = out.Capped || r.partial
	}
	for _, a := range agents {
		if n, known := a.activeCount(); !openOnly || !known || n > 0 {
			tried++
		}
	}
	if failures > 0 {
		if failures == tried {
			return api.Page[api.Execution]{}, firstErr
		}
		out.Capped = true
		if c.log != nil {
			c.log.Warn("prefactor: some agents' instances could not be listed", "failed", failures, "of", tried, "err", firstErr)
		}
	}
	asc := q.SortDirection == api.SortAsc
	slices.SortFunc(out.Items, func(a, b api.Execution) int {
		d := cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
		if asc {
			return d
		}
		return -d
	})
	if openOnly {
		c.markWaiting(ctx, out.Items)
		out.Items = slices.DeleteFunc(out.Items, func(e api.Execution) bool { return !slices.Contains(want, e.Status) })
	}
	if q.PageSize > 0 && len(out.Items) > q.PageSize {
		out.Items, out.Capped = out.Items[:q.PageSize], true
	}
	out.Total = len(out.Items)
	return out, nil
}

// scanAgent pages through one agent's instances newest first, keeping those
// q matches. partial reports that it stopped before the end for lack of
// budget.
func (c *Client) scanAgent(ctx context.Context, a wireAgent, q api.ExecutionQuery, openOnly bool) ([]api.Execution, bool, error) {
	id := string(a.ID)
	c.mu.Lock()
	mark, marked := c.scans[id]
	c.mu.Unlock()
	want, counted := a.activeCount()
	size := maxPageSize
	if !openOnly && q.PageSize > 0 {
		size = min(q.PageSize, maxPageSize)
	}
	var out []api.Execution
	open, oldestOpen, newest := 0, "", ""
	offset := 0
	for page := 0; ; page++ {
		if page == c.maxPages {
			return out, true, nil
		}
		qs := pageQuery(offset, size)
		qs.Set("agent_id", id)
		items, raws, next, more, err := listPage[wireInstance](ctx, c, req{method: "GET", path: "/agent_instance", query: qs})
		if err != nil {
			return nil, false, err
		}
		done := false
		for i, w := range items {
			e := c.executionOf(w, raws[i])
			c.rememberStart(w)
			if newest == "" {
				newest = e.ID
			}
			if !e.Status.IsTerminal() {
				open++
				oldestOpen = e.ID
			}
			if openOnly && marked && mark.floor != "" && e.ID < mark.floor {
				done = true // older than everything open at the last complete scan
				break
			}
			if matches(e, q) {
				out = append(out, e)
			}
		}
		byCount := false
		switch {
		case openOnly && counted && open >= want:
			done, byCount = true, true
		case !openOnly && q.PageSize > 0 && len(out) >= q.PageSize:
			done = true
		}
		if done || !more || next <= offset {
			// A scan that stopped on the agent's count keeps the old mark:
			// the count is the server's, and a stale one must not hide an
			// older open instance for good.
			if openOnly && !byCount {
				c.mu.Lock()
				c.scans[id] = scanMark{floor: cmp.Or(oldestOpen, newest, mark.floor)}
				c.mu.Unlock()
			}
			return out, false, nil
		}
		offset = next
	}
}

// matches applies the query's filters that the API cannot.
func matches(e api.Execution, q api.ExecutionQuery) bool {
	switch {
	case len(q.Statuses) > 0 && !slices.Contains(q.Statuses, e.Status):
		return false
	case q.ExecutionID != "" && !strings.Contains(strings.ToLower(e.ID), strings.ToLower(q.ExecutionID)):
		return false
	case !q.CreatedAfter.IsZero() && !e.CreatedAt.After(q.CreatedAfter):
		return false
	case !q.CreatedBefore.IsZero() && !e.CreatedAt.Before(q.CreatedBefore):
		return false
	}
	return true
}

// GetExecution reads one instance. An active one whose newest spans hold an
// open human approval is paused_by_agent (its platform word stays
// "active"), so waiting for a question works as on every platform.
func (c *Client) GetExecution(ctx context.Context, id string) (api.Execution, error) {
	var env struct {
		Details json.RawMessage `json:"details"`
	}
	if err := c.call(ctx, req{method: "GET", path: "/agent_instance/{id}", args: []string{id}}, &env); err != nil {
		return api.Execution{}, err
	}
	var w wireInstance
	if err := json.Unmarshal(env.Details, &w); err != nil || w.ID == "" {
		return api.Execution{}, &api.Error{Kind: api.KindDecode, Op: "GET " + Prefix + "/agent_instance/{id}", Message: "the instance is not the JSON expected", Err: err}
	}
	c.rememberStart(w)
	if c.agentName(string(w.AgentID)) == "" {
		_, _ = c.fleet(ctx)
	}
	e := c.executionOf(w, env.Details)
	if e.Status == api.StatusRunning {
		spans, err := c.spans(ctx, e.ID, maxPageSize)
		if err != nil {
			return api.Execution{}, err
		}
		if s, ok := openApproval(spans); ok {
			markWaiting(&e, s)
		}
	}
	return e, nil
}

// Cancel terminates without a reason, which Prefactor refuses: use
// CancelWithReason.
func (c *Client) Cancel(ctx context.Context, id string) error { return c.CancelWithReason(ctx, id, "") }

// CancelWithReason terminates an instance (Prefactor's killswitch):
// POST /agent_instance/{id}/terminate {"reason"}. The reason is required;
// only active instances can be terminated.
func (c *Client) CancelWithReason(ctx context.Context, id, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &api.Error{Kind: api.KindInvalid, Op: "terminate instance", Message: "prefactor needs a reason to terminate an instance"}
	}
	return c.call(ctx, req{method: "POST", path: "/agent_instance/{id}/terminate", args: []string{id}, body: map[string]string{"reason": reason}}, nil)
}
