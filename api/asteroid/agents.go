package asteroid

import (
	"cmp"
	"context"
	"encoding/json"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// ListAgents lists agents (GET /agents), a page at a time.
func (c *Client) ListAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	query := pageQuery(c.orgOr(q.OrganizationID), q.Page, q.PageSize)
	setIf(query, "searchName", q.Search)
	setIf(query, "sortField", q.SortField)
	setIf(query, "sortDirection", string(q.SortDirection))
	return listPage(ctx, c, call{method: "GET", path: "/agents", query: query}, agentFromWire)
}

// agentFromWire maps an AgentBase.
func agentFromWire(a wire.Agent, raw json.RawMessage) api.Agent {
	return api.Agent{
		ID:             string(a.ID),
		Name:           string(a.Name),
		Description:    string(a.Description),
		OrganizationID: string(a.OrganizationID),
		CreatedAt:      a.CreatedAt.Time,
		Raw:            raw,
	}
}

// Execute starts agentID (POST /agents/{id}/execute) and returns the new
// execution's id. A profile and a pool together are refused before sending.
func (c *Client) Execute(ctx context.Context, agentID string, req api.ExecuteRequest) (string, error) {
	r := call{method: "POST", path: "/agents/{id}/execute", args: []string{agentID}}
	if req.ProfileID != "" && req.PoolID != "" {
		return "", &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "choose an agent profile or a profile pool, not both"}
	}
	body := wire.ExecuteRequest{
		AgentProfileID:     strings.TrimSpace(req.ProfileID),
		AgentProfilePoolID: strings.TrimSpace(req.PoolID),
		Inputs:             req.Inputs,
		Metadata:           req.Metadata,
	}
	for _, f := range req.TempFiles {
		body.TempFiles = append(body.TempFiles, wire.TempFile{ID: wire.ID(f.ID), Name: f.Name})
	}
	if req.Version > 0 {
		body.Version = &req.Version
	}
	if req.SharedStorageKey != "" || req.SoftTimeoutMins > 0 {
		body.ExecutionOptions = &wire.ExecutionOptions{SharedStorageKey: req.SharedStorageKey, SoftTimeoutMins: wire.Int(req.SoftTimeoutMins)}
	}
	r.body = body

	var resp struct {
		ExecutionID   wire.ID `json:"executionId"`
		ExecutionIDV1 wire.ID `json:"execution_id"` // the v1 spelling, tolerated
	}
	if err := c.do(ctx, r, &resp); err != nil {
		return "", err
	}
	id := string(cmp.Or(resp.ExecutionID, resp.ExecutionIDV1))
	if id == "" {
		return "", &api.Error{Kind: api.KindDecode, Op: r.op(), Message: "the response has no execution id"}
	}
	return id, nil
}
