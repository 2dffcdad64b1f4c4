package moderatelysim

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// agentJSON is the spec's Agent, with its run counts over the retained
// executions.
func (h *handler) agentJSON(a sim.Agent) map[string]any {
	all, _ := h.e.Executions(api.ExecutionQuery{AgentID: a.ID, PageSize: 1})
	ok, _ := h.e.Executions(api.ExecutionQuery{AgentID: a.ID, Statuses: []api.Status{api.StatusCompleted}, Outcome: "success", PageSize: 1})
	var last any
	if len(all.Items) > 0 {
		last = ts(all.Items[0].CreatedAt)
	}
	rate := 0.0
	if all.Total > 0 {
		rate = float64(ok.Total) / float64(all.Total)
	}
	return map[string]any{"agentId": a.ID, "teamId": h.team, "name": a.Name, "description": a.Description,
		"createdAt": ts(a.CreatedAt), "updatedAt": ts(a.CreatedAt), "lastRunAt": last,
		"totalRuns": all.Total, "successfulRuns": ok.Total, "successRate": rate}
}

// listAgents serves GET /agents: nameLike, agentIds, paging and order in
// either spelling.
func (h *handler) listAgents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, size, err := paging(q, 10, 100)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	dir, err := direction(q, api.SortAsc)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	like := strings.ToLower(strings.Trim(first(q, "nameLike", "name_like"), "%"))
	ids := list(q, "agentIds", "agent_ids")
	var items []sim.Agent
	for _, a := range h.agents {
		if !h.pipeline[a.ID] && strings.Contains(strings.ToLower(a.Name), like) && (len(ids) == 0 || slices.Contains(ids, a.ID)) {
			items = append(items, a)
		}
	}
	var by func(a, b sim.Agent) int
	switch first(q, "orderBy", "order_by") {
	case "", "name":
		by = func(a, b sim.Agent) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) }
	case "createdAt", "created_at", "updatedAt", "updated_at":
		by = func(a, b sim.Agent) int { return a.CreatedAt.Compare(b.CreatedAt) }
	default:
		writeError(w, r, http.StatusBadRequest, "orderBy must be name, createdAt or updatedAt")
		return
	}
	slices.SortStableFunc(items, func(a, b sim.Agent) int {
		if dir == api.SortDesc {
			return by(b, a)
		}
		return by(a, b)
	})
	lo := min((page-1)*size, len(items))
	hi := min(lo+size, len(items))
	out := make([]map[string]any, 0, hi-lo)
	for _, a := range items[lo:hi] {
		out = append(out, h.agentJSON(a))
	}
	writeJSON(w, http.StatusOK, pageOf(out, page, size, len(items)))
}

func (h *handler) getAgent(w http.ResponseWriter, r *http.Request) {
	a, ok := h.agent(r.PathValue("id"))
	if !ok {
		writeError(w, r, http.StatusNotFound, "Agent not found.")
		return
	}
	writeJSON(w, http.StatusOK, h.agentJSON(a))
}

// versionJSON is the spec's AgentConfigurationVersion.
func versionJSON(a sim.Agent, n int) map[string]any {
	at := a.CreatedAt.Add(time.Duration(n-1) * 72 * time.Hour)
	llm := func(tier string) map[string]any {
		return map[string]any{"provider": "anthropic", "model_tier": tier, "enable_reasoning": tier == "large"}
	}
	return map[string]any{
		"agentConfigurationVersionId": versionID(a, n), "agentId": a.ID, "versionNumber": n, "isCurrent": n == a.Version,
		"instructions": a.Description, "systemPrompt": nil,
		"inputSchema": map[string]any{"type": "object"}, "outputSchema": map[string]any{"type": "object"},
		"llmConfig":       map[string]any{"thought_llm": llm("large"), "fact_extraction_llm": llm("small"), "planner_llm": llm("medium")},
		"toolConfig":      []any{map[string]any{"type": "BrowserTool", "config": map[string]any{}}},
		"executionConfig": map[string]any{"max_actions": 50, "planning_interval": 5, "feedback_rounds": 1, "timeout_minutes": 30},
		"createdAt":       ts(at), "updatedAt": ts(at),
	}
}

// listVersions serves GET /agent-configuration-versions: a bare array,
// filtered by agentIds, agentConfigurationVersionIds, versionNumbers and
// isCurrent.
func (h *handler) listVersions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	agents := list(q, "agentIds", "agent_ids", "agent_id")
	ids := list(q, "agentConfigurationVersionIds", "agent_configuration_version_ids")
	var numbers []int
	for _, v := range list(q, "versionNumbers", "version_numbers") {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "versionNumbers must be integers")
			return
		}
		numbers = append(numbers, n)
	}
	current := strings.ToLower(first(q, "isCurrent", "is_current"))
	out := []map[string]any{}
	for _, a := range h.agents {
		if h.pipeline[a.ID] || (len(agents) > 0 && !slices.Contains(agents, a.ID)) {
			continue
		}
		for n := a.Version; n >= 1; n-- {
			switch {
			case len(ids) > 0 && !slices.Contains(ids, versionID(a, n)),
				len(numbers) > 0 && !slices.Contains(numbers, n),
				current == "true" && n != a.Version,
				current == "false" && n == a.Version:
				continue
			}
			out = append(out, versionJSON(a, n))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handler) getVersion(w http.ResponseWriter, r *http.Request) {
	ref, ok := h.versions[r.PathValue("id")]
	if !ok || h.pipeline[ref.agent.ID] {
		writeError(w, r, http.StatusNotFound, "Agent configuration version not found.")
		return
	}
	writeJSON(w, http.StatusOK, versionJSON(ref.agent, ref.number))
}

func (h *handler) whoami(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"userId": h.e.User().ID})
}

func (h *handler) getTeam(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != h.team {
		writeError(w, r, http.StatusNotFound, "Team not found.")
		return
	}
	org := h.e.Organization()
	writeJSON(w, http.StatusOK, map[string]any{"teamId": h.team, "name": org.Name, "createdAt": nil, "updatedAt": nil})
}

func (h *handler) getUser(w http.ResponseWriter, r *http.Request) {
	u := h.e.User()
	if r.PathValue("id") != u.ID {
		writeError(w, r, http.StatusNotFound, "User not found.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"userId": u.ID, "email": u.Email, "fullName": "Harborlight Operations", "nickname": "ops"})
}
