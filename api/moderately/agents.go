package moderately

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/rest"
)

// ListAgents lists the team's agents: Search is the platform's nameLike;
// sort by name, created_at or updated_at.
func (c *Client) ListAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	page, size := max(q.Page, 1), q.PageSize
	if size <= 0 {
		size = defaultPageSize
	}
	size = min(size, maxPageSize)
	v := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(size)}}
	if s := strings.TrimSpace(q.Search); s != "" {
		v.Set("nameLike", s)
	}
	switch q.SortField {
	case "":
	case "name":
		v.Set("orderBy", "name")
	case "created_at", "createdAt":
		v.Set("orderBy", "createdAt")
	case "updated_at", "updatedAt":
		v.Set("orderBy", "updatedAt")
	default:
		return api.Page[api.Agent]{}, &api.Error{Kind: api.KindInvalid, Op: "list agents", Message: "agents sort by name, created_at or updated_at"}
	}
	if q.SortDirection != "" {
		v.Set("orderDirection", string(q.SortDirection))
	}
	items, total, err := c.agents(ctx, v)
	if err != nil {
		return api.Page[api.Agent]{}, err
	}
	return api.Page[api.Agent]{Items: items, Page: page, PageSize: size, Total: cmp.Or(total, len(items)+(page-1)*size)}, nil
}

// agents fetches one page of GET /agents and remembers the names.
func (c *Client) agents(ctx context.Context, v url.Values) ([]api.Agent, int, error) {
	var l listing
	if err := c.rc.Do(ctx, rest.Call{Method: http.MethodGet, Path: "/agents", Query: v}, &l); err != nil {
		return nil, 0, err
	}
	items := decodeItems(l.Items, func(raw json.RawMessage) (api.Agent, bool) {
		var w agent
		if json.Unmarshal(raw, &w) != nil || w.ID == "" {
			return api.Agent{}, false
		}
		return api.Agent{ID: w.ID, Name: string(w.Name), Description: string(w.Description), OrganizationID: w.TeamID,
			CreatedAt: w.CreatedAt.Time, Raw: raw}, true
	})
	c.mu.Lock()
	for _, a := range items {
		c.names[a.ID] = a.Name
	}
	c.mu.Unlock()
	total := 0
	if l.Pagination != nil {
		total = int(l.Pagination.TotalItems)
	}
	return items, total, nil
}

// AgentVersions lists an agent's configuration versions, newest first
// (every agent's when agentID is "").
func (c *Client) AgentVersions(ctx context.Context, agentID string) ([]api.AgentVersion, error) {
	v := url.Values{}
	if agentID = strings.TrimSpace(agentID); agentID != "" {
		v.Set("agentIds", agentID)
	}
	vs, err := c.configVersions(ctx, v)
	if err != nil {
		return nil, err
	}
	out := make([]api.AgentVersion, 0, len(vs))
	for _, w := range vs {
		out = append(out, api.AgentVersion{ID: w.v.ID, AgentID: w.v.AgentID, Number: int(w.v.VersionNumber), Current: w.v.IsCurrent,
			Summary: strings.Join(strings.Fields(string(w.v.Instructions)), " "), CreatedAt: w.v.CreatedAt.Time, Raw: w.raw})
	}
	slices.SortStableFunc(out, func(a, b api.AgentVersion) int {
		if c := cmp.Compare(a.AgentID, b.AgentID); c != 0 {
			return c
		}
		return cmp.Compare(b.Number, a.Number)
	})
	return out, nil
}

type rawVersion struct {
	v   configVersion
	raw json.RawMessage
}

// configVersions fetches GET /agent-configuration-versions (a bare array;
// an {"items": …} envelope is read too) and remembers what it learns.
func (c *Client) configVersions(ctx context.Context, v url.Values) ([]rawVersion, error) {
	var raw json.RawMessage
	if err := c.rc.Do(ctx, rest.Call{Method: http.MethodGet, Path: "/agent-configuration-versions", Query: v}, &raw); err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		var l listing
		_ = json.Unmarshal(raw, &l)
		items = l.Items
	}
	out := decodeItems(items, func(raw json.RawMessage) (rawVersion, bool) {
		var w configVersion
		if json.Unmarshal(raw, &w) != nil || w.ID == "" {
			return rawVersion{}, false
		}
		return rawVersion{w, raw}, true
	})
	c.mu.Lock()
	for _, w := range out {
		c.versions[w.v.ID] = versionRef{agentID: w.v.AgentID, number: int(w.v.VersionNumber)}
	}
	c.mu.Unlock()
	return out, nil
}

// versionID returns the id and number of agentID's configuration version
// number (its current one when number is 0; remembered for a minute).
func (c *Client) versionID(ctx context.Context, agentID string, number int) (string, int, error) {
	agentID = strings.TrimSpace(agentID)
	if agentID == "" {
		return "", 0, &api.Error{Kind: api.KindInvalid, Op: "execute", Message: "missing agent id"}
	}
	v := url.Values{"agentIds": {agentID}}
	if number > 0 {
		v.Set("versionNumbers", strconv.Itoa(number))
		c.mu.Lock()
		for id, ref := range c.versions {
			if ref.agentID == agentID && ref.number == number {
				c.mu.Unlock()
				return id, number, nil
			}
		}
		c.mu.Unlock()
	} else {
		v.Set("isCurrent", "true")
		c.mu.Lock()
		cur, ok := c.current[agentID]
		c.mu.Unlock()
		if ok && time.Since(cur.at) < currentTTL {
			return cur.id, cur.number, nil
		}
	}
	vs, err := c.configVersions(ctx, v)
	if err != nil {
		return "", 0, err
	}
	for _, w := range vs {
		if w.v.AgentID != "" && w.v.AgentID != agentID {
			continue
		}
		if (number > 0 && int(w.v.VersionNumber) == number) || (number == 0 && w.v.IsCurrent) {
			if number == 0 {
				c.mu.Lock()
				c.current[agentID] = currentRef{id: w.v.ID, number: int(w.v.VersionNumber), at: time.Now()}
				c.mu.Unlock()
			}
			return w.v.ID, int(w.v.VersionNumber), nil
		}
	}
	msg := "agent " + agentID + " has no current configuration version"
	if number > 0 {
		msg = "agent " + agentID + " has no configuration version " + strconv.Itoa(number)
	}
	return "", 0, &api.Error{Kind: api.KindNotFound, Op: "resolve the configuration version", Message: msg}
}

// label fills the agent of agent executions through their configuration
// versions: unknown versions in one request, unknown agent names in
// another, both remembered. A failed lookup leaves the agent blank.
func (c *Client) label(ctx context.Context, list []api.Execution) {
	var vids []string
	c.mu.Lock()
	for _, e := range list {
		if vid := e.Metadata["agentConfigurationVersionId"]; e.Kind == KindAgent && vid != "" {
			if _, ok := c.versions[vid]; !ok && !slices.Contains(vids, vid) {
				vids = append(vids, vid)
			}
		}
	}
	c.mu.Unlock()
	for chunk := range slices.Chunk(vids, maxPageSize) {
		_, _ = c.configVersions(ctx, url.Values{"agentConfigurationVersionIds": {strings.Join(chunk, ",")}})
	}
	var agents []string
	c.mu.Lock()
	for _, e := range list {
		if ref, ok := c.versions[e.Metadata["agentConfigurationVersionId"]]; ok && ref.agentID != "" {
			if _, named := c.names[ref.agentID]; !named && !slices.Contains(agents, ref.agentID) {
				agents = append(agents, ref.agentID)
			}
		}
	}
	c.mu.Unlock()
	for chunk := range slices.Chunk(agents, maxPageSize) {
		_, _, err := c.agents(ctx, url.Values{"agentIds": {strings.Join(chunk, ",")}, "page": {"1"}, "pageSize": {strconv.Itoa(maxPageSize)}})
		if err != nil {
			continue
		}
		c.mu.Lock()
		for _, id := range chunk {
			if _, ok := c.names[id]; !ok {
				c.names[id] = "" // gone: do not ask again on every poll
			}
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range list {
		if e.Kind != KindAgent {
			continue
		}
		if ref, ok := c.versions[e.Metadata["agentConfigurationVersionId"]]; ok {
			list[i].AgentID, list[i].AgentVersion, list[i].AgentName = ref.agentID, ref.number, c.names[ref.agentID]
		}
	}
}

// UserContext reads GET /authentication/whoami; the team is the
// organization.
func (c *Client) UserContext(ctx context.Context) (api.UserContext, error) {
	var raw json.RawMessage
	if err := c.rc.Do(ctx, rest.Call{Method: http.MethodGet, Path: "/authentication/whoami"}, &raw); err != nil {
		return api.UserContext{}, err
	}
	var w whoami
	_ = json.Unmarshal(raw, &w)
	return api.UserContext{UserID: w.UserID, Email: string(w.Email), Raw: raw,
		Organizations: []api.Organization{{ID: c.team, Name: c.team, Role: "team"}}}, nil
}
