package prefactorsim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// HandlerOptions configure NewHandler.
type HandlerOptions struct {
	APIKey       string // required bearer token
	Faults       simhttp.Faults
	Seed         int64
	ApproveAfter time.Duration // 0: approvals wait for the engine (its own answers or its timeout)
	Logger       *slog.Logger
}

// HealthPath answers without a token (the simulator's own, not Prefactor's).
const HealthPath = "/_sim/health"

// maxWriteBody bounds a write's body.
const maxWriteBody = 1 << 20

type handler struct {
	e     *sim.Engine
	key   string
	after time.Duration

	mu        sync.Mutex
	reasons   map[string]string // engine execution id → termination reason
	approved  map[string]bool   // engine execution ids answered "in Slack" (while waiting)
	written   *store
	accountID string
}

// NewHandler serves e in Prefactor's format.
func NewHandler(e *sim.Engine, o HandlerOptions) http.Handler {
	h := &handler{e: e, key: o.APIKey, after: o.ApproveAfter, reasons: map[string]string{}, approved: map[string]bool{},
		written: newStore(), accountID: "acct_" + strings.ReplaceAll(e.Organization().ID, "-", "")[:12]}
	mux := http.NewServeMux()
	routes := map[string]http.HandlerFunc{
		"GET /api/v1/ping":                              h.ping,
		"GET /api/v1/account":                           h.account,
		"GET /api/v1/agent":                             h.listAgents,
		"GET /api/v1/agent/{id}":                        h.getAgent,
		"GET /api/v1/agent_instance":                    h.listInstances,
		"GET /api/v1/agent_instance/{id}":               h.getInstance,
		"POST /api/v1/agent_instance/{id}/terminate":    h.terminate,
		"POST /api/v1/agent_instance/register":          h.register,
		"POST /api/v1/agent_instance/{id}/start":        h.start,
		"POST /api/v1/agent_instance/{id}/finish":       h.finish,
		"GET /api/v1/agent_spans":                       h.listSpans,
		"POST /api/v1/agent_spans":                      h.createSpan,
		"POST /api/v1/agent_spans/{id}/finish":          h.finishSpan,
		"GET /api/v1/environment":                       h.environments,
		"GET /api/v1/agent_deployment":                  h.deployments,
		"GET /api/v1/agent_instance/{id}/agent_context": h.agentContext,
	}
	for pattern, fn := range routes {
		mux.HandleFunc(pattern, fn)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
	})
	var next http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == HealthPath {
			writeJSON(w, http.StatusOK, map[string]any{"status": "success"}) // no key: how --demo finds a running sim
			return
		}
		if !h.authorized(r) {
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid bearer token")
			return
		}
		h.resolveApprovals()
		mux.ServeHTTP(w, r)
	})
	next = simhttp.NewFaulter(o.Faults, o.Seed, simhttp.FaultOptions{WriteError: func(w http.ResponseWriter, _ *http.Request, code int, msg string) {
		writeError(w, code, "simulated", msg)
	}}, next)
	if o.Logger != nil {
		next = simhttp.Logged(o.Logger, next)
	}
	return next
}

func (h *handler) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(h.key)) == 1
}

// --- envelopes -------------------------------------------------------------

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeDetails(w http.ResponseWriter, v any) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "details": v})
}

func writeError(w http.ResponseWriter, code int, kind, msg string) {
	writeJSON(w, code, map[string]any{"status": "error", "code": kind, "message": msg})
}

// writeEngineError answers an engine error with its HTTP status.
func writeEngineError(w http.ResponseWriter, err error) {
	var ae *api.Error
	msg := err.Error()
	if errors.As(err, &ae) && ae.Message != "" {
		msg = ae.Message
	}
	switch api.KindOf(err) {
	case api.KindNotFound:
		writeError(w, http.StatusNotFound, "not_found", msg)
	case api.KindInvalid:
		writeError(w, http.StatusUnprocessableEntity, "invalid", msg)
	default:
		writeError(w, http.StatusInternalServerError, "internal", msg)
	}
}

// paging is a listing's pagination[…] and sorting[…].
type paging struct {
	offset, size int
	asc          bool
}

func pagingOf(r *http.Request) (paging, error) {
	q := r.URL.Query()
	p := paging{size: 100}
	var err error
	if v := q.Get("pagination[offset]"); v != "" {
		if p.offset, err = strconv.Atoi(v); err != nil || p.offset < 0 {
			return p, errors.New("pagination[offset] must be a non-negative integer")
		}
	}
	if v := q.Get("pagination[page_size]"); v != "" {
		if p.size, err = strconv.Atoi(v); err != nil || p.size < 1 || p.size > 100 {
			return p, errors.New("pagination[page_size] must be between 1 and 100")
		}
	}
	if f := q.Get("sorting[field]"); f != "" && f != "id" && f != "inserted_at" {
		return p, errors.New("sorting[field] must be id or inserted_at")
	}
	switch q.Get("sorting[direction]") {
	case "", "desc":
	case "asc":
		p.asc = true
	default:
		return p, errors.New("sorting[direction] must be asc or desc")
	}
	return p, nil
}

// writePage sorts items by id (k-sortable: by time), pages them and writes
// the listing envelope.
func writePage[T any](w http.ResponseWriter, p paging, items []T, id func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int {
		if p.asc {
			return strings.Compare(id(a), id(b))
		}
		return strings.Compare(id(b), id(a))
	})
	lo := min(p.offset, len(items))
	hi := min(lo+p.size, len(items))
	var next, prev any
	if hi < len(items) {
		next = hi
	}
	if lo > 0 {
		prev = max(lo-p.size, 0)
	}
	pages := (len(items) + p.size - 1) / p.size
	writeJSON(w, http.StatusOK, map[string]any{
		"status":    "success",
		"summaries": items[lo:hi],
		"pagination": map[string]any{
			"item_count": len(items), "item_start": lo, "item_end": hi, "page_index": lo / p.size,
			"page_count": pages, "page_offset": lo, "page_size": p.size,
			"next_page_offset": next, "previous_page_offset": prev,
		},
		"sorting": map[string]any{"field": "id", "direction": map[bool]string{true: "asc", false: "desc"}[p.asc]},
	})
}

// readBody decodes a write's JSON body into v.
func readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWriteBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", "the body is too large")
		return false
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		data = []byte("{}")
	}
	if err := json.Unmarshal(data, v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json", "the body is not valid JSON: "+err.Error())
		return false
	}
	return true
}

// --- simple reads ----------------------------------------------------------

func (h *handler) ping(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "message": "pong"})
}

func (h *handler) account(w http.ResponseWriter, _ *http.Request) {
	org := h.e.Organization()
	writeDetails(w, map[string]any{"type": "account", "id": h.accountID, "name": org.Name, "email": h.e.User().Email})
}

func (h *handler) environments(w http.ResponseWriter, r *http.Request) {
	p, err := pagingOf(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	envs := []map[string]any{
		{"type": "environment", "id": "env_01production", "name": "production", "account_id": h.accountID},
		{"type": "environment", "id": "env_02staging", "name": "staging", "account_id": h.accountID},
	}
	writePage(w, p, envs, func(m map[string]any) string { return m["id"].(string) })
}

func (h *handler) deployments(w http.ResponseWriter, r *http.Request) {
	p, err := pagingOf(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	var deps []map[string]any
	for _, a := range h.agents() {
		if id := r.URL.Query().Get("agent_id"); id != "" && id != a.ID {
			continue
		}
		deps = append(deps, map[string]any{"type": "agent_deployment", "id": "dep_" + a.ID, "agent_id": a.ID,
			"environment_id": "env_01production", "status": "active"})
	}
	writePage(w, p, deps, func(m map[string]any) string { return m["id"].(string) })
}

func (h *handler) agentContext(w http.ResponseWriter, r *http.Request) {
	in, ok := h.instance(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such agent instance")
		return
	}
	writeDetails(w, map[string]any{"agent_instance": in, "span_counts": in.SpanCounts})
}
