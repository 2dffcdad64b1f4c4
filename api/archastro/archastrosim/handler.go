package archastrosim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/wire"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// HandlerOptions configure NewHandler.
type HandlerOptions struct {
	APIKey     string // DemoKey(e.Seed()) when empty
	Faults     simhttp.Faults
	Logger     *slog.Logger
	StreamPoll time.Duration // 200ms when zero
}

// handler serves one engine as ArchAstro.
type handler struct {
	e          *sim.Engine
	key, pk    string
	jwt        string
	streamPoll time.Duration

	mu      sync.Mutex
	created map[string]created // by engine execution id: what a create call gave
	skipped []wire.RoutineRun  // routine runs the schedule skipped, newest first
}

// created is what POST /agent_sessions said that the engine does not keep.
type created struct {
	name, instructions string
	metadata           map[string]any
}

// Prefixes of the platform's ids, over the engine's.
const (
	pSession = "ase_"
	pAgent   = "agi_"
	pRun     = "arr_"
	pRoutine = "arn_"
	pTraj    = "trj_"
	pFeed    = "afe_"
	pMsg     = "msg_"
	pJournal = "jrn_"
	pUser    = "usr_"
	pOrg     = "org_"
)

// NewHandler serves e: authentication first (as the platform: 401 before
// anything else), then the faults, then the API.
func NewHandler(e *sim.Engine, o HandlerOptions) http.Handler {
	if o.APIKey == "" {
		o.APIKey = DemoKey(e.Seed())
	}
	if o.StreamPoll <= 0 {
		o.StreamPoll = 200 * time.Millisecond
	}
	h := &handler{e: e, key: o.APIKey, pk: PublishableKey(o.APIKey), jwt: JWTFor(o.APIKey), streamPoll: o.StreamPoll,
		created: map[string]created{}}
	h.seedSkipped()
	mux := http.NewServeMux()
	for pattern, fn := range map[string]http.HandlerFunc{
		"GET /api/v1/agent_sessions":                   h.listSessions,
		"POST /api/v1/agent_sessions":                  h.createSession,
		"GET /api/v1/agent_sessions/{id}":              h.getSession,
		"DELETE /api/v1/agent_sessions/{id}":           h.deleteSession,
		"POST /api/v1/agent_sessions/{id}/cancel":      h.cancelSession,
		"POST /api/v1/agent_sessions/{id}/message":     h.messageSession,
		"GET /api/v1/agent_sessions/{id}/stream":       h.streamSession,
		"GET /api/v1/trajectories/{id}":                h.trajectory,
		"GET /api/v1/activity_feed":                    h.feed,
		"GET /api/v1/agent_routine_runs":               h.listRuns,
		"GET /api/v1/agent_routines/runs/{id}":         h.getRun,
		"GET /api/v1/agent_routines/runs/{id}/journal": h.journal,
		"GET /api/v1/agents":                           h.listAgents,
		"GET /api/v1/agents/{id}":                      h.getAgent,
		"GET /api/v1/agents/{id}/health":               h.health,
		"GET /api/v1/users/me":                         h.me,
	} {
		mux.HandleFunc(pattern, fn)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		nested(w, http.StatusNotFound, "not_found", "no route for "+r.Method+" "+r.URL.Path, nil)
	})
	faulty := simhttp.NewFaulter(o.Faults, e.Seed(), simhttp.FaultOptions{WriteError: faultError}, mux)
	return simhttp.Logged(o.Logger, h.auth(faulty))
}

// auth accepts the sk_ key alone, or the pk_ key with the user's JWT as a
// bearer token; anything else is 401 in the flat shape.
func (h *handler) auth(next http.Handler) http.Handler {
	eq := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(wire.APIKeyHeader)
		bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch {
		case key == "":
			flat(w, http.StatusUnauthorized, "unauthorized", "missing API key: send it in "+wire.APIKeyHeader)
		case eq(key, h.key):
			next.ServeHTTP(w, r)
		case eq(key, h.pk) && eq(bearer, h.jwt):
			next.ServeHTTP(w, r)
		case eq(key, h.pk):
			flat(w, http.StatusUnauthorized, "unauthorized", "a publishable key needs the user's token (Authorization: Bearer)")
		default:
			flat(w, http.StatusUnauthorized, "invalid_api_key", "the API key is not valid")
		}
	})
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// nested writes {"error":{"code","message","fields"}}: validation and
// lookups answer in this shape.
func nested(w http.ResponseWriter, status int, code, msg string, fields []wire.FieldError) {
	var body wire.NestedError
	body.Error.Code, body.Error.Message, body.Error.Fields = code, msg, fields
	writeJSON(w, status, body)
}

// flat writes {"error":"code","message":"…"}: authentication, rate limits
// and server failures answer in this shape.
func flat(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, wire.FlatError{Error: code, Message: msg})
}

func faultError(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	code := "server_error"
	switch status {
	case http.StatusTooManyRequests:
		code = "rate_limited"
	case http.StatusGatewayTimeout:
		code = "timeout"
	}
	flat(w, status, code, msg)
}

// engineError answers an engine error.
func engineError(w http.ResponseWriter, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		flat(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	switch e.Kind {
	case api.KindNotFound:
		nested(w, http.StatusNotFound, "not_found", e.Message, nil)
	case api.KindInvalid:
		nested(w, http.StatusUnprocessableEntity, "invalid_state", e.Message, nil)
	case api.KindForbidden:
		flat(w, http.StatusForbidden, "forbidden", e.Message)
	default:
		flat(w, http.StatusInternalServerError, "server_error", e.Message)
	}
}

func invalid(w http.ResponseWriter, field, msg string) {
	nested(w, http.StatusBadRequest, "invalid_request", "Invalid parameters", []wire.FieldError{{Field: field, Message: msg}})
}

// limit reads ?limit= (default def, at most wire.MaxLimit: larger is
// capped, as the platform's "maximum is 100").
func limit(w http.ResponseWriter, r *http.Request, def int) (int, bool) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		invalid(w, "limit", "must be a positive integer")
		return 0, false
	}
	return min(n, wire.MaxLimit), true
}

// arrayParam reads name[]=v repeated, and name=a,b as the SDK docs allow.
func arrayParam(r *http.Request, name string) []string {
	q := r.URL.Query()
	var out []string
	for _, v := range append(q[name+"[]"], q[name]...) {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// engineID strips a platform prefix; "" when id lacks it.
func engineID(id, prefix string) string {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok {
		return ""
	}
	return rest
}

// allExecutions returns every retained execution, newest first.
func (h *handler) allExecutions() []sim.Execution {
	var out []sim.Execution
	for page := 1; ; page++ {
		p, err := h.e.Executions(api.ExecutionQuery{Page: page, PageSize: sim.MaxPageSize})
		if err != nil {
			return out
		}
		out = append(out, p.Items...)
		if !p.HasMore() {
			return out
		}
	}
}

// seedSkipped makes the routine runs a schedule skipped because the
// previous run of the same routine was still going: a few per demo.
func (h *handler) seedSkipped() {
	agents, err := h.e.Agents(api.AgentQuery{PageSize: sim.MaxPageSize})
	if err != nil || len(agents.Items) == 0 {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(h.e.Seed()), 0x5c1bbed))
	now := h.e.Now()
	for i := range 4 {
		a := agents.Items[rng.IntN(len(agents.Items))]
		at := now.Add(-time.Duration(30+rng.IntN(300)) * time.Minute).Add(-time.Duration(i) * time.Second).Truncate(time.Millisecond)
		id := pRun + "skip" + strconv.FormatUint(rng.Uint64()>>16, 16)
		h.skipped = append(h.skipped, wire.RoutineRun{
			ID: id, Agent: wire.Ref(pAgent + a.ID), Routine: pRoutine + a.ID, Status: wire.RunSkipped,
			Result: map[string]any{"reason": "the previous run of this routine was still running"}, Metadata: map[string]any{"source": "schedule"},
			CreatedAt: wire.At(at), UpdatedAt: wire.At(at),
		})
	}
	sortRuns(h.skipped)
}
