package asteroid

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// ListExecutions lists executions (GET /executions) with every filter of the
// query; statuses and label ids are sent as repeated keys.
func (c *Client) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	r := call{method: "GET", path: "/executions", query: pageQuery(c.orgOr(q.OrganizationID), q.Page, q.PageSize)}
	if (q.MetadataKey == "") != (q.MetadataValue == "") {
		return api.Page[api.Execution]{}, &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "a metadata filter needs both a key and a value"}
	}
	query := r.query
	setIf(query, "executionId", q.ExecutionID)
	setIf(query, "agentId", q.AgentID)
	for _, s := range q.Statuses {
		query.Add("status", string(s))
	}
	if q.AgentVersion > 0 {
		query.Set("agentVersion", strconv.Itoa(q.AgentVersion))
	}
	if !q.CreatedAfter.IsZero() {
		query.Set("createdAfter", q.CreatedAfter.UTC().Format(time.RFC3339Nano))
	}
	if !q.CreatedBefore.IsZero() {
		query.Set("createdBefore", q.CreatedBefore.UTC().Format(time.RFC3339Nano))
	}
	for _, id := range q.LabelIDs {
		query.Add("humanLabels", id)
	}
	setIf(query, "outcomeLabel", q.Outcome)
	setIf(query, "metadataKey", q.MetadataKey)
	setIf(query, "metadataValue", q.MetadataValue)
	setIf(query, "sortField", q.SortField)
	setIf(query, "sortDirection", string(q.SortDirection))
	return listPage(ctx, c, r, executionFromWire)
}

// GetExecution fetches one execution (GET /executions/{id}).
func (c *Client) GetExecution(ctx context.Context, id string) (api.Execution, error) {
	var e withRaw[wire.Execution]
	if err := c.do(ctx, call{method: "GET", path: "/executions/{id}", args: []string{id}}, &e); err != nil {
		return api.Execution{}, err
	}
	return executionFromWire(e.v, e.raw), nil
}

// Pause asks for an operator pause (status "paused").
func (c *Client) Pause(ctx context.Context, id string) error {
	return c.setStatus(ctx, id, api.StatusPaused)
}

// Resume resumes an operator pause or approves a pending confirmation
// (status "running").
func (c *Client) Resume(ctx context.Context, id string) error {
	return c.setStatus(ctx, id, api.StatusRunning)
}

// Cancel cancels the execution (status "cancelled").
func (c *Client) Cancel(ctx context.Context, id string) error {
	return c.setStatus(ctx, id, api.StatusCancelled)
}

// setStatus posts a status change (POST /executions/{id}/status). The server
// refuses an illegal transition with KindInvalid.
func (c *Client) setStatus(ctx context.Context, id string, s api.Status) error {
	return c.do(ctx, call{
		method: "POST", path: "/executions/{id}/status", args: []string{id},
		body: wire.StatusUpdateRequest{Status: string(s)},
	}, nil)
}

// Reply sends an operator's message to the execution
// (POST /executions/{id}/user-messages); it is how a paused_by_agent
// execution gets its answer.
func (c *Client) Reply(ctx context.Context, id, message string) error {
	r := call{method: "POST", path: "/executions/{id}/user-messages", args: []string{id}}
	if strings.TrimSpace(message) == "" {
		return &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "the message is empty"}
	}
	r.body = wire.UserMessageRequest{Message: message}
	return c.do(ctx, r, nil)
}

// ExecutionFromWire maps an execution to the neutral model. Raw is the
// execution re-encoded; the client replaces it with the bytes as received.
func ExecutionFromWire(e wire.Execution) api.Execution {
	raw, _ := json.Marshal(e)
	return executionFromWire(e, raw)
}

func executionFromWire(e wire.Execution, raw json.RawMessage) api.Execution {
	out := api.Execution{
		ID:                string(e.ID),
		AgentID:           string(e.AgentID),
		AgentName:         string(e.AgentName),
		AgentVersion:      int(e.AgentVersion),
		Status:            statusFromWire(string(e.Status)),
		OrganizationID:    string(e.OrganizationID),
		WorkflowID:        string(e.WorkflowID),
		ProfileID:         string(e.AgentProfileID),
		ProfileName:       string(e.AgentProfileName),
		ParentExecutionID: string(e.ParentExecutionID),
		CreatedAt:         e.CreatedAt.Time,
		TerminalAt:        e.TerminalAt.Time,
		LiveViewURL:       string(cmp.Or(e.LiveViewURL, e.BrowserLiveViewURL)),
		RecordingURL:      string(cmp.Or(e.RecordingURL, e.BrowserRecordingURL)),
		Metadata:          e.Metadata.Plain(),
		Inputs:            jsonOrNil(e.Inputs),
		Raw:               raw,
	}
	if e.Duration != nil && *e.Duration > 0 {
		out.Duration = time.Duration(float64(*e.Duration) * float64(time.Second))
	}
	if r := e.ExecutionResult; r != nil {
		out.Result = &api.Result{
			Outcome:   string(r.Outcome),
			Reasoning: string(r.Reasoning),
			Data:      jsonOrNil(r.Result),
			CreatedAt: r.CreatedAt.Time,
		}
	}
	for _, l := range e.HumanLabels {
		out.Labels = append(out.Labels, api.Label{ID: string(l.ID), Name: string(l.Name), Color: string(l.Color)})
	}
	for _, cm := range e.Comments {
		out.Comments = append(out.Comments, api.Comment{
			ID: string(cm.ID), UserID: string(cm.UserID), Content: string(cm.Content), Public: bool(cm.Public), CreatedAt: cm.CreatedAt.Time,
		})
	}
	return out
}

// statusFromWire normalises the case and spacing of a known status and keeps
// an unknown one verbatim.
func statusFromWire(s string) api.Status {
	if norm := api.Status(strings.ToLower(strings.TrimSpace(s))); norm.IsKnown() {
		return norm
	}
	return api.Status(s)
}

// jsonOrNil returns raw, or nil when it is absent or JSON null.
func jsonOrNil(raw json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return nil
	}
	return raw
}
