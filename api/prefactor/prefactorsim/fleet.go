package prefactorsim

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// executions returns the engine's executions (of one agent when agentID is
// set), paging through the engine.
func (h *handler) executions(agentID string, statuses ...api.Status) []sim.Execution {
	var out []sim.Execution
	for page := 1; ; page++ {
		p, err := h.e.Executions(api.ExecutionQuery{AgentID: agentID, Statuses: statuses, Page: page, PageSize: sim.MaxPageSize})
		if err != nil {
			return out
		}
		out = append(out, p.Items...)
		if !p.HasMore() {
			return out
		}
	}
}

// resolveApprovals approves "in Slack" every wait that has been open for
// longer than the handler's delay.
func (h *handler) resolveApprovals() {
	if h.after <= 0 {
		return
	}
	now := h.e.Now()
	for _, x := range h.executions("", api.StatusPausedByAgent, api.StatusAwaitingConfirmation) {
		if now.Sub(x.UpdatedAt) < h.after {
			continue
		}
		var err error
		if x.Status == api.StatusAwaitingConfirmation {
			err = h.e.SetStatus(x.ID, api.StatusRunning)
		} else {
			err = h.e.SendMessage(x.ID, "Approved in Slack by @ops-lead")
		}
		if err == nil {
			h.mu.Lock()
			h.approved[x.ID] = true
			h.mu.Unlock()
		}
	}
}

func (h *handler) agents() []agentOut {
	counts := map[string]map[string]int{}
	for _, x := range h.executions("") {
		c := counts[x.AgentID]
		if c == nil {
			c = map[string]int{"total": 0, "pending": 0, "active": 0, "complete": 0, "failed": 0, "cancelled": 0, "terminated": 0, "finished": 0}
			counts[x.AgentID] = c
		}
		st := h.statusWord(x)
		c["total"]++
		c[st]++
		if x.Status.IsTerminal() {
			c["finished"]++
		}
	}
	var out []agentOut
	for page := 1; ; page++ {
		p, err := h.e.Agents(api.AgentQuery{Page: page, PageSize: sim.MaxPageSize})
		if err != nil {
			break
		}
		for _, a := range p.Items {
			c := counts[a.ID]
			if c == nil {
				c = map[string]int{"total": 0, "pending": 0, "active": 0}
			}
			status := "dormant"
			if c["active"]+c["pending"] > 0 {
				status = "active"
			}
			out = append(out, agentOut{Type: "agent", ID: a.ID, Name: a.Name, Description: a.Description,
				ExternalIdentifier: strings.ToLower(strings.ReplaceAll(a.Name, " ", "-")), Status: status,
				AccountID: h.accountID, InstanceCounts: c, InsertedAt: stamp(a.CreatedAt), UpdatedAt: stamp(a.CreatedAt)})
		}
		if !p.HasMore() {
			break
		}
	}
	return append(out, h.written.agents(h.accountID)...)
}

// statusWord is an engine execution's Prefactor status.
func (h *handler) statusWord(x sim.Execution) string {
	switch x.Status {
	case api.StatusStarting:
		return "pending"
	case api.StatusCompleted:
		return "complete"
	case api.StatusFailed:
		return "failed"
	case api.StatusCancelled:
		h.mu.Lock()
		_, terminated := h.reasons[x.ID]
		h.mu.Unlock()
		if terminated {
			return "terminated"
		}
		return "cancelled"
	}
	return "active"
}

func (h *handler) instanceOf(x sim.Execution) instanceOut {
	word := h.statusWord(x)
	in := instanceOut{
		Type: "agent_instance", ID: instanceID(x.CreatedAt, x.ID), AccountID: h.accountID, AgentID: x.AgentID,
		AgentVersionID: "ver_" + x.AgentID[:8], EnvironmentID: "env_01production", AgentDeploymentID: "dep_" + x.AgentID,
		Status: word, Purpose: "live", InsertedAt: stamp(x.CreatedAt), UpdatedAt: stamp(cmp.Or(x.UpdatedAt, x.CreatedAt)),
		FinishedAt: stampPtr(x.TerminalAt),
	}
	if word != "pending" {
		in.StartedAt = stampPtr(x.CreatedAt)
	}
	if word == "terminated" {
		h.mu.Lock()
		in.TerminationReason = strPtr(h.reasons[x.ID])
		h.mu.Unlock()
	}
	return in
}

// instance finds an instance by id, engine-played or written.
func (h *handler) instance(id string) (instanceOut, bool) {
	if in, ok := h.written.instance(id); ok {
		return in, true
	}
	eid, ok := engineID(id)
	if !ok {
		return instanceOut{}, false
	}
	x, err := h.e.Execution(eid)
	if err != nil {
		return instanceOut{}, false
	}
	in := h.instanceOf(x)
	in.SpanCounts = spanCounts(h.spansOf(x))
	return in, true
}

func spanCounts(spans []spanOut) map[string]int {
	c := map[string]int{"total": len(spans), "pending": 0, "active": 0, "complete": 0, "failed": 0, "cancelled": 0, "finished": 0}
	for _, s := range spans {
		c[s.Status]++
		if s.Status != "active" && s.Status != "pending" {
			c["finished"]++
		}
	}
	return c
}

// --- handlers ---------------------------------------------------------------

func (h *handler) listAgents(w http.ResponseWriter, r *http.Request) {
	p, err := pagingOf(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	writePage(w, p, h.agents(), func(a agentOut) string { return a.ID })
}

func (h *handler) getAgent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	for _, a := range h.agents() {
		if a.ID == id {
			writeDetails(w, a)
			return
		}
	}
	writeError(w, http.StatusNotFound, "not_found", "no such agent")
}

func (h *handler) listInstances(w http.ResponseWriter, r *http.Request) {
	p, err := pagingOf(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	agent := strings.TrimSpace(r.URL.Query().Get("agent_id"))
	if agent == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"status": "error", "code": "invalid",
			"message": "agent_id is required", "errors": map[string][]string{"agent_id": {"can't be blank"}}})
		return
	}
	var items []instanceOut
	for _, x := range h.executions(agent) {
		items = append(items, h.instanceOf(x))
	}
	items = append(items, h.written.instances(agent)...)
	writePage(w, p, items, func(in instanceOut) string { return in.ID })
}

func (h *handler) getInstance(w http.ResponseWriter, r *http.Request) {
	in, ok := h.instance(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such agent instance")
		return
	}
	writeDetails(w, in)
}

func (h *handler) terminate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
	}
	if !readBody(w, r, &body) {
		return
	}
	id := r.PathValue("id")
	reason := strings.TrimSpace(body.Reason)
	if reason == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"status": "error", "code": "invalid",
			"message": "a reason is required", "errors": map[string][]string{"reason": {"can't be blank"}}})
		return
	}
	if in, ok, err := h.written.terminate(id, reason, h.e.Now()); ok {
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
			return
		}
		writeDetails(w, in)
		return
	}
	eid, ok := engineID(id)
	x, err := h.e.Execution(eid)
	if !ok || err != nil {
		writeError(w, http.StatusNotFound, "not_found", "no such agent instance")
		return
	}
	if x.Status.IsTerminal() {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "only active agent instances can be terminated; this one is "+h.statusWord(x))
		return
	}
	h.mu.Lock()
	h.reasons[eid] = reason
	h.mu.Unlock()
	if err := h.e.SetStatus(eid, api.StatusCancelled); err != nil {
		h.mu.Lock()
		delete(h.reasons, eid)
		h.mu.Unlock()
		writeEngineError(w, err)
		return
	}
	x, _ = h.e.Execution(eid)
	writeDetails(w, h.instanceOf(x))
}

// listSpans serves GET /agent_spans by instance (the CLI's form, with an
// optional time window) or by agent (the dashboard's form: the spans of the
// agent's open instances and of its ten newest others).
func (h *handler) listSpans(w http.ResponseWriter, r *http.Request) {
	p, err := pagingOf(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	q := r.URL.Query()
	from, to, err := window(q.Get("start_time"), q.Get("end_time"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	var spans []spanOut
	switch inst, agent := q.Get("agent_instance_id"), q.Get("agent_id"); {
	case inst != "":
		if ws, ok := h.written.spansOf(inst); ok {
			spans = ws
		} else if eid, ok := engineID(inst); ok {
			if x, err := h.e.Execution(eid); err == nil {
				spans = h.spansOf(x)
			}
		}
	case agent != "":
		xs := h.executions(agent)
		slices.SortFunc(xs, func(a, b sim.Execution) int { return b.CreatedAt.Compare(a.CreatedAt) })
		others := 0
		for _, x := range xs {
			if x.Status.IsTerminal() {
				if others++; others > 10 {
					continue
				}
			}
			spans = append(spans, h.spansOf(x)...)
		}
		spans = append(spans, h.written.spansOfAgent(agent)...)
	default:
		writeError(w, http.StatusUnprocessableEntity, "invalid", "agent_instance_id or agent_id is required")
		return
	}
	summaries := q.Get("include_summaries") == "true"
	kept := spans[:0]
	for _, s := range spans {
		t, _ := time.Parse(time.RFC3339Nano, s.StartedAt)
		if (!from.IsZero() && t.Before(from)) || (!to.IsZero() && t.After(to)) {
			continue
		}
		if !summaries {
			s.Summary = nil
		}
		kept = append(kept, s)
	}
	writePage(w, p, kept, func(s spanOut) string { return s.ID })
}

func window(start, end string) (time.Time, time.Time, error) {
	var from, to time.Time
	var err error
	if start != "" {
		if from, err = time.Parse(time.RFC3339Nano, start); err != nil {
			return from, to, err
		}
	}
	if end != "" {
		if to, err = time.Parse(time.RFC3339Nano, end); err != nil {
			return from, to, err
		}
	}
	return from, to, nil
}
