package sim

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// Paging limits of every listing.
const (
	DefaultPageSize = 10
	MaxPageSize     = 100
)

// sortKey compares two items by one field.
type sortKey[T any] func(a, b T) int

// listing sorts items by the chosen field (default field: the first key;
// default direction: descending), then pages them.
func listing[T any](items []T, keys map[string]sortKey[T], field string, dir api.SortDirection, page, size int, tie sortKey[T]) (api.Page[T], error) {
	if field == "" {
		field = "created_at"
	}
	key, ok := keys[field]
	if !ok {
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		slices.Sort(names)
		return api.Page[T]{}, invalid("sortField must be one of %s", strings.Join(names, ", "))
	}
	desc := true
	switch dir {
	case "", api.SortDesc:
	case api.SortAsc:
		desc = false
	default:
		return api.Page[T]{}, invalid("sortDirection must be asc or desc")
	}
	slices.SortStableFunc(items, func(a, b T) int {
		c := key(a, b)
		if c == 0 {
			c = tie(a, b)
		}
		if desc {
			return -c
		}
		return c
	})
	return paginate(items, page, size, DefaultPageSize)
}

// paginate cuts one page out of items. page is 1-based (0 means 1); size 0
// means def and is capped at MaxPageSize.
func paginate[T any](items []T, page, size, def int) (api.Page[T], error) {
	if page < 0 || size < 0 {
		return api.Page[T]{}, invalid("page and pageSize must be positive")
	}
	page = max(page, 1)
	if size == 0 {
		size = def
	}
	size = min(size, MaxPageSize)
	lo := min((page-1)*size, len(items))
	hi := min(lo+size, len(items))
	return api.Page[T]{Items: items[lo:hi:hi], Page: page, PageSize: size, Total: len(items)}, nil
}

func byTime(a, b time.Time) int { return a.Compare(b) }

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// Agents lists agents: search is a partial, case-insensitive match on the
// name; sort by name or created_at (default created_at, newest first).
func (e *Engine) Agents(q api.AgentQuery) (api.Page[Agent], error) {
	e.lock()
	defer e.mu.Unlock()
	if err := e.checkOrg(q.OrganizationID); err != nil {
		return api.Page[Agent]{}, err
	}
	var items []Agent
	for _, a := range e.agents {
		if containsFold(a.Name, q.Search) {
			items = append(items, a.Agent)
		}
	}
	return listing(items, map[string]sortKey[Agent]{
		"name":       func(a, b Agent) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) },
		"created_at": func(a, b Agent) int { return byTime(a.CreatedAt, b.CreatedAt) },
	}, q.SortField, q.SortDirection, q.Page, q.PageSize, func(a, b Agent) int { return cmp.Compare(a.ID, b.ID) })
}

// Executions lists executions with every filter of the platform's list
// call; sort by created_at or status (default created_at, newest first).
func (e *Engine) Executions(q api.ExecutionQuery) (api.Page[Execution], error) {
	return e.Select(q, nil)
}

// matches applies an execution query's filters.
func matches(x *Execution, q api.ExecutionQuery) bool {
	outcome := ""
	if x.Result != nil {
		outcome = x.Result.Outcome
	}
	switch {
	case q.ExecutionID != "" && !containsFold(x.ID, q.ExecutionID),
		q.AgentID != "" && x.AgentID != q.AgentID,
		len(q.Statuses) > 0 && !slices.Contains(q.Statuses, x.Status),
		q.AgentVersion != 0 && x.AgentVersion != q.AgentVersion,
		!q.CreatedAfter.IsZero() && !x.CreatedAt.After(q.CreatedAfter),
		!q.CreatedBefore.IsZero() && !x.CreatedAt.Before(q.CreatedBefore),
		q.Outcome != "" && (x.Result == nil || !containsFold(outcome, q.Outcome)),
		q.MetadataKey != "" && x.Metadata[q.MetadataKey] != q.MetadataValue:
		return false
	}
	if len(q.LabelIDs) > 0 {
		return slices.ContainsFunc(x.Labels, func(l Label) bool { return slices.Contains(q.LabelIDs, l.ID) })
	}
	return true
}

// Execution returns one execution.
func (e *Engine) Execution(id string) (Execution, error) {
	e.lock()
	defer e.mu.Unlock()
	r, err := e.run(id)
	if err != nil {
		return Execution{}, err
	}
	return r.x.clone(), nil
}

// Activities returns an execution's feed: oldest first by default (or with
// SortAsc), newest first with SortDesc; Limit keeps the first n of that order.
func (e *Engine) Activities(id string, q api.ActivityQuery) ([]Activity, error) {
	if q.Order != "" && q.Order != api.SortAsc && q.Order != api.SortDesc {
		return nil, invalid("order must be asc or desc")
	}
	if q.Limit < 0 {
		return nil, invalid("limit must be positive")
	}
	e.lock()
	defer e.mu.Unlock()
	r, err := e.run(id)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(e.feed(r))
	if q.Order == api.SortDesc {
		slices.Reverse(out)
	}
	if q.Limit > 0 && q.Limit < len(out) {
		out = out[:q.Limit]
	}
	return out, nil
}
