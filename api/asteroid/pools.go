package asteroid

import (
	"context"
	"encoding/json"

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
	var p wire.Pool
	if err := c.do(ctx, call{method: "GET", path: "/agent-profile-pools/{id}", args: []string{id}}, &p); err != nil {
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
