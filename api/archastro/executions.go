package archastro

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
)

// ListExecutions lists sessions, routine runs, or both (q.Kind ""), newest
// first. The session list has no paging and no total: it serves the newest
// q.PageSize (at most 100) matching sessions, and Capped says the cap was
// reached. Routine runs page by cursor (Page.Next) when one kind is listed
// with at most one status. Filters the platform lacks (id, times,
// metadata, outcome) are applied to what it returned.
func (c *Client) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	if err := kindOK(q.Kind); err != nil {
		return api.Page[api.Execution]{}, err
	}
	limit := q.PageSize
	if limit <= 0 || limit > wire.MaxLimit {
		limit = wire.MaxLimit
	}
	out := api.Page[api.Execution]{Page: max(q.Page, 1), PageSize: limit, TotalUnknown: true}
	if q.Page > 1 && q.Cursor == "" {
		return out, nil // no page numbers: everything there is came on page 1
	}
	names := c.agentNames(ctx)
	if q.Kind != KindRoutineRun && q.Cursor == "" {
		items, capped, err := c.listSessions(ctx, q, limit, names)
		if err != nil {
			return api.Page[api.Execution]{}, err
		}
		out.Items, out.Capped = append(out.Items, items...), capped
	}
	if q.Kind != KindSession {
		items, next, capped, err := c.listRuns(ctx, q, limit, names)
		if err != nil {
			return api.Page[api.Execution]{}, err
		}
		out.Items, out.Capped = append(out.Items, items...), out.Capped || capped
		if q.Kind == KindRoutineRun {
			out.Next = next
		}
	}
	out.Items = slices.DeleteFunc(out.Items, func(x api.Execution) bool { return !matches(x, q) })
	slices.SortStableFunc(out.Items, func(a, b api.Execution) int { return b.CreatedAt.Compare(a.CreatedAt) })
	out.Total = len(out.Items)
	return out, nil
}

func (c *Client) listSessions(ctx context.Context, q api.ExecutionQuery, limit int, names map[string]string) ([]api.Execution, bool, error) {
	statuses, ok := sessionStatuses(q.Statuses)
	if !ok {
		return nil, false, nil
	}
	var p params
	p.list("agent", q.AgentID)
	p.list("status", statuses...)
	p.int("limit", limit)
	r := request{method: "GET", path: "/agent_sessions", query: p}
	var l wire.List
	if err := c.http.do(ctx, r, &l); err != nil {
		return nil, false, err
	}
	out := make([]api.Execution, 0, len(l.Data))
	for _, s := range decodeEach[withRaw[wire.Session]](ctx, c.http, r.op(), l.Data) {
		out = append(out, toSession(s.v, s.raw, names))
	}
	return out, len(l.Data) >= limit && !reachedBefore(out, q.CreatedAfter), nil
}

// reachedBefore reports whether a newest-first listing went back past
// after: then every item created after it was listed, cap or not (the
// client filters on creation time itself).
func reachedBefore(items []api.Execution, after time.Time) bool {
	if after.IsZero() || len(items) == 0 {
		return false
	}
	oldest := items[0].CreatedAt
	for _, x := range items {
		if x.CreatedAt.Before(oldest) {
			oldest = x.CreatedAt
		}
	}
	return !oldest.After(after)
}

// listRuns lists routine runs: one request per status asked for (the
// platform filters on one), or one unfiltered.
func (c *Client) listRuns(ctx context.Context, q api.ExecutionQuery, limit int, names map[string]string) (items []api.Execution, next string, capped bool, err error) {
	statuses, ok := runStatuses(q.Statuses)
	if !ok {
		return nil, "", false, nil
	}
	if len(statuses) == 0 {
		statuses = []string{""}
	}
	for _, st := range statuses {
		var p params
		p.list("agent", q.AgentID)
		p.set("status", st)
		p.int("limit", limit)
		if len(statuses) == 1 {
			p.set("before_cursor", q.Cursor)
		}
		r := request{method: "GET", path: "/agent_routine_runs", query: p}
		var l wire.List
		if err := c.http.do(ctx, r, &l); err != nil {
			return nil, "", false, err
		}
		var got []api.Execution
		for _, run := range decodeEach[withRaw[wire.RoutineRun]](ctx, c.http, r.op(), l.Data) {
			got = append(got, toRun(run.v, run.raw, names))
		}
		items = append(items, got...)
		more := (len(l.Data) >= limit || (l.HasMore != nil && *l.HasMore)) && !reachedBefore(got, q.CreatedAfter)
		capped = capped || more
		if len(statuses) == 1 && more && l.BeforeCursor != "" {
			next, capped = l.BeforeCursor, false
		}
	}
	return items, next, capped, nil
}

// matches applies the filters the platform does not.
func matches(x api.Execution, q api.ExecutionQuery) bool {
	outcome := ""
	if x.Result != nil {
		outcome = x.Result.Outcome
	}
	switch {
	case q.ExecutionID != "" && !strings.Contains(strings.ToLower(x.ID), strings.ToLower(q.ExecutionID)),
		!q.CreatedAfter.IsZero() && !x.CreatedAt.After(q.CreatedAfter),
		!q.CreatedBefore.IsZero() && !x.CreatedAt.Before(q.CreatedBefore),
		q.Outcome != "" && !strings.Contains(strings.ToLower(outcome), strings.ToLower(q.Outcome)),
		q.MetadataKey != "" && x.Metadata[q.MetadataKey] != q.MetadataValue,
		len(q.Statuses) > 0 && !slices.Contains(q.Statuses, x.Status):
		return false
	}
	return true
}

// GetExecution reads a session (ase_…) or a routine run (arr_…).
func (c *Client) GetExecution(ctx context.Context, id string) (api.Execution, error) {
	names := c.agentNames(ctx)
	if isRun(id) {
		var run withRaw[wire.RoutineRun]
		if err := c.http.do(ctx, request{method: "GET", path: "/agent_routines/runs/{id}", args: []string{id}}, &run); err != nil {
			return api.Execution{}, err
		}
		return toRun(run.v, run.raw, names), nil
	}
	s, err := c.session(ctx, id)
	if err != nil {
		return api.Execution{}, err
	}
	return toSession(s.v, s.raw, names), nil
}

func (c *Client) session(ctx context.Context, id string) (withRaw[wire.Session], error) {
	var s withRaw[wire.Session]
	err := c.http.do(ctx, request{method: "GET", path: "/agent_sessions/{id}", args: []string{id}}, &s)
	return s, err
}

// Execute starts a session of agentID from req.Instructions (required),
// with req.Name and req.Metadata. Routine runs are not started here.
func (c *Client) Execute(ctx context.Context, agentID string, req api.ExecuteRequest) (string, error) {
	const op = "execute"
	switch {
	case req.Kind != "" && req.Kind != KindSession:
		return "", api.Unsupported(platformName, "start a "+req.Kind)
	case strings.TrimSpace(agentID) == "":
		return "", &api.Error{Kind: api.KindInvalid, Op: op, Message: "an agent is required"}
	case strings.TrimSpace(req.Instructions) == "":
		return "", &api.Error{Kind: api.KindInvalid, Op: op, Message: "archastro starts a session from instructions: give them (--instructions)"}
	case req.ProfileID != "" || req.PoolID != "" || len(req.TempFiles) > 0:
		return "", api.Unsupported(platformName, "start with a profile, a pool or files")
	case len(req.Inputs) > 0 || req.Version != 0:
		return "", api.Unsupported(platformName, "start with inputs or an agent version (a session starts from instructions)")
	}
	body := wire.CreateSession{Agent: strings.TrimSpace(agentID), Instructions: req.Instructions, Name: strings.TrimSpace(req.Name), Metadata: req.Metadata}
	var s wire.Session
	if err := c.http.do(ctx, request{method: "POST", path: "/agent_sessions", body: body}, &s); err != nil {
		return "", err
	}
	if s.ID == "" {
		return "", &api.Error{Kind: api.KindDecode, Op: "POST /api/v1/agent_sessions", Message: "the created session has no id"}
	}
	return s.ID, nil
}

// Cancel cancels a session; cancelling an ended one is a no-op, as on the
// platform. Routine runs have no cancel.
func (c *Client) Cancel(ctx context.Context, id string) error {
	if isRun(id) {
		return api.Unsupported(platformName, "cancel a routine run")
	}
	return c.http.do(ctx, request{method: "POST", path: "/agent_sessions/{id}/cancel", args: []string{id}}, nil)
}

// Reply posts the operator's message to the session's inbox; a waiting
// session resumes with it.
func (c *Client) Reply(ctx context.Context, id, message string) error {
	if isRun(id) {
		return api.Unsupported(platformName, "message a routine run")
	}
	if strings.TrimSpace(message) == "" {
		return &api.Error{Kind: api.KindInvalid, Op: "reply", Message: "the message is empty"}
	}
	return c.http.do(ctx, request{method: "POST", path: "/agent_sessions/{id}/message", args: []string{id},
		body: wire.Message{Content: message, Role: "user"}}, nil)
}

// withRaw decodes a T and keeps its JSON.
type withRaw[T any] struct {
	v   T
	raw json.RawMessage
}

func (w *withRaw[T]) UnmarshalJSON(b []byte) error {
	w.raw = append(json.RawMessage(nil), b...)
	return json.Unmarshal(b, &w.v)
}

// nameCache maps agent ids to names, refreshed from the first page of
// agents at most every nameTTL: sessions carry only the agent's id. The map
// is replaced, never changed, once handed out.
type nameCache struct {
	mu    sync.Mutex
	names map[string]string
	at    time.Time
}

const nameTTL = 5 * time.Minute

func (c *Client) agentNames(ctx context.Context) map[string]string {
	c.names.mu.Lock()
	defer c.names.mu.Unlock()
	if c.names.names != nil && time.Since(c.names.at) < nameTTL {
		return c.names.names
	}
	c.names.at = time.Now() // a failure is not retried before the TTL either
	p, err := c.listAgents(ctx, api.AgentQuery{PageSize: wire.MaxLimit})
	if err != nil {
		if c.names.names == nil {
			c.names.names = map[string]string{}
		}
		return c.names.names
	}
	m := make(map[string]string, len(p.Items))
	for _, a := range p.Items {
		m[a.ID] = a.Name
	}
	c.names.names = m
	return m
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
