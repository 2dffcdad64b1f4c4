package archastrosim

import (
	"net/http"
	"strconv"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
	"github.com/agentop/agentop/api/sim"
)

func agentOf(a sim.Agent) wire.Agent {
	return wire.Agent{ID: pAgent + a.ID, Name: a.Name, Description: a.Description, LookupKey: lookupKey(a.Name),
		DefaultModel: "gpt-5", Org: pOrg + a.OrganizationID, App: "dap_sim", CreatedAt: wire.At(a.CreatedAt), UpdatedAt: wire.At(a.CreatedAt)}
}

// listAgents serves /agents: page, page_size (default 20, at most 100),
// search; with totals.
func (h *handler) listAgents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	num := func(name string, def int) (int, bool) {
		s := q.Get(name)
		if s == "" {
			return def, true
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			invalid(w, name, "must be a positive integer")
			return 0, false
		}
		return n, true
	}
	pg, ok := num("page", 1)
	if !ok {
		return
	}
	size, ok := num("page_size", 20)
	if !ok {
		return
	}
	size = min(size, wire.MaxLimit)
	p, err := h.e.Agents(api.AgentQuery{Page: pg, PageSize: size, Search: q.Get("search"), SortField: "name", SortDirection: api.SortAsc})
	if err != nil {
		engineError(w, err)
		return
	}
	data := make([]wire.Agent, 0, len(p.Items))
	for _, a := range p.Items {
		data = append(data, agentOf(a))
	}
	pages := (p.Total + size - 1) / size
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "page": pg, "page_size": size, "total_entries": p.Total,
		"total_pages": pages, "has_next": pg < pages, "has_prev": pg > 1})
}

func (h *handler) agentByID(w http.ResponseWriter, id string) (sim.Agent, bool) {
	if eid := engineID(id, pAgent); eid != "" {
		p, err := h.e.Agents(api.AgentQuery{PageSize: sim.MaxPageSize})
		if err == nil {
			for _, a := range p.Items {
				if a.ID == eid {
					return a, true
				}
			}
		}
	}
	nested(w, http.StatusNotFound, "not_found", "agent "+id+" not found", nil)
	return sim.Agent{}, false
}

func (h *handler) getAgent(w http.ResponseWriter, r *http.Request) {
	if a, ok := h.agentByID(w, r.PathValue("id")); ok {
		writeJSON(w, http.StatusOK, agentOf(a))
	}
}

// health scores an agent by its ten latest ended sessions.
func (h *handler) health(w http.ResponseWriter, r *http.Request) {
	a, ok := h.agentByID(w, r.PathValue("id"))
	if !ok {
		return
	}
	ended, failed := 0, 0
	for _, x := range h.allExecutions() {
		if x.AgentID == a.ID && x.Status.IsTerminal() && ended < 10 {
			ended++
			if x.Status == api.StatusFailed {
				failed++
			}
		}
	}
	score := 1.0
	if ended > 0 {
		score = 1 - float64(failed)/float64(ended)
	}
	status := "ok"
	switch {
	case score < 0.5:
		status = "critical"
	case score < 0.8:
		status = "warning"
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": status, "score": score,
		"checks": []map[string]any{{"name": "recent_failures", "status": status, "failed": failed, "ended": ended}}})
}

// me serves /users/me: the simulated user, org and app.
func (h *handler) me(w http.ResponseWriter, _ *http.Request) {
	u, o := h.e.User(), h.e.Organization()
	writeJSON(w, http.StatusOK, wire.Me{ID: pUser + u.ID, Email: u.Email, Name: "Operations", App: "dap_sim", AppName: "agentop simulator",
		Org: pOrg + o.ID, OrgName: o.Name})
}
