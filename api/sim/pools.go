package sim

import (
	"cmp"
	"slices"
	"strings"

	"github.com/agentop/agentop/api"
)

// DefaultPoolPageSize is the pool listing's default page size.
const DefaultPoolPageSize = 50

// Pools lists profile pools: search is a partial, case-insensitive match on
// the name; sort by name, created_at or updated_at (default created_at,
// newest first).
func (e *Engine) Pools(q api.PoolQuery) (api.Page[Pool], error) {
	e.lock()
	defer e.mu.Unlock()
	if err := e.checkOrg(q.OrganizationID); err != nil {
		return api.Page[Pool]{}, err
	}
	var items []Pool
	for _, p := range e.pools {
		if containsFold(p.Name, q.Search) {
			items = append(items, p.clone())
		}
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultPoolPageSize
	}
	return listing(items, map[string]sortKey[Pool]{
		"name":       func(a, b Pool) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) },
		"created_at": func(a, b Pool) int { return byTime(a.CreatedAt, b.CreatedAt) },
		"updated_at": func(a, b Pool) int { return byTime(a.UpdatedAt, b.UpdatedAt) },
	}, q.SortField, q.SortDirection, q.Page, q.PageSize, func(a, b Pool) int { return cmp.Compare(a.ID, b.ID) })
}

func (p Pool) clone() Pool {
	p.ProfileIDs = slices.Clone(p.ProfileIDs)
	return p
}

// Pool returns one pool.
func (e *Engine) Pool(id string) (Pool, error) {
	e.lock()
	defer e.mu.Unlock()
	p, err := e.pool(id)
	if err != nil {
		return Pool{}, err
	}
	return p.clone(), nil
}

func (e *Engine) pool(id string) (*Pool, error) {
	for _, p := range e.pools {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, notFound("agent profile pool", id)
}

// CreatePool adds a pool; its name must be 1–255 characters and new in the
// organization.
func (e *Engine) CreatePool(in PoolInput) (Pool, error) {
	e.lock()
	defer e.mu.Unlock()
	if in.OrganizationID == "" {
		in.OrganizationID = e.org.ID
	}
	if err := e.checkOrg(in.OrganizationID); err != nil {
		return Pool{}, err
	}
	if in.SelectionStrategy == "" {
		in.SelectionStrategy = LeastRecentlyUsed
	}
	p := &Pool{ID: e.id(), OrganizationID: in.OrganizationID, CreatedAt: e.now, UpdatedAt: e.now}
	if err := e.applyPool(p, PoolUpdate{Name: &in.Name, AllowConcurrentUse: &in.AllowConcurrentUse, SelectionStrategy: &in.SelectionStrategy}); err != nil {
		return Pool{}, err
	}
	e.pools = append(e.pools, p)
	return p.clone(), nil
}

// UpdatePool changes a pool.
func (e *Engine) UpdatePool(id string, up PoolUpdate) (Pool, error) {
	e.lock()
	defer e.mu.Unlock()
	p, err := e.pool(id)
	if err != nil {
		return Pool{}, err
	}
	next := p.clone()
	if err := e.applyPool(&next, up); err != nil {
		return Pool{}, err
	}
	next.UpdatedAt = e.now
	*p = next
	return p.clone(), nil
}

func (e *Engine) applyPool(p *Pool, up PoolUpdate) error {
	if up.Name != nil {
		name := strings.TrimSpace(*up.Name)
		if name == "" || len(name) > 255 {
			return invalid("name must be 1 to 255 characters")
		}
		if slices.ContainsFunc(e.pools, func(o *Pool) bool {
			return o.ID != p.ID && o.OrganizationID == p.OrganizationID && strings.EqualFold(o.Name, name)
		}) {
			return invalid("a pool named %q already exists", name)
		}
		p.Name = name
	}
	if s := up.SelectionStrategy; s != nil {
		if *s != LeastRecentlyUsed && *s != MostRecentlyUsed {
			return invalid("selectionStrategy must be %s or %s", LeastRecentlyUsed, MostRecentlyUsed)
		}
		p.SelectionStrategy = *s
	}
	if up.AllowConcurrentUse != nil {
		p.AllowConcurrentUse = *up.AllowConcurrentUse
	}
	return nil
}

// fromPool picks the profile an execution draws from a pool, by the pool's
// strategy (least or most recently used; ties go to the pool's order).
func (e *Engine) fromPool(id string) (*Profile, error) {
	p, err := e.pool(id)
	if err != nil {
		return nil, invalid("agent profile pool %s not found", id)
	}
	var best *Profile
	for _, pid := range p.ProfileIDs {
		prof, err := e.profile(pid)
		if err != nil {
			continue
		}
		if best == nil {
			best = prof
			continue
		}
		c := cmp.Compare(e.used[prof.ID], e.used[best.ID])
		if c < 0 && p.SelectionStrategy == LeastRecentlyUsed || c > 0 && p.SelectionStrategy == MostRecentlyUsed {
			best = prof
		}
	}
	if best == nil {
		return nil, invalid("agent profile pool %q has no profiles", p.Name)
	}
	return best, nil
}
