package moderatelysim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
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
	APIKey string // required of every request as Authorization: Bearer
	TeamID string // the team; a request naming another in teamIds is refused
	Casing string // of live-tail steps (CasingMixed when empty)
	Faults simhttp.Faults
	// Stats counts the requests served, by kind (also at GET
	// /_sim/stats behind the key); nil counts into one of its own.
	Stats  *simhttp.Stats
	Logger *slog.Logger
}

// handler serves one engine as Moderately AI.
type handler struct {
	e      *sim.Engine
	key    string
	team   string
	casing string

	agents   []sim.Agent          // the agents, by name (pipelines included)
	pipeline map[string]bool      // agent id → served as a pipeline
	versions map[string]versionOf // configuration version id → agent and number

	mu      sync.Mutex
	reasons map[string]string // execution id → the reason it was cancelled with
}

type versionOf struct {
	agent  sim.Agent
	number int
}

// NewHandler serves e as the Moderately AI API.
func NewHandler(e *sim.Engine, o HandlerOptions) http.Handler {
	h := &handler{e: e, key: o.APIKey, team: o.TeamID, casing: o.Casing, pipeline: map[string]bool{},
		versions: map[string]versionOf{}, reasons: map[string]string{}}
	if h.casing == "" {
		h.casing = CasingMixed
	}
	for page := 1; ; page++ {
		p, err := e.Agents(api.AgentQuery{Page: page, PageSize: sim.MaxPageSize, SortField: "name", SortDirection: api.SortAsc})
		if err != nil || len(p.Items) == 0 {
			break
		}
		h.agents = append(h.agents, p.Items...)
		if !p.HasMore() {
			break
		}
	}
	for i, a := range h.agents {
		if i%4 == 3 { // every fourth agent by name runs as a pipeline
			h.pipeline[a.ID] = true
		}
		for n := 1; n <= a.Version; n++ {
			h.versions[versionID(a, n)] = versionOf{a, n}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /agent-executions", h.listAgentExecutions)
	mux.HandleFunc("POST /agent-executions", h.createAgentExecution)
	mux.HandleFunc("GET /agent-executions/{id}", h.getAgentExecution)
	mux.HandleFunc("POST /agent-executions/{id}/cancel", h.cancelAgentExecution)
	mux.HandleFunc("GET /agent-executions/{id}/live-tail", h.liveTail)
	mux.HandleFunc("GET /pipeline-executions", h.listPipelineExecutions)
	mux.HandleFunc("GET /pipeline-executions/{id}", h.getPipelineExecution)
	mux.HandleFunc("POST /pipeline-executions/{id}/cancel", h.cancelPipelineExecution)
	mux.HandleFunc("GET /agents", h.listAgents)
	mux.HandleFunc("GET /agents/{id}", h.getAgent)
	mux.HandleFunc("GET /agent-configuration-versions", h.listVersions)
	mux.HandleFunc("GET /agent-configuration-versions/{id}", h.getVersion)
	mux.HandleFunc("GET /authentication/whoami", h.whoami)
	mux.HandleFunc("GET /teams/{id}", h.getTeam)
	mux.HandleFunc("GET /users/{id}", h.getUser)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.Path)
	})
	faulty := simhttp.NewFaulter(o.Faults, e.Seed(), simhttp.FaultOptions{WriteError: writeError}, mux)
	if o.Stats == nil {
		o.Stats = simhttp.NewStats()
	}
	return simhttp.Logged(o.Logger, h.authenticate(simhttp.Counted(o.Stats, faulty)))
}

// authenticate checks the bearer key and the team before anything else.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(h.key)) != 1 {
			writeError(w, r, http.StatusUnauthorized, "Missing or invalid authentication token.")
			return
		}
		if teams := list(r.URL.Query(), "teamIds", "team_ids", "teamId", "team_id"); len(teams) > 0 && !slices.Contains(teams, h.team) {
			writeError(w, r, http.StatusForbidden, "User is not a member of the team.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errorCodes name the spec's machine-readable codes.
var errorCodes = map[int]string{
	http.StatusBadRequest: "VALIDATION_ERROR", http.StatusUnauthorized: "UNAUTHORIZED", http.StatusForbidden: "FORBIDDEN",
	http.StatusNotFound: "NOT_FOUND", http.StatusConflict: "CONFLICT", http.StatusTooManyRequests: "RATE_LIMITED",
	http.StatusRequestEntityTooLarge: "PAYLOAD_TOO_LARGE",
}

// writeError writes the spec's nested error shape.
func writeError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	c, ok := errorCodes[code]
	if !ok {
		c = "INTERNAL_ERROR"
	}
	writeJSON(w, code, map[string]any{"error": map[string]any{
		"code": c, "message": msg, "details": nil, "timestamp": time.Now().UTC().Format(time.RFC3339Nano),
		"path": r.URL.Path, "requestId": fmt.Sprintf("req_%016x", rand.Uint64()),
	}})
}

// fail writes an engine error with its status.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	code := http.StatusInternalServerError
	switch api.KindOf(err) {
	case api.KindInvalid:
		code = http.StatusBadRequest
	case api.KindForbidden:
		code = http.StatusForbidden
	case api.KindNotFound:
		code = http.StatusNotFound
	}
	msg := err.Error()
	var ae *api.Error
	if errors.As(err, &ae) && ae.Message != "" {
		msg = ae.Message
	}
	writeError(w, r, code, msg)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// first returns the first non-empty of the names (both spellings).
func first(q url.Values, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(q.Get(n)); v != "" {
			return v
		}
	}
	return ""
}

// list reads a filter given comma-joined, repeated, or both, under any of
// the names.
func list(q url.Values, names ...string) []string {
	var out []string
	for _, n := range names {
		for _, v := range q[n] {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
	}
	return out
}

// paging reads page and pageSize|page_size (default def, at most max).
func paging(q url.Values, def, most int) (page, size int, err error) {
	page, size = 1, def
	if v := first(q, "page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, errors.New("page must be a positive integer")
		}
	}
	if v := first(q, "pageSize", "page_size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > most {
			return 0, 0, fmt.Errorf("pageSize must be an integer from 1 to %d", most)
		}
	}
	return page, size, nil
}

// direction reads orderDirection|order_direction.
func direction(q url.Values, def api.SortDirection) (api.SortDirection, error) {
	switch d := strings.ToLower(first(q, "orderDirection", "order_direction")); d {
	case "":
		return def, nil
	case "asc", "desc":
		return api.SortDirection(d), nil
	default:
		return "", errors.New("orderDirection must be asc or desc")
	}
}

// pageOf is the spec's listing envelope.
func pageOf[T any](items []T, page, size, total int) map[string]any {
	if items == nil {
		items = []T{}
	}
	pages := (total + size - 1) / size
	return map[string]any{"items": items, "pagination": map[string]any{
		"page": page, "pageSize": size, "totalItems": total, "totalPages": pages,
		"hasNextPage": page < pages, "hasPreviousPage": page > 1,
	}}
}

// versionID names an agent's configuration version number n.
func versionID(a sim.Agent, n int) string { return fmt.Sprintf("acv_%s_v%d", a.ID, n) }

// agent finds an agent (not a pipeline) by id.
func (h *handler) agent(id string) (sim.Agent, bool) {
	for _, a := range h.agents {
		if a.ID == id && !h.pipeline[id] {
			return a, true
		}
	}
	return sim.Agent{}, false
}
