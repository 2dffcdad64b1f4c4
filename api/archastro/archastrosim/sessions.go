package archastrosim

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
	"github.com/agentop/agentop/api/sim"
)

// sessionWord is the platform's word for an engine status. An agent
// awaiting a confirmation waits for a message too (one resumes it); the
// platform has no operator pause.
func sessionWord(s api.Status) string {
	switch s {
	case api.StatusStarting:
		return wire.SessionPending
	case api.StatusPausedByAgent, api.StatusAwaitingConfirmation, api.StatusPaused:
		return wire.SessionWaiting
	}
	return string(s)
}

// session renders an engine execution as a session, with its inbox.
func (h *handler) session(x sim.Execution, acts []sim.Activity) wire.Session {
	s := wire.Session{
		ID: pSession + x.ID, Agent: wire.Ref(pAgent + x.AgentID), Status: sessionWord(x.Status),
		IsSystemSession: x.Trigger == sim.TriggerSchedule, MaxTurns: 100,
		CreatedAt: wire.At(x.CreatedAt), UpdatedAt: wire.At(x.UpdatedAt), CompletedAt: wire.At(x.TerminalAt),
		Instructions: "Run " + x.AgentName + " as configured.",
	}
	if len(x.Metadata) > 0 {
		s.Metadata = map[string]any{}
		for k, v := range x.Metadata {
			s.Metadata[k] = v
		}
	}
	h.mu.Lock()
	c, ok := h.created[x.ID]
	h.mu.Unlock()
	if ok {
		s.Name, s.Instructions, s.Metadata = c.name, c.instructions, maps.Clone(c.metadata)
	}
	if s.IsSystemSession {
		s.RoutineRun = pRun + x.ID
		if s.Name == "" {
			s.Name = "Scheduled: " + x.AgentName
		}
	}
	if x.Status != api.StatusStarting {
		s.Trajectory = pTraj + x.ID
	}
	if x.Status == api.StatusFailed {
		s.Error = x.StatusReason
	}
	if x.Result != nil && x.Status == api.StatusCompleted {
		var data map[string]any
		if json.Unmarshal(x.Result.Data, &data) != nil || data == nil {
			data = map[string]any{}
		}
		data["outcome"], data["summary"] = x.Result.Outcome, x.Result.Reasoning
		s.Result = data
	}
	for _, a := range acts {
		switch {
		case a.Kind == api.KindStatusChanged && a.Change.Status == api.StatusRunning && s.StartedAt.IsZero():
			s.StartedAt = wire.At(a.Time)
		case a.Kind == api.KindUserMessage:
			s.Inbox = append(s.Inbox, wire.InboxEntry{ID: pMsg + a.ID, Role: "user", Content: a.Message,
				SenderID: pUser + a.UserID, SenderType: "user", SentAt: wire.At(a.Time)})
		}
	}
	return s
}

// sessionByID finds a session, or answers 404.
func (h *handler) sessionByID(w http.ResponseWriter, id string) (sim.Execution, []sim.Activity, bool) {
	eid := engineID(id, pSession)
	if eid == "" {
		nested(w, http.StatusNotFound, "not_found", "agent session "+id+" not found", nil)
		return sim.Execution{}, nil, false
	}
	x, err := h.e.Execution(eid)
	if err != nil {
		nested(w, http.StatusNotFound, "not_found", "agent session "+id+" not found", nil)
		return sim.Execution{}, nil, false
	}
	acts, _ := h.e.Activities(eid, api.ActivityQuery{})
	return x, acts, true
}

// listSessions: agent[], status[], routine_run[], exclude_system, limit
// (default 25, at most 100), newest first; no cursor, no total.
func (h *handler) listSessions(w http.ResponseWriter, r *http.Request) {
	n, ok := limit(w, r, wire.DefaultSessionLimit)
	if !ok {
		return
	}
	statuses := arrayParam(r, "status")
	for _, s := range statuses {
		if !slices.Contains(wire.SessionStatuses, s) {
			invalid(w, "status", fmt.Sprintf("must be one of %s", strings.Join(wire.SessionStatuses, ", ")))
			return
		}
	}
	agents, runs := arrayParam(r, "agent"), arrayParam(r, "routine_run")
	excludeSystem := r.URL.Query().Get("exclude_system") == "true"
	out := []wire.Session{}
	for _, x := range h.allExecutions() {
		switch {
		case len(agents) > 0 && !slices.Contains(agents, pAgent+x.AgentID),
			len(statuses) > 0 && !slices.Contains(statuses, sessionWord(x.Status)),
			excludeSystem && x.Trigger == sim.TriggerSchedule,
			len(runs) > 0 && (x.Trigger != sim.TriggerSchedule || !slices.Contains(runs, pRun+x.ID)):
			continue
		}
		acts, _ := h.e.Activities(x.ID, api.ActivityQuery{})
		out = append(out, h.session(x, acts))
		if len(out) == n {
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

func (h *handler) getSession(w http.ResponseWriter, r *http.Request) {
	if x, acts, ok := h.sessionByID(w, r.PathValue("id")); ok {
		writeJSON(w, http.StatusOK, h.session(x, acts))
	}
}

// createSession: {agent (required), instructions (required), name?,
// metadata?, …} → 201, pending.
func (h *handler) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Agent        string         `json:"agent"`
		Instructions string         `json:"instructions"`
		Name         string         `json:"name"`
		Metadata     map[string]any `json:"metadata"`
		StartIdle    bool           `json:"start_idle"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		nested(w, http.StatusBadRequest, "invalid_json", "the body is not a JSON object", nil)
		return
	}
	var fields []wire.FieldError
	if strings.TrimSpace(in.Agent) == "" {
		fields = append(fields, wire.FieldError{Field: "agent", Message: "can't be blank"})
	}
	if strings.TrimSpace(in.Instructions) == "" {
		fields = append(fields, wire.FieldError{Field: "instructions", Message: "can't be blank"})
	}
	if len(fields) > 0 {
		nested(w, http.StatusUnprocessableEntity, "validation_error", "Invalid session", fields)
		return
	}
	if in.StartIdle {
		nested(w, http.StatusUnprocessableEntity, "not_supported", "start_idle sessions are not simulated", nil)
		return
	}
	meta := map[string]string{"source": "api"}
	for k, v := range in.Metadata {
		if s, ok := v.(string); ok {
			meta[k] = s
		} else {
			b, _ := json.Marshal(v)
			meta[k] = string(b)
		}
	}
	aid := engineID(in.Agent, pAgent)
	if aid == "" {
		nested(w, http.StatusNotFound, "not_found", "agent "+in.Agent+" not found", nil)
		return
	}
	x, err := h.e.Execute(aid, sim.ExecuteRequest{Metadata: meta})
	if err != nil {
		engineError(w, err)
		return
	}
	h.mu.Lock()
	h.created[x.ID] = created{name: in.Name, instructions: in.Instructions, metadata: in.Metadata}
	h.mu.Unlock()
	writeJSON(w, http.StatusCreated, h.session(x, nil))
}

// cancelSession cancels; on an ended session it returns it unchanged.
func (h *handler) cancelSession(w http.ResponseWriter, r *http.Request) {
	x, _, ok := h.sessionByID(w, r.PathValue("id"))
	if !ok {
		return
	}
	if !x.Status.IsTerminal() {
		if err := h.e.SetStatus(x.ID, api.StatusCancelled); err != nil && !isTerminalNow(h, x.ID) {
			engineError(w, err)
			return
		}
	}
	h.getSession(w, r)
}

func isTerminalNow(h *handler, id string) bool {
	x, err := h.e.Execution(id)
	return err == nil && x.Status.IsTerminal()
}

// messageSession appends {content, role} to the inbox; a waiting session
// resumes with it (one awaiting a confirmation takes it as the approval).
func (h *handler) messageSession(w http.ResponseWriter, r *http.Request) {
	var in wire.Message
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		nested(w, http.StatusBadRequest, "invalid_json", "the body is not a JSON object", nil)
		return
	}
	if strings.TrimSpace(in.Content) == "" {
		nested(w, http.StatusUnprocessableEntity, "validation_error", "Invalid message", []wire.FieldError{{Field: "content", Message: "can't be blank"}})
		return
	}
	if in.Role != "" && in.Role != "user" && in.Role != "system" {
		nested(w, http.StatusUnprocessableEntity, "validation_error", "Invalid message", []wire.FieldError{{Field: "role", Message: "must be user or system"}})
		return
	}
	x, _, ok := h.sessionByID(w, r.PathValue("id"))
	if !ok {
		return
	}
	if err := h.e.SendMessage(x.ID, in.Content); err != nil {
		engineError(w, err)
		return
	}
	if x.Status == api.StatusAwaitingConfirmation {
		_ = h.e.SetStatus(x.ID, api.StatusRunning)
	}
	h.getSession(w, r)
}

// deleteSession: only ended sessions can be deleted (422 otherwise); the
// simulator keeps them, as its history is bounded anyway.
func (h *handler) deleteSession(w http.ResponseWriter, r *http.Request) {
	x, _, ok := h.sessionByID(w, r.PathValue("id"))
	if !ok {
		return
	}
	if !x.Status.IsTerminal() {
		nested(w, http.StatusUnprocessableEntity, "invalid_state", "only a completed, failed or cancelled session can be deleted", nil)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// streamSession sends session_update events: the current state at once,
// then each change, and closes when the session ends.
func (h *handler) streamSession(w http.ResponseWriter, r *http.Request) {
	x, acts, ok := h.sessionByID(w, r.PathValue("id"))
	if !ok {
		return
	}
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(s wire.Session) bool {
		b, _ := json.Marshal(s)
		if _, err := fmt.Fprintf(w, "event: session_update\ndata: %s\n\n", b); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}
	last := h.session(x, acts)
	if !send(last) {
		return
	}
	tick := time.NewTicker(h.streamPoll)
	defer tick.Stop()
	idle := 0
	for !x.Status.IsTerminal() {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		var err error
		if x, err = h.e.Execution(x.ID); err != nil {
			return
		}
		acts, _ = h.e.Activities(x.ID, api.ActivityQuery{})
		s := h.session(x, acts)
		if s.Status != last.Status || len(s.Inbox) != len(last.Inbox) || !s.UpdatedAt.Equal(last.UpdatedAt.Time) {
			if !send(s) {
				return
			}
			last, idle = s, 0
		} else if idle++; time.Duration(idle)*h.streamPoll >= 15*time.Second {
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
			idle = 0
		}
	}
}
