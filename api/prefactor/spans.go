package prefactor

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
)

// ApprovalSchema is the span type of a human approval (answered in Slack).
const ApprovalSchema = "hitl:human-approval"

// defaultAnswerWhere is where an approval is answered when the span does
// not say: Prefactor's shipped human-in-the-loop flow runs in Slack.
const defaultAnswerWhere = "Slack"

// maxSpanPages bounds the pages one feed read takes.
const maxSpanPages = 20

// rememberStart keeps when an instance started, for the span time window.
func (c *Client) rememberStart(w wireInstance) {
	t := w.StartedAt.Time
	if t.IsZero() {
		t = w.InsertedAt.Time
	}
	if t.IsZero() || w.ID == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.starts) > 50_000 {
		clear(c.starts) // a bound, not a cache policy: the window falls back to wide
	}
	c.starts[string(w.ID)] = t
}

// spanStart is when an instance started, for the span window: known from
// a listing, else read (GET /agent_instance/{id}).
func (c *Client) spanStart(ctx context.Context, instance string) (time.Time, error) {
	c.mu.Lock()
	start, ok := c.starts[instance]
	c.mu.Unlock()
	if ok {
		return start, nil
	}
	var env detailsEnvelope[wireInstance]
	if err := c.call(ctx, req{method: "GET", path: "/agent_instance/{id}", args: []string{instance}}, &env); err != nil {
		return time.Time{}, err
	}
	c.rememberStart(env.Details)
	if t := cmpTime(env.Details.StartedAt.Time, env.Details.InsertedAt.Time); !t.IsZero() {
		return t, nil
	}
	return time.Now().AddDate(0, 0, -30), nil
}

func cmpTime(a, b time.Time) time.Time {
	if !a.IsZero() {
		return a
	}
	return b
}

// spanQuery is the vendor CLI's span listing (instance, time window,
// summaries) with the dashboard's paging and sorting.
func (c *Client) spanQuery(instance string, start time.Time, offset, size int) url.Values {
	now := time.Now().UTC()
	q := pageQuery(offset, size)
	q.Set("agent_instance_id", instance)
	q.Set("start_time", start.Add(-time.Minute).UTC().Format(time.RFC3339))
	q.Set("end_time", now.Add(time.Hour).Format(time.RFC3339))
	q.Set("include_summaries", "true")
	return q
}

// span is a decoded span with its cleaned JSON.
type span struct {
	w   wireSpan
	raw json.RawMessage // with $sensitive values removed
}

// spans reads an instance's newest spans, up to limit.
func (c *Client) spans(ctx context.Context, instance string, limit int) ([]span, error) {
	if strings.TrimSpace(instance) == "" {
		return nil, &api.Error{Kind: api.KindInvalid, Op: "GET " + Prefix + "/agent_spans", Message: "missing instance id"}
	}
	start, err := c.spanStart(ctx, instance)
	if err != nil {
		return nil, err
	}
	var out []span
	offset := 0
	for range maxSpanPages {
		size := min(maxPageSize, limit-len(out))
		items, raws, next, more, err := listPage[wireSpan](ctx, c, req{method: "GET", path: "/agent_spans", query: c.spanQuery(instance, start, offset, size)})
		if err != nil {
			return nil, err
		}
		for i, w := range items {
			if w.AgentInstanceID != "" && string(w.AgentInstanceID) != instance {
				continue // a server that ignored the filter
			}
			out = append(out, span{w: w, raw: Redact(raws[i])})
		}
		if len(out) >= limit || !more || next <= offset {
			break
		}
		offset = next
	}
	return out, nil
}

// Activities returns an instance's spans as its feed, one activity per span
// (ID the span id, ParentID its parent, State its status, Updated when it
// last changed). A span that changes comes back with the same ID and a new
// Revision.
func (c *Client) Activities(ctx context.Context, id string, q api.ActivityQuery) ([]api.Activity, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = maxPageSize
	}
	spans, err := c.spans(ctx, id, limit)
	if err != nil {
		return nil, err
	}
	out := make([]api.Activity, 0, len(spans))
	for _, s := range spans {
		out = append(out, activityOf(id, s))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.After(out[j].Time)
		}
		return out[i].ID > out[j].ID
	})
	if q.Order == api.SortAsc {
		slices.Reverse(out)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// SpanOpen reports whether a span status means the span has not ended.
func SpanOpen(status string) bool { return status == "" || status == "pending" || status == "active" }

func activityOf(instance string, s span) api.Activity {
	w := s.w
	state := strings.ToLower(string(w.Status))
	a := api.Activity{
		ID: string(w.ID), ExecutionID: instance, Time: w.StartedAt.Time, Actor: api.ActorAgent,
		ActionName: string(w.SchemaName), ParentID: string(w.ParentSpanID), State: state, Raw: s.raw,
		Updated: latest(w.UpdatedAt.Time, w.FinishedAt.Time, w.StartedAt.Time, w.InsertedAt.Time),
	}
	if a.Time.IsZero() {
		a.Time = w.InsertedAt.Time
	}
	switch state {
	case "complete":
		a.Kind = api.KindActionCompleted
	case "failed", "cancelled":
		a.Kind = api.KindActionFailed
	default:
		a.Kind = api.KindActionStarted
	}
	if !SpanOpen(state) && !w.FinishedAt.IsZero() && !w.StartedAt.IsZero() {
		a.Duration = w.FinishedAt.Sub(w.StartedAt.Time)
	}
	p := payloadOf(s.raw)
	// "tool nav_to: Navigating to …": the span's kind, its name, its summary,
	// each once.
	name := cleanLine(string(w.SchemaName))
	if name == "" {
		name = cleanLine(string(w.SchemaTitle))
	}
	if n := cleanLine(p.Name); n != "" && !strings.EqualFold(n, name) {
		name += " " + n
	}
	a.Text = name
	if sum := cleanLine(string(w.Summary)); sum != "" {
		if !strings.EqualFold(sum, cleanLine(p.Name)) {
			a.Text += ": " + sum
		}
		a.Message = string(w.Summary)
	}
	if w.SchemaName == ApprovalSchema {
		q, _ := approvalText(s)
		a.Message = q
		if SpanOpen(state) {
			a.AgentMessage = true
		}
	}
	if msg := p.errorText(); msg != "" && !SpanOpen(state) && state != "complete" {
		a.Message = msg
		a.Text += " — " + cleanLine(msg)
	}
	return a
}

func latest(ts ...time.Time) time.Time {
	var t time.Time
	for _, x := range ts {
		if x.After(t) {
			t = x
		}
	}
	return t
}

func cleanLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// payload is what the adapter reads out of a span's payload.
type payload struct {
	Name     string
	Inputs   map[string]any
	Metadata map[string]any
	Error    json.RawMessage
}

func payloadOf(spanRaw json.RawMessage) payload {
	var s struct {
		Payload map[string]any `json:"payload"`
	}
	_ = json.Unmarshal(spanRaw, &s)
	var p payload
	if s.Payload == nil {
		return p
	}
	p.Name, _ = s.Payload["name"].(string)
	p.Inputs, _ = s.Payload["inputs"].(map[string]any)
	p.Metadata, _ = s.Payload["metadata"].(map[string]any)
	if e, ok := s.Payload["error"]; ok && e != nil {
		p.Error, _ = json.Marshal(e)
	}
	return p
}

func (p payload) errorText() string {
	if len(p.Error) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(p.Error, &s) == nil {
		return s
	}
	var m map[string]any
	if json.Unmarshal(p.Error, &m) == nil {
		for _, k := range []string{"message", "error_message", "error", "type"} {
			if v, ok := m[k].(string); ok && v != "" {
				return v
			}
		}
	}
	return string(p.Error)
}

// approvalText reads an approval span's question and where to answer it.
func approvalText(s span) (question, where string) {
	p := payloadOf(s.raw)
	for _, k := range []string{"question", "message", "prompt", "title", "text", "description", "request"} {
		if v, ok := p.Inputs[k].(string); ok && strings.TrimSpace(v) != "" {
			question = v
			break
		}
	}
	if question == "" {
		question = string(s.w.Summary)
	}
	if question == "" && len(p.Inputs) > 0 {
		b, _ := json.Marshal(p.Inputs)
		question = string(b)
	}
	for _, m := range []map[string]any{p.Inputs, p.Metadata} {
		for _, k := range []string{"answer_in", "channel", "destination"} {
			if v, ok := m[k].(string); ok && strings.TrimSpace(v) != "" && where == "" {
				where = v
			}
		}
	}
	if where == "" {
		where = defaultAnswerWhere
	}
	return question, where
}

// openApproval finds the newest open human-approval span.
func openApproval(spans []span) (span, bool) {
	var best span
	found := false
	for _, s := range spans {
		if s.w.SchemaName != ApprovalSchema || !SpanOpen(strings.ToLower(string(s.w.Status))) {
			continue
		}
		if !found || s.w.StartedAt.After(best.w.StartedAt.Time) {
			best, found = s, true
		}
	}
	return best, found
}

// markWaiting makes e paused_by_agent for the open approval s.
func markWaiting(e *api.Execution, s span) {
	_, where := approvalText(s)
	e.Status = api.StatusPausedByAgent
	e.PlatformStatus = "active"
	e.StatusReason = "approval pending — answer in " + where
}

// markWaiting (on the listing) finds the open instances that wait for an
// approval, reading each agent's newest spans as the vendor dashboard does
// (one request per agent with open instances, not per instance).
func (c *Client) markWaiting(ctx context.Context, items []api.Execution) {
	byAgent := map[string][]int{}
	for i, e := range items {
		if e.Status == api.StatusRunning && e.AgentID != "" {
			byAgent[e.AgentID] = append(byAgent[e.AgentID], i)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxInFlight)
	for agent, idx := range byAgent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			q := pageQuery(0, maxPageSize)
			q.Set("agent_id", agent)
			q.Set("include_risk_level", "true")
			spans, raws, _, _, err := listPage[wireSpan](ctx, c, req{method: "GET", path: "/agent_spans", query: q})
			if err != nil {
				return // the listing stands without the approvals; the next sweep tries again
			}
			open := map[string]span{}
			for i, w := range spans {
				s := span{w: w, raw: Redact(raws[i])}
				if prev, ok := open[string(w.AgentInstanceID)]; ok && !w.StartedAt.After(prev.w.StartedAt.Time) {
					continue
				}
				if o, ok := openApproval([]span{s}); ok {
					open[string(w.AgentInstanceID)] = o
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, i := range idx {
				if s, ok := open[items[i].ID]; ok {
					markWaiting(&items[i], s)
				}
			}
		}()
	}
	wg.Wait()
}

// Interaction reads a waiting instance's question: its newest open human
// approval, which is answered elsewhere (ReadOnly, AnswerWhere).
func (c *Client) Interaction(ctx context.Context, e api.Execution, seen time.Time) (api.InteractionRequest, error) {
	spans, err := c.spans(ctx, e.ID, maxPageSize)
	if err != nil {
		return api.InteractionRequest{}, err
	}
	s, ok := openApproval(spans)
	if !ok {
		r := api.DeriveInteraction(e, nil, seen)
		r.ReadOnly, r.AnswerWhere = true, defaultAnswerWhere
		return r, nil
	}
	q, where := approvalText(s)
	asked := s.w.StartedAt.Time
	if asked.IsZero() {
		asked = seen
	}
	return api.InteractionRequest{
		ExecutionID: e.ID, AgentID: e.AgentID, AgentName: e.AgentName,
		Question: q, AskedAt: asked, ActivityID: string(s.w.ID), ReadOnly: true, AnswerWhere: where,
	}, nil
}
