package moderately

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/rest"
)

// ListExecutions lists agent executions (Kind "agent"), pipeline executions
// (Kind "pipeline"), or a page of each merged newest first (Kind ""). The
// platform filters by agent, status and configuration version; a partial
// id and the creation window are applied to the page here; labels,
// metadata and outcomes are not filters it has.
func (c *Client) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	if len(q.LabelIDs) > 0 || q.MetadataKey != "" || q.Outcome != "" {
		return api.Page[api.Execution]{}, &api.Error{Kind: api.KindUnsupported, Op: "list executions",
			Message: "moderately cannot filter executions by label, metadata or outcome"}
	}
	page, size := max(q.Page, 1), q.PageSize
	if size <= 0 {
		size = defaultPageSize
	}
	size = min(size, maxPageSize)
	statuses := wireStatuses(q.Statuses)
	out := api.Page[api.Execution]{Page: page, PageSize: size}
	if len(q.Statuses) > 0 && len(statuses) == 0 {
		return out, nil // asked only for statuses the platform never has
	}
	kinds := []string{KindAgent, KindPipeline}
	switch q.Kind {
	case "":
		if q.AgentID != "" || q.AgentVersion != 0 {
			kinds = kinds[:1] // pipelines belong to no agent (ask for Kind "pipeline" to filter by pipeline)
		}
	case KindAgent, KindPipeline:
		kinds = []string{q.Kind}
	default:
		return out, &api.Error{Kind: api.KindInvalid, Op: "list executions", Message: "moderately has no kind of run " + strconv.Quote(q.Kind) + " (agent, pipeline)"}
	}
	if q.ExecutionID != "" && page == 1 {
		// A whole id is found by the platform's exact filter in one request
		// a kind; only failing that are pages searched for a part of one.
		exact := q
		exact.ExecutionID, exact.Statuses = "", nil
		for _, kind := range kinds {
			p, err := c.listKind(ctx, kind, exact, 1, size, nil, q.ExecutionID)
			if err != nil {
				return api.Page[api.Execution]{}, err
			}
			out.Items = append(out.Items, p.Items...)
		}
		if out.Items = slices.DeleteFunc(out.Items, func(e api.Execution) bool { return e.ID != q.ExecutionID }); len(out.Items) > 0 {
			c.label(ctx, out.Items)
			out.Total = len(out.Items)
			return out, nil
		}
	}
	for _, kind := range kinds {
		p, err := c.listKind(ctx, kind, q, page, size, statuses, "")
		if err != nil {
			return api.Page[api.Execution]{}, err
		}
		out.Items = append(out.Items, p.Items...)
		out.Total += p.Total
	}
	c.label(ctx, out.Items)
	out.Items = slices.DeleteFunc(out.Items, func(e api.Execution) bool { return !wanted(e, q) })
	desc := q.SortDirection != api.SortAsc
	slices.SortStableFunc(out.Items, func(a, b api.Execution) int {
		if d := a.CreatedAt.Compare(b.CreatedAt); d != 0 {
			if desc {
				return -d
			}
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// wanted applies the filters the platform does not have.
func wanted(e api.Execution, q api.ExecutionQuery) bool {
	switch {
	case q.ExecutionID != "" && !strings.Contains(strings.ToLower(e.ID), strings.ToLower(q.ExecutionID)),
		!q.CreatedAfter.IsZero() && !e.CreatedAt.After(q.CreatedAfter),
		!q.CreatedBefore.IsZero() && !e.CreatedAt.Before(q.CreatedBefore):
		return false
	}
	return true
}

// listKind fetches one page of one kind (only the execution id, when one
// is given).
func (c *Client) listKind(ctx context.Context, kind string, q api.ExecutionQuery, page, size int, statuses []string, id string) (api.Page[api.Execution], error) {
	v := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(size)}}
	if id != "" {
		name := "agentExecutionIds"
		if kind == KindPipeline {
			name = "pipelineExecutionIds"
		}
		v.Set(name, id)
	}
	if len(statuses) > 0 {
		v.Set("statuses", strings.Join(statuses, ","))
	}
	path := "/agent-executions"
	if kind == KindPipeline {
		path = "/pipeline-executions"
		v.Set("orderBy", "createdAt")
		v.Set("orderDirection", cmp.Or(string(q.SortDirection), "desc"))
		if q.AgentID != "" {
			v.Set("pipelineIds", q.AgentID) // with Kind "pipeline", the agent is the pipeline
		}
	} else {
		if q.AgentID != "" {
			v.Set("agentIds", q.AgentID)
		}
		if q.AgentVersion > 0 {
			if q.AgentID == "" {
				return api.Page[api.Execution]{}, &api.Error{Kind: api.KindInvalid, Op: "list executions", Message: "a version filter needs an agent"}
			}
			id, _, err := c.versionID(ctx, q.AgentID, q.AgentVersion)
			if err != nil {
				return api.Page[api.Execution]{}, err
			}
			v.Set("agentConfigurationVersionIds", id)
		}
	}
	var l listing
	r := rest.Call{Method: http.MethodGet, Path: path, Query: v}
	if err := c.rc.Do(ctx, r, &l); err != nil {
		return api.Page[api.Execution]{}, err
	}
	items := decodeItems(l.Items, func(raw json.RawMessage) (api.Execution, bool) { return c.decodeExecution(kind, raw) })
	for _, e := range items {
		c.rememberKind(e.ID, kind)
	}
	p := api.Page[api.Execution]{Items: items, Page: page, PageSize: size, Total: len(items) + (page-1)*size}
	if l.Pagination != nil {
		p.Total = int(l.Pagination.TotalItems)
	}
	return p, nil
}

// decodeItems decodes each item on its own; one that cannot be read (or is
// null, or has no id) is left out rather than failing the page.
func decodeItems[T any](items []json.RawMessage, conv func(json.RawMessage) (T, bool)) []T {
	out := make([]T, 0, len(items))
	for _, raw := range items {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		if v, ok := conv(raw); ok {
			out = append(out, v)
		}
	}
	return out
}

// decodeExecution reads an execution of kind.
func (c *Client) decodeExecution(kind string, raw json.RawMessage) (api.Execution, bool) {
	if kind == KindPipeline {
		var w pipelineExecution
		if json.Unmarshal(raw, &w) != nil || w.ID == "" {
			return api.Execution{}, false
		}
		return pipelineToAPI(w, raw), true
	}
	var w agentExecution
	if json.Unmarshal(raw, &w) != nil || w.ID == "" {
		return api.Execution{}, false
	}
	return c.agentToAPI(w, raw), true
}

// times is what both kinds share.
type times struct {
	status                                     string
	created, updated, completed, failed, ended flexTime
}

// common fills the status and times of an execution.
func common(e *api.Execution, t times) {
	e.Status, e.PlatformStatus = statusOf(t.status)
	e.CreatedAt, e.UpdatedAt = t.created.Time, t.updated.Time
	switch {
	case !t.completed.IsZero():
		e.TerminalAt = t.completed.Time
	case !t.failed.IsZero():
		e.TerminalAt = t.failed.Time
	case !t.ended.IsZero():
		e.TerminalAt = t.ended.Time
	}
	if e.TerminalAt.IsZero() && e.Status.IsTerminal() {
		e.TerminalAt = e.UpdatedAt
	}
}

// result builds the result of an ended execution.
func result(status api.Status, summary flexText, output json.RawMessage, at time.Time) *api.Result {
	if status != api.StatusCompleted && status != api.StatusFailed {
		return nil
	}
	r := &api.Result{Outcome: "success", Reasoning: string(summary), CreatedAt: at}
	if status == api.StatusFailed {
		r.Outcome = "failure"
	}
	if o := bytes.TrimSpace(output); len(o) > 0 && !bytes.Equal(o, []byte("null")) {
		r.Data = json.RawMessage(o)
	}
	return r
}

func (c *Client) agentToAPI(w agentExecution, raw json.RawMessage) api.Execution {
	e := api.Execution{ID: w.ID, Kind: KindAgent, Title: string(w.InputSummary), Inputs: w.Input, Raw: raw,
		StatusReason: string(cmp.Or(w.FailureReason, w.Error, w.CancellationReason))}
	common(&e, times{w.Status, w.CreatedAt, w.UpdatedAt, w.CompletedAt, w.FailedAt, w.CancelledAt})
	e.Result = result(e.Status, w.OutputSummary, w.Output, e.TerminalAt)
	if w.VersionID != "" {
		e.Metadata = map[string]string{"agentConfigurationVersionId": w.VersionID}
		c.mu.Lock()
		if ref, ok := c.versions[w.VersionID]; ok {
			e.AgentID, e.AgentVersion, e.AgentName = ref.agentID, ref.number, c.names[ref.agentID]
		}
		c.mu.Unlock()
	}
	return e
}

func pipelineToAPI(w pipelineExecution, raw json.RawMessage) api.Execution {
	e := api.Execution{ID: w.ID, Kind: KindPipeline, Title: string(w.InputSummary), Inputs: w.Input, Raw: raw,
		AgentID: w.PipelineID, AgentName: string(w.PipelineName), StatusReason: string(w.Reason)}
	common(&e, times{w.Status, w.CreatedAt, w.UpdatedAt, w.CompletedAt, w.FailedAt, w.CancelledAt})
	e.Result = result(e.Status, w.OutputSummary, w.Output, e.TerminalAt)
	if w.TotalSteps > 0 {
		e.Metadata = map[string]string{"progress": strconv.Itoa(int(w.CurrentStep)) + "/" + strconv.Itoa(int(w.TotalSteps))}
	}
	return e
}

// GetExecution reads one execution of either kind: an id not listed before
// is looked up as an agent execution, then as a pipeline execution.
func (c *Client) GetExecution(ctx context.Context, id string) (api.Execution, error) {
	kinds := []string{KindAgent, KindPipeline}
	if k, ok := c.kindOf(id); ok && k == KindPipeline {
		kinds = []string{KindPipeline, KindAgent}
	}
	var first error
	for _, kind := range kinds {
		e, err := c.getKind(ctx, kind, id)
		if err == nil {
			return e, nil
		}
		if !errors.Is(err, api.ErrNotFound) {
			return api.Execution{}, err
		}
		first = cmp.Or(first, err)
	}
	return api.Execution{}, first
}

func (c *Client) getKind(ctx context.Context, kind, id string) (api.Execution, error) {
	path := "/agent-executions/{id}"
	if kind == KindPipeline {
		path = "/pipeline-executions/{id}"
	}
	var raw json.RawMessage
	r := rest.Call{Method: http.MethodGet, Path: path, Args: []string{id}}
	if err := c.rc.Do(ctx, r, &raw); err != nil {
		return api.Execution{}, err
	}
	e, ok := c.decodeExecution(kind, raw)
	if !ok {
		return api.Execution{}, &api.Error{Kind: api.KindDecode, Op: r.Op(), Message: "the answer is not an execution"}
	}
	c.rememberKind(e.ID, kind)
	if kind == KindAgent {
		list := []api.Execution{e}
		c.label(ctx, list)
		e = list[0]
	}
	return e, nil
}

// Execute starts an agent execution of agentID's current configuration
// version (or req.Version). Instructions (else Name) become the input
// summary the platform requires, and the input when Inputs is empty.
func (c *Client) Execute(ctx context.Context, agentID string, req api.ExecuteRequest) (string, error) {
	if req.Kind != "" && req.Kind != KindAgent {
		return "", &api.Error{Kind: api.KindUnsupported, Op: "execute", Message: "moderately cannot start a " + req.Kind + " from agentop"}
	}
	if req.ProfileID != "" || req.PoolID != "" || len(req.TempFiles) > 0 {
		return "", &api.Error{Kind: api.KindUnsupported, Op: "execute", Message: "moderately has no profiles, pools or staged files"}
	}
	vid, number, err := c.versionID(ctx, agentID, req.Version)
	if err != nil {
		return "", err
	}
	summary := strings.TrimSpace(cmp.Or(req.Instructions, req.Name))
	if summary == "" {
		summary = "Started with agentop"
	}
	if r := []rune(summary); len(r) > 500 {
		summary = string(r[:499]) + "…"
	}
	input := req.Inputs
	if len(input) == 0 {
		input = map[string]any{}
		if req.Instructions != "" {
			input["message"] = req.Instructions
		}
	}
	var created agentExecution
	r := rest.Call{Method: http.MethodPost, Path: "/agent-executions", Body: createBody{VersionID: vid, Input: input, InputSummary: summary}}
	if err := c.rc.Do(ctx, r, &created); err != nil {
		return "", err
	}
	if created.ID == "" {
		return "", &api.Error{Kind: api.KindDecode, Op: r.Op(), Message: "the answer has no agentExecutionId"}
	}
	c.rememberKind(created.ID, KindAgent)
	c.mu.Lock()
	c.versions[vid] = versionRef{agentID: agentID, number: number}
	c.mu.Unlock()
	return created.ID, nil
}

// Cancel cancels an execution of either kind.
func (c *Client) Cancel(ctx context.Context, id string) error { return c.CancelWithReason(ctx, id, "") }

// CancelWithReason cancels a pipeline execution with an optional reason, or
// an agent execution (which takes none: the reason is dropped). The agent
// execution's cancel is in the vendor's SDK but not its published API: a
// deployment that answers 404 or 405 does not have it.
func (c *Client) CancelWithReason(ctx context.Context, id, reason string) error {
	kind, ok := c.kindOf(id)
	if !ok {
		e, err := c.GetExecution(ctx, id)
		if err != nil {
			return err
		}
		kind = e.Kind
	}
	if kind == KindPipeline {
		var body any
		if reason = strings.TrimSpace(reason); reason != "" {
			body = cancelBody{Reason: reason}
		}
		return c.rc.Do(ctx, rest.Call{Method: http.MethodPost, Path: "/pipeline-executions/{id}/cancel", Args: []string{id}, Body: body}, nil)
	}
	r := rest.Call{Method: http.MethodPost, Path: "/agent-executions/{id}/cancel", Args: []string{id}}
	err := c.rc.Do(ctx, r, nil)
	var ae *api.Error
	if errors.As(err, &ae) && (ae.StatusCode == http.StatusNotFound || ae.StatusCode == http.StatusMethodNotAllowed) {
		return &api.Error{Kind: api.KindUnsupported, Op: "cancel execution", StatusCode: ae.StatusCode,
			Message: "cancelling an agent execution is not supported by this deployment (the endpoint is not in its published API)"}
	}
	return err
}
