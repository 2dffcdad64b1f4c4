package poller

import (
	"context"
	"time"

	"github.com/agentop/agentop/api"
)

// peekLoop keeps the newest activity of the on-screen executions fresh: each
// round it spends at most PeekBudget calls on visible rows whose newest
// activity is older than PeekStale (terminal ones once). The focused
// execution is skipped (the tailer follows it), and so are waiting ones
// (their row shows the question, which the sweeper reads).
func (p *Poller) peekLoop(ctx context.Context) {
	checked := map[string]time.Time{} // execution id → last peek
	bo := newBackoff(p.cfg.PeekEvery, p.cfg.MaxBackoff)
	for {
		wait := p.cfg.PeekEvery
		if err := p.peekRound(ctx, checked); err != nil {
			wait = bo.fail(err)
		} else {
			bo.ok()
		}
		if !sleep(ctx, wait, p.wakePeek) {
			return
		}
	}
}

func (p *Poller) peekRound(ctx context.Context, checked map[string]time.Time) error {
	p.mu.Lock()
	visible := p.visible
	focus := p.focusID
	p.mu.Unlock()
	snap := p.Snapshot()
	now := p.cfg.Now()

	// Forget executions no longer in the fleet so the map stays bounded.
	if len(checked) > 4*len(visible)+64 {
		for id := range checked {
			if _, ok := snap.Get(id); !ok {
				delete(checked, id)
			}
		}
	}
	latest := map[string]api.Activity{}
	budget := p.cfg.PeekBudget
	for _, id := range visible {
		if budget == 0 || ctx.Err() != nil {
			break
		}
		if id == focus {
			continue
		}
		last, seen := checked[id]
		e, _ := snap.Get(id)
		if e.Status.NeedsHuman() || seen && (e.Status.IsTerminal() || now.Sub(last) < p.cfg.PeekStale) {
			continue
		}
		budget--
		acts, err := poll(ctx, p.cfg.PollTimeout, func(ctx context.Context) ([]api.Activity, error) {
			return p.cfg.Backend.Activities(ctx, id, api.ActivityQuery{Order: api.SortDesc, Limit: 1})
		})
		if err != nil {
			return err
		}
		checked[id] = now
		if len(acts) > 0 {
			latest[id] = acts[0]
		}
	}
	if len(latest) == 0 {
		return nil
	}
	p.emit(ctx, LastActivityEvent{Latest: latest})
	return nil
}

// catalogLoop lists agents, profiles and pools on start, every CatalogEvery,
// and on Refresh; failures retry sooner.
func (p *Poller) catalogLoop(ctx context.Context) {
	bo := newBackoff(5*time.Second, p.cfg.CatalogEvery)
	for {
		ev := p.catalog(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := p.cfg.CatalogEvery
		if len(ev.Errs) > 0 {
			wait = bo.fail(ev.Errs[0])
		} else {
			bo.ok()
		}
		if !p.emit(ctx, ev) || !sleep(ctx, wait, p.wakeCatalog) {
			return
		}
	}
}

func (p *Poller) catalog(ctx context.Context) CatalogEvent {
	const maxItems = 2000
	cfg := p.cfg
	var ev CatalogEvent
	agents, err := collect(ctx, maxItems, func(page int) (api.Page[api.Agent], error) {
		return cfg.Backend.ListAgents(ctx, api.AgentQuery{OrganizationID: cfg.OrganizationID, Page: page, PageSize: 100, SortField: "name", SortDirection: api.SortAsc})
	})
	if err != nil {
		ev.Errs = append(ev.Errs, err)
	} else {
		ev.Agents = agents
	}
	if p.caps.Profiles {
		profiles, err := cfg.Backend.ListProfiles(ctx, api.ProfileQuery{OrganizationID: cfg.OrganizationID})
		if err != nil {
			ev.Errs = append(ev.Errs, err)
		} else {
			ev.Profiles = nonNil(profiles)
		}
	}
	if vr, ok := cfg.Backend.(api.Versioner); ok && p.caps.Versions {
		versions, err := vr.AgentVersions(ctx, "")
		if err != nil {
			ev.Errs = append(ev.Errs, err)
		} else {
			ev.Versions = nonNil(versions)
		}
	}
	if d, ok := cfg.Backend.(api.Deployer); ok && p.caps.Deployments {
		envs, err := d.Environments(ctx, cfg.OrganizationID)
		if err == nil {
			ev.Environments = nonNil(envs)
			var deps []api.Deployment
			deps, err = d.Deployments(ctx, "") // every agent's, in one listing
			ev.Deployments = nonNil(deps)
		}
		if err != nil {
			ev.Environments, ev.Deployments = nil, nil
			ev.Errs = append(ev.Errs, err)
		}
	}
	if p.caps.Pools {
		pools, err := collect(ctx, maxItems, func(page int) (api.Page[api.ProfilePool], error) {
			return cfg.Backend.ListPools(ctx, api.PoolQuery{OrganizationID: cfg.OrganizationID, Page: page, PageSize: 100, SortField: "name", SortDirection: api.SortAsc})
		})
		if err != nil {
			ev.Errs = append(ev.Errs, err)
		} else {
			ev.Pools = pools
		}
	}
	return ev
}

// collect pages through a listing, up to max items.
func collect[T any](ctx context.Context, max int, list func(page int) (api.Page[T], error)) ([]T, error) {
	out := []T{}
	for page := 1; ctx.Err() == nil; page++ {
		res, err := list(page)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if !res.HasMore() || len(out) >= max {
			return out, nil
		}
	}
	return nil, ctx.Err()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
