package poller

import (
	"context"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
)

// applyHints clamps the cadences and sizes to what the platform says it
// takes (api.Hinter): never sweep faster than MinSweep, never tail faster
// than MinTail, pages no larger than MaxPageSize, no more requests in
// flight than MaxInFlight. A platform that asks for slow sweeps also gets a
// poll deadline of one sweep (its pages take seconds, and one listing may be
// several), and data is stale only after three slow sweeps.
func (c *Config) applyHints(h api.PollHints) {
	atLeast := func(v *time.Duration, d time.Duration) {
		if d > 0 && *v < d {
			*v = d
		}
	}
	for _, v := range []*time.Duration{&c.FastSweep, &c.SlowSweep, &c.FullSweep, &c.TerminalSweep, &c.NudgeFull, &c.PollTimeout} {
		atLeast(v, h.MinSweep)
	}
	atLeast(&c.StaleAfter, 3*c.SlowSweep)
	atLeast(&c.FastTail, h.MinTail)
	atLeast(&c.SlowTail, h.MinTail)
	if h.MaxPageSize > 0 {
		c.PageSize = min(c.PageSize, h.MaxPageSize)
	}
	if h.MaxInFlight > 0 {
		c.ListConcurrency = min(c.ListConcurrency, h.MaxInFlight)
	}
}

// agentIDs is the list of agent ids a capped listing fans out over, read
// at most every CatalogEvery.
type agentIDs struct {
	mu  sync.Mutex
	ids []string
	at  time.Time
}

func (p *Poller) agentIDs(ctx context.Context) ([]string, error) {
	p.fan.mu.Lock()
	defer p.fan.mu.Unlock()
	now := p.cfg.Now()
	if p.fan.ids != nil && now.Sub(p.fan.at) < p.cfg.CatalogEvery {
		return p.fan.ids, nil
	}
	agents, err := collect(ctx, p.cfg.MaxActive, func(page int) (api.Page[api.Agent], error) {
		return poll(ctx, p.cfg.PollTimeout, func(ctx context.Context) (api.Page[api.Agent], error) {
			return p.cfg.Backend.ListAgents(ctx, api.AgentQuery{OrganizationID: p.cfg.OrganizationID, Page: page, PageSize: p.cfg.PageSize})
		})
	})
	if err != nil && len(agents) == 0 {
		return nil, err
	}
	ids := make([]string, len(agents))
	for i, a := range agents {
		ids[i] = a.ID
	}
	p.fan.ids, p.fan.at = ids, now
	return ids, nil
}

// fanOut lists q once per agent, for a platform that lists at most a
// capped number of items with no way to page past them (ArchAstro's
// newest 100 sessions). Requests grow with the agents, not the
// executions. ok is false when there is nothing to fan out over (a query
// already narrowed to one agent, or no agents); a per-agent listing that
// is itself capped leaves the result incomplete.
func (p *Poller) fanOut(ctx context.Context, q api.ExecutionQuery, maxItems int) (listing, bool) {
	if q.AgentID != "" {
		return listing{}, false
	}
	ids, err := p.agentIDs(ctx)
	if err != nil || len(ids) == 0 {
		return listing{err: err}, false
	}
	parts := make([]listing, len(ids))
	parallel(ctx, len(ids), p.cfg.ListConcurrency, func(i int) {
		aq := q
		aq.AgentID = ids[i]
		parts[i] = p.listAll(ctx, aq, maxItems)
	})
	out := listing{complete: true, consistent: true}
	seen := map[string]bool{}
	for _, part := range parts {
		if part.err != nil && out.err == nil {
			out.err = part.err
		}
		out.complete = out.complete && part.complete
		out.consistent = out.consistent && part.consistent
		out.capped = out.capped || part.capped
		out.requests += part.requests
		for _, e := range part.items {
			if !seen[e.ID] && len(out.items) < maxItems {
				seen[e.ID] = true
				out.items = append(out.items, e)
			}
		}
	}
	out.total = len(out.items)
	return out, true
}
