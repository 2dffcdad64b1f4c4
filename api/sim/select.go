package sim

import (
	"cmp"

	"github.com/agentop/agentop/api"
)

// Select is Executions with a further filter of a façade's own (a set of
// agents, a kind of run it derives): keep is asked about each execution
// that matches q, before sorting and paging, so the page and its total
// count only what it keeps. A nil keep keeps all. keep runs under the
// engine's lock: it must not call the engine, change the execution or keep
// the pointer.
func (e *Engine) Select(q api.ExecutionQuery, keep func(*Execution) bool) (api.Page[Execution], error) {
	if (q.MetadataKey == "") != (q.MetadataValue == "") {
		return api.Page[Execution]{}, invalid("metadataKey and metadataValue must be used together")
	}
	for _, s := range q.Statuses {
		if !s.IsKnown() {
			return api.Page[Execution]{}, invalid("unknown status %q", s)
		}
	}
	e.lock()
	defer e.mu.Unlock()
	if err := e.checkOrg(q.OrganizationID); err != nil {
		return api.Page[Execution]{}, err
	}
	// Sort and page pointers; copy only the page (a listing of thousands
	// must not clone them all for each page asked).
	var items []*Execution
	for _, r := range e.order {
		if matches(&r.x, q) && (keep == nil || keep(&r.x)) {
			items = append(items, &r.x)
		}
	}
	page, err := listing(items, map[string]sortKey[*Execution]{
		"created_at": func(a, b *Execution) int { return byTime(a.CreatedAt, b.CreatedAt) },
		"status":     func(a, b *Execution) int { return cmp.Compare(a.Status, b.Status) },
	}, q.SortField, q.SortDirection, q.Page, q.PageSize, func(a, b *Execution) int {
		if c := byTime(a.CreatedAt, b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if err != nil {
		return api.Page[Execution]{}, err
	}
	out := api.Page[Execution]{Items: make([]Execution, len(page.Items)), Page: page.Page, PageSize: page.PageSize, Total: page.Total}
	for i, x := range page.Items {
		out.Items[i] = x.clone()
	}
	return out, nil
}
