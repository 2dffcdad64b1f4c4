package asteroid

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// ListPools lists agent profile pools (GET /agent-profile-pools).
func (c *Client) ListPools(ctx context.Context, q api.PoolQuery) (api.Page[api.ProfilePool], error) {
	query := pageQuery(c.orgOr(q.OrganizationID), q.Page, q.PageSize)
	setIf(query, "searchName", q.Search)
	setIf(query, "sortField", q.SortField)
	setIf(query, "sortDirection", string(q.SortDirection))
	return listPage(ctx, c, call{method: "GET", path: "/agent-profile-pools", query: query}, poolFromWire)
}

// GetPool fetches one pool (GET /agent-profile-pools/{id}).
func (c *Client) GetPool(ctx context.Context, id string) (api.ProfilePool, error) {
	return c.poolCall(ctx, call{method: "GET", path: "/agent-profile-pools/{id}", args: []string{id}})
}

// CreatePool creates a profile pool (POST /agent-profile-pools); the
// server checks the name (1–255 characters, unique in the organization) and
// the strategy.
func (c *Client) CreatePool(ctx context.Context, in api.PoolInput) (api.ProfilePool, error) {
	r := call{method: "POST", path: "/agent-profile-pools"}
	if strings.TrimSpace(in.Name) == "" {
		return api.ProfilePool{}, &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "the pool needs a name"}
	}
	body := wire.CreatePoolRequest{Name: in.Name, OrganizationID: c.orgOr(in.OrganizationID), SelectionStrategy: in.SelectionStrategy}
	if in.AllowConcurrentUse {
		body.AllowConcurrentUse = &in.AllowConcurrentUse
	}
	r.body = body
	return c.poolCall(ctx, r)
}

// UpdatePool changes a profile pool (PATCH /agent-profile-pools/{id}):
// only the fields set are sent.
func (c *Client) UpdatePool(ctx context.Context, id string, up api.PoolUpdate) (api.ProfilePool, error) {
	r := call{method: "PATCH", path: "/agent-profile-pools/{id}", args: []string{id}}
	if up.Empty() {
		return api.ProfilePool{}, &api.Error{Kind: api.KindInvalid, Op: r.op(), Message: "nothing to change"}
	}
	r.body = wire.UpdatePoolRequest{Name: up.Name, AllowConcurrentUse: up.AllowConcurrentUse, SelectionStrategy: up.SelectionStrategy}
	return c.poolCall(ctx, r)
}

// poolCall sends r and maps the pool it returns.
func (c *Client) poolCall(ctx context.Context, r call) (api.ProfilePool, error) {
	var p wire.Pool
	if err := c.do(ctx, r, &p); err != nil {
		return api.ProfilePool{}, err
	}
	return poolFromWire(p, nil), nil
}

// poolFromWire maps a pool; the neutral model keeps no raw JSON for pools.
func poolFromWire(p wire.Pool, _ json.RawMessage) api.ProfilePool {
	return api.ProfilePool{
		ID:                 string(p.ID),
		Name:               string(p.Name),
		OrganizationID:     string(p.OrganizationID),
		AllowConcurrentUse: bool(p.AllowConcurrentUse),
		SelectionStrategy:  string(p.SelectionStrategy),
		CreatedAt:          p.CreatedAt.Time,
		UpdatedAt:          p.UpdatedAt.Time,
	}
}
