package prefactor

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// agentTTL is how long the agents a listing fans out over are reused.
const agentTTL = time.Minute

// maxAgentPages bounds how many pages of agents one fan-out reads.
const maxAgentPages = 10

type agentCache struct {
	at     time.Time
	agents []wireAgent
	names  map[string]string
}

// pageQuery is the dashboard's paging and sorting: newest first by id
// (ids are k-sortable).
func pageQuery(offset, size int) url.Values {
	if size <= 0 || size > maxPageSize {
		size = maxPageSize
	}
	return url.Values{
		"pagination[page_size]": {strconv.Itoa(size)},
		"pagination[offset]":    {strconv.Itoa(max(offset, 0))},
		"sorting[field]":        {"id"},
		"sorting[direction]":    {"desc"},
	}
}

// listPage reads one page of a listing and decodes each summary on its own:
// an unreadable one is left out, never the whole page.
func listPage[W any](ctx context.Context, c *Client, r req) ([]W, []json.RawMessage, int, bool, error) {
	var env listEnvelope
	if err := c.call(ctx, r, &env); err != nil {
		return nil, nil, 0, false, err
	}
	items := make([]W, 0, len(env.Summaries))
	raws := make([]json.RawMessage, 0, len(env.Summaries))
	for _, raw := range env.Summaries {
		var w W
		if json.Unmarshal(raw, &w) != nil || strings.TrimSpace(string(raw)) == "null" {
			continue
		}
		items, raws = append(items, w), append(raws, raw)
	}
	next, more := env.next()
	return items, raws, next, more, nil
}

// ListAgents lists agents, newest first. Page and PageSize give the offset;
// Page.Next is the offset of the following page.
func (c *Client) ListAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	size := q.PageSize
	if size <= 0 || size > maxPageSize {
		size = maxPageSize
	}
	page := max(q.Page, 1)
	items, raws, next, more, err := listPage[wireAgent](ctx, c, req{method: "GET", path: "/agent", query: pageQuery((page-1)*size, size)})
	if err != nil {
		return api.Page[api.Agent]{}, err
	}
	out := api.Page[api.Agent]{Page: page, PageSize: size, TotalUnknown: true, Total: (page-1)*size + len(items)}
	for i, w := range items {
		a := agentOf(w, raws[i])
		if s := strings.ToLower(strings.TrimSpace(q.Search)); s != "" && !strings.Contains(strings.ToLower(a.Name), s) {
			continue
		}
		out.Items = append(out.Items, a)
	}
	if more {
		out.Next = strconv.Itoa(next)
	}
	return out, nil
}

// HasMore on a Page with Next works for the CLI's page-number loop too: the
// next page number asks for the same offset.

func agentOf(w wireAgent, raw json.RawMessage) api.Agent {
	return api.Agent{
		ID: string(w.ID), Name: string(w.Name), Description: string(w.Description),
		OrganizationID: string(w.AccountID), CreatedAt: w.InsertedAt.Time, Status: string(w.Status), Raw: raw,
	}
}

// fleet returns every agent (cached for agentTTL), for the instance fan-out.
func (c *Client) fleet(ctx context.Context) ([]wireAgent, error) {
	c.mu.Lock()
	cached := c.agents
	c.mu.Unlock()
	if !cached.at.IsZero() && time.Since(cached.at) < agentTTL {
		return cached.agents, nil
	}
	var all []wireAgent
	offset := 0
	for range maxAgentPages {
		items, _, next, more, err := listPage[wireAgent](ctx, c, req{method: "GET", path: "/agent", query: pageQuery(offset, maxPageSize)})
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if !more || next <= offset {
			break
		}
		offset = next
	}
	names := make(map[string]string, len(all))
	for _, a := range all {
		names[string(a.ID)] = string(a.Name)
	}
	c.mu.Lock()
	c.agents = agentCache{at: time.Now(), agents: all, names: names}
	c.mu.Unlock()
	return all, nil
}

// agent reads one agent (GET /agent/{id}) and keeps its name.
func (c *Client) agent(ctx context.Context, id string) (wireAgent, error) {
	var env detailsEnvelope[wireAgent]
	if err := c.call(ctx, req{method: "GET", path: "/agent/{id}", args: []string{id}}, &env); err != nil {
		return wireAgent{}, err
	}
	a := env.Details
	if a.ID == "" {
		a.ID = flexString(id)
	}
	c.mu.Lock()
	if c.agents.names == nil {
		c.agents.names = map[string]string{}
	}
	c.agents.names[string(a.ID)] = string(a.Name)
	c.mu.Unlock()
	return a, nil
}

// agentName is an agent's name from the cache, "" when unknown.
func (c *Client) agentName(id string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.agents.names[id]
}

// UserContext reads GET /account: the account the token belongs to.
func (c *Client) UserContext(ctx context.Context) (api.UserContext, error) {
	var env struct {
		Details json.RawMessage `json:"details"`
	}
	if err := c.call(ctx, req{method: "GET", path: "/account"}, &env); err != nil {
		return api.UserContext{}, err
	}
	var acct wireAccount
	_ = json.Unmarshal(env.Details, &acct)
	uc := api.UserContext{UserID: string(acct.ID), Email: string(acct.Email), Raw: env.Details}
	if acct.ID != "" {
		uc.Organizations = []api.Organization{{ID: string(acct.ID), Name: string(acct.Name), Role: "account"}}
	}
	return uc, nil
}

var _ api.Deployer = (*Client)(nil)

// listAll reads a small listing page by page (at most maxAgentPages): the
// first request as the vendor's CLI sends it, the next ones with the
// offset the previous page gave.
func listAll[W any](ctx context.Context, c *Client, path string, q url.Values) ([]W, []json.RawMessage, error) {
	var items []W
	var raws []json.RawMessage
	offset := 0
	for range maxAgentPages {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		if offset > 0 {
			pq.Set("pagination[offset]", strconv.Itoa(offset))
		}
		page, pageRaws, next, more, err := listPage[W](ctx, c, req{method: "GET", path: path, query: pq})
		if err != nil {
			return nil, nil, err
		}
		items, raws = append(items, page...), append(raws, pageRaws...)
		if !more || next <= offset {
			break
		}
		offset = next
	}
	return items, raws, nil
}

// Environments lists the account's environments (GET /environment); the
// organization is the account.
func (c *Client) Environments(ctx context.Context, organizationID string) ([]api.Environment, error) {
	q := url.Values{}
	if organizationID = strings.TrimSpace(organizationID); organizationID != "" {
		q.Set("account_id", organizationID)
	}
	items, raws, err := listAll[wireEnvironment](ctx, c, "/environment", q)
	if err != nil {
		return nil, err
	}
	out := make([]api.Environment, len(items))
	for i, w := range items {
		out[i] = api.Environment{ID: string(w.ID), Name: string(w.Name), OrganizationID: string(w.AccountID), Raw: raws[i]}
	}
	return out, nil
}

// Deployments lists an agent's deployments (GET /agent_deployment), every
// agent's when agentID is "".
func (c *Client) Deployments(ctx context.Context, agentID string) ([]api.Deployment, error) {
	q := url.Values{}
	if agentID = strings.TrimSpace(agentID); agentID != "" {
		q.Set("agent_id", agentID)
	}
	items, raws, err := listAll[wireDeployment](ctx, c, "/agent_deployment", q)
	if err != nil {
		return nil, err
	}
	out := make([]api.Deployment, len(items))
	for i, w := range items {
		out[i] = api.Deployment{ID: string(w.ID), AgentID: string(w.AgentID), EnvironmentID: string(w.EnvironmentID), Status: string(w.Status), Raw: raws[i]}
	}
	return out, nil
}
