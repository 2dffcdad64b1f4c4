package prefactorsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// store keeps what instrumented agents wrote: their agents, instances and
// spans, as @prefactor/core sends them.
type store struct {
	mu        sync.Mutex
	seq       int
	agentList []agentOut
	insts     map[string]*instanceOut
	order     []string           // instance ids, oldest first
	spans     map[string][]int   // instance id → indexes into all
	all       []spanOut          // every written span
	byID      map[string]int     // span id → index
	idem      map[string]string  // idempotency key → id it created
	names     map[string]string  // agent id → name
	control   map[string]control // instance id → killswitch
	maxSpans  int
}

type control struct {
	Terminate bool   `json:"terminate"`
	Reason    string `json:"reason"`
}

func newStore() *store {
	return &store{insts: map[string]*instanceOut{}, spans: map[string][]int{}, byID: map[string]int{},
		idem: map[string]string{}, names: map[string]string{}, control: map[string]control{}, maxSpans: 100_000}
}

// id returns a fresh k-sortable id (32 characters, like a PFID).
func (s *store) id(now time.Time) string {
	s.seq++
	return ts10(now) + "w" + fmt.Sprintf("%021d", s.seq)
}

func (s *store) agents(account string) []agentOut {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]agentOut, 0, len(s.agentList))
	for _, a := range s.agentList {
		a.AccountID = account
		c := map[string]int{"total": 0, "pending": 0, "active": 0, "complete": 0, "failed": 0, "cancelled": 0, "terminated": 0, "finished": 0}
		for _, id := range s.order {
			if in := s.insts[id]; in.AgentID == a.ID {
				c["total"]++
				c[in.Status]++
				if in.FinishedAt != nil {
					c["finished"]++
				}
			}
		}
		a.InstanceCounts = c
		if c["active"]+c["pending"] > 0 {
			a.Status = "active"
		}
		out = append(out, a)
	}
	return out
}

func (s *store) instance(id string) (instanceOut, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.insts[id]
	if !ok {
		return instanceOut{}, false
	}
	out := *in
	var spans []spanOut
	for _, i := range s.spans[id] {
		spans = append(spans, s.all[i])
	}
	out.SpanCounts = spanCounts(spans)
	return out, true
}

func (s *store) instances(agent string) []instanceOut {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []instanceOut
	for _, id := range s.order {
		if in := s.insts[id]; in.AgentID == agent {
			out = append(out, *in)
		}
	}
	return out
}

func (s *store) spansOf(inst string) ([]spanOut, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.insts[inst]; !ok {
		return nil, false
	}
	out := make([]spanOut, 0, len(s.spans[inst]))
	for _, i := range s.spans[inst] {
		out = append(out, s.all[i])
	}
	return out, true
}

func (s *store) spansOfAgent(agent string) []spanOut {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []spanOut
	for _, sp := range s.all {
		if sp.AgentID == agent {
			out = append(out, sp)
		}
	}
	return out
}

func (s *store) terminate(id, reason string, now time.Time) (instanceOut, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.insts[id]
	if !ok {
		return instanceOut{}, false, nil
	}
	if in.Status != "active" && in.Status != "pending" {
		return *in, true, errors.New("only active agent instances can be terminated; this one is " + in.Status)
	}
	in.Status, in.TerminationReason, in.UpdatedAt = "terminated", strPtr(reason), stamp(now)
	in.FinishedAt = stampPtr(now)
	s.control[id] = control{Terminate: true, Reason: reason}
	return *in, true, nil
}

// --- the writes, as @prefactor/core 0.2.9 sends them --------------------------

type registerBody struct {
	AgentID            string          `json:"agent_id"`
	EnvironmentID      string          `json:"environment_id"`
	ID                 string          `json:"id"`
	IdempotencyKey     string          `json:"idempotency_key"`
	Purpose            string          `json:"purpose"`
	AgentSchemaVersion json.RawMessage `json:"agent_schema_version"`
	AgentVersion       struct {
		Name               string `json:"name"`
		ExternalIdentifier string `json:"external_identifier"`
		Description        string `json:"description"`
	} `json:"agent_version"`
}

// register: POST /agent_instance/register (body fields at the top level).
func (h *handler) register(w http.ResponseWriter, r *http.Request) {
	var b registerBody
	if !readBody(w, r, &b) {
		return
	}
	now := h.e.Now()
	s := h.written
	agent := strings.TrimSpace(b.AgentID)
	known := false
	for _, a := range h.agents() {
		if a.ID == agent {
			known = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.idem[b.IdempotencyKey]; ok && b.IdempotencyKey != "" {
		writeDetails(w, *s.insts[id])
		return
	}
	if agent == "" {
		agent = "agent_" + cmpStr(b.AgentVersion.ExternalIdentifier, "ingest")
	}
	if !known && s.names[agent] == "" {
		name := cmpStr(b.AgentVersion.Name, agent)
		s.names[agent] = name
		s.agentList = append(s.agentList, agentOut{Type: "agent", ID: agent, Name: name, Description: b.AgentVersion.Description,
			ExternalIdentifier: b.AgentVersion.ExternalIdentifier, Status: "pending", InsertedAt: stamp(now), UpdatedAt: stamp(now)})
	}
	id := strings.TrimSpace(b.ID)
	if id == "" || s.insts[id] != nil || strings.ContainsAny(id, "/.") {
		id = s.id(now)
	}
	in := &instanceOut{Type: "agent_instance", ID: id, AgentID: agent, AgentVersionID: "ver_" + cmpStr(b.AgentVersion.ExternalIdentifier, "v1"),
		EnvironmentID: cmpStr(b.EnvironmentID, "env_01production"), AgentDeploymentID: "dep_" + agent, Status: "pending",
		Purpose: cmpStr(b.Purpose, "live"), InsertedAt: stamp(now), UpdatedAt: stamp(now)}
	s.insts[id] = in
	s.order = append(s.order, id)
	if b.IdempotencyKey != "" {
		s.idem[b.IdempotencyKey] = id
	}
	writeDetails(w, *in)
}

type lifecycleBody struct {
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
}

func (b lifecycleBody) at(now time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, b.Timestamp); err == nil {
		return t
	}
	return now
}

// start: POST /agent_instance/{id}/start {timestamp?}.
func (h *handler) start(w http.ResponseWriter, r *http.Request) {
	h.lifecycle(w, r, func(in *instanceOut, b lifecycleBody, now time.Time) error {
		if in.Status != "pending" {
			return errors.New("the instance has already started")
		}
		in.Status, in.StartedAt = "active", stampPtr(b.at(now))
		return nil
	})
}

// finish: POST /agent_instance/{id}/finish {status?, timestamp?}.
func (h *handler) finish(w http.ResponseWriter, r *http.Request) {
	h.lifecycle(w, r, func(in *instanceOut, b lifecycleBody, now time.Time) error {
		if in.Status == "terminated" {
			return nil // the killswitch won; the agent just learns it
		}
		st := cmpStr(b.Status, "complete")
		if !slices.Contains([]string{"complete", "failed", "cancelled"}, st) {
			return errors.New("status must be complete, failed or cancelled")
		}
		if in.StartedAt == nil {
			in.StartedAt = stampPtr(b.at(now))
		}
		in.Status, in.FinishedAt = st, stampPtr(b.at(now))
		return nil
	})
}

func (h *handler) lifecycle(w http.ResponseWriter, r *http.Request, change func(*instanceOut, lifecycleBody, time.Time) error) {
	var b lifecycleBody
	if !readBody(w, r, &b) {
		return
	}
	s := h.written
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.insts[r.PathValue("id")]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such agent instance")
		return
	}
	now := h.e.Now()
	if err := change(in, b, now); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	in.UpdatedAt = stamp(now)
	writeDetails(w, *in)
}

type spanBody struct {
	Details struct {
		ID              string         `json:"id"`
		AgentInstanceID string         `json:"agent_instance_id"`
		SchemaName      string         `json:"schema_name"`
		Status          string         `json:"status"`
		Payload         map[string]any `json:"payload"`
		ResultPayload   any            `json:"result_payload"`
		ParentSpanID    *string        `json:"parent_span_id"`
		StartedAt       string         `json:"started_at"`
		FinishedAt      *string        `json:"finished_at"`
		IdempotencyKey  string         `json:"idempotency_key"`
	} `json:"details"`
	IdempotencyKey string `json:"idempotency_key"`
}

var spanStatuses = []string{"pending", "active", "complete", "failed", "cancelled"}

// createSpan: POST /agent_spans {details:{…}}.
func (h *handler) createSpan(w http.ResponseWriter, r *http.Request) {
	var b spanBody
	if !readBody(w, r, &b) {
		return
	}
	d := b.Details
	now := h.e.Now()
	s := h.written
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.insts[d.AgentInstanceID]
	switch {
	case !ok:
		writeError(w, http.StatusUnprocessableEntity, "invalid", "agent_instance_id does not name an agent instance")
		return
	case strings.TrimSpace(d.SchemaName) == "":
		writeError(w, http.StatusUnprocessableEntity, "invalid", "schema_name is required")
		return
	case !slices.Contains(spanStatuses, cmpStr(d.Status, "active")):
		writeError(w, http.StatusUnprocessableEntity, "invalid", "status must be one of "+strings.Join(spanStatuses, ", "))
		return
	case len(s.all) >= s.maxSpans:
		writeError(w, http.StatusUnprocessableEntity, "invalid", "the simulator holds no more spans")
		return
	}
	key := cmpStr(b.IdempotencyKey, d.IdempotencyKey)
	if id, ok := s.idem[key]; ok && key != "" {
		h.writeSpan(w, s.all[s.byID[id]])
		return
	}
	started := now
	if t, err := time.Parse(time.RFC3339Nano, d.StartedAt); err == nil {
		started = t
	}
	sp := spanOut{Type: "agent_span", ID: s.id(now), AccountID: h.accountID, AgentID: in.AgentID, AgentInstanceID: in.ID,
		SchemaName: d.SchemaName, SchemaTitle: d.SchemaName, Status: cmpStr(d.Status, "active"), Payload: d.Payload,
		ResultPayload: d.ResultPayload, StartedAt: stamp(started), InsertedAt: stamp(now), UpdatedAt: stamp(now)}
	if d.ParentSpanID != nil && *d.ParentSpanID != "" {
		sp.ParentSpanID = strPtr(*d.ParentSpanID)
	}
	if d.FinishedAt != nil {
		if t, err := time.Parse(time.RFC3339Nano, *d.FinishedAt); err == nil {
			sp.FinishedAt = stampPtr(t)
		}
	}
	if sp.Payload == nil {
		sp.Payload = map[string]any{}
	}
	if name, _ := sp.Payload["name"].(string); name != "" {
		sp.Summary = summary(name)
	}
	s.all = append(s.all, sp)
	s.byID[sp.ID] = len(s.all) - 1
	s.spans[in.ID] = append(s.spans[in.ID], len(s.all)-1)
	if key != "" {
		s.idem[key] = sp.ID
	}
	h.writeSpan(w, sp)
}

// writeSpan answers a span write; a terminated instance's agent learns of
// the killswitch in it (control).
func (h *handler) writeSpan(w http.ResponseWriter, sp spanOut) {
	body := map[string]any{"status": "success", "details": sp}
	if c, ok := h.written.control[sp.AgentInstanceID]; ok {
		body["control"] = c
	}
	writeJSON(w, http.StatusOK, body)
}

// finishSpan: POST /agent_spans/{id}/finish {timestamp, status, result_payload}.
func (h *handler) finishSpan(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Status        string `json:"status"`
		ResultPayload any    `json:"result_payload"`
		Timestamp     string `json:"timestamp"`
	}
	if !readBody(w, r, &b) {
		return
	}
	now := h.e.Now()
	s := h.written
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byID[r.PathValue("id")]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such span")
		return
	}
	st := cmpStr(b.Status, "complete")
	if !slices.Contains(spanStatuses[2:], st) {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "status must be complete, failed or cancelled")
		return
	}
	at := now
	if t, err := time.Parse(time.RFC3339Nano, b.Timestamp); err == nil {
		at = t
	}
	sp := &s.all[i]
	sp.Status, sp.FinishedAt, sp.UpdatedAt = st, stampPtr(at), stamp(now)
	if b.ResultPayload != nil {
		sp.ResultPayload = b.ResultPayload
	}
	h.writeSpan(w, *sp)
}
