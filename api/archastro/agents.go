package archastro

import (
	"context"
	"maps"
	"strconv"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
)

// ListAgents lists agents by page (page, page_size, search), with totals.
func (c *Client) ListAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	p, err := c.listAgents(ctx, q)
	if err == nil {
		// Copy on write: a map agentNames handed out is never changed.
		c.names.mu.Lock()
		m := maps.Clone(c.names.names)
		if m == nil {
			m = map[string]string{}
		}
		for _, a := range p.Items {
			m[a.ID] = a.Name
		}
		c.names.names = m
		c.names.mu.Unlock()
	}
	return p, err
}

func (c *Client) listAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	page, size := max(q.Page, 1), q.PageSize
	if n, err := strconv.Atoi(q.Cursor); err == nil && n > 0 {
		page = n // Next of a page without totals
	}
	if size <= 0 || size > wire.MaxLimit {
		size = wire.MaxLimit
	}
	var p params
	p.int("page", page)
	p.int("page_size", size)
	p.set("search", q.Search)
	r := request{method: "GET", path: "/agents", query: p}
	var ap wire.AgentPage
	if err := c.http.do(ctx, r, &ap); err != nil {
		return api.Page[api.Agent]{}, err
	}
	out := api.Page[api.Agent]{Page: cmp0(ap.Page, page), PageSize: cmp0(ap.PageSize, size), Total: ap.TotalEntries}
	for _, a := range decodeEach[withRaw[wire.Agent]](ctx, c.http, r.op(), ap.Data) {
		out.Items = append(out.Items, toAgent(a.v, a.raw))
	}
	if ap.TotalEntries == 0 && len(out.Items) > 0 {
		out.Total, out.TotalUnknown = len(out.Items), true
		if ap.HasNext {
			out.Next = strconv.Itoa(page + 1)
		}
	}
	return out, nil
}

// AgentHealth reads an agent's health word: ok, warning or critical.
func (c *Client) AgentHealth(ctx context.Context, agentID string) (string, error) {
	var h wire.Health
	err := c.http.do(ctx, request{method: "GET", path: "/agents/{id}/health", args: []string{agentID}}, &h)
	return h.Status, err
}

// UserContext reads users/me: the user, and the organization (or the app)
// the key belongs to.
func (c *Client) UserContext(ctx context.Context) (api.UserContext, error) {
	var me withRaw[wire.Me]
	if err := c.http.do(ctx, request{method: "GET", path: "/users/me"}, &me); err != nil {
		return api.UserContext{}, err
	}
	out := api.UserContext{UserID: me.v.ID, Email: me.v.Email, Raw: me.raw}
	if me.v.Org != "" {
		out.Organizations = append(out.Organizations, api.Organization{ID: me.v.Org, Name: me.v.OrgName})
	}
	if me.v.App != "" {
		out.Organizations = append(out.Organizations, api.Organization{ID: me.v.App, Name: strings.TrimSpace(me.v.AppName), Role: "app"})
	}
	return out, nil
}

func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
