package asteroidsim

import (
	"cmp"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// HandlerOptions configure NewHandler.
type HandlerOptions struct {
	// APIKey is the key every request must carry (X-Asteroid-Agents-Api-Key
	// or X-Api-Key). Empty means DemoKey(e.Seed()).
	APIKey string
	// Shape is the activity payload generation served.
	Shape wire.PayloadShape
	// Faults to inject; the zero value injects none.
	Faults Faults
	// Logger receives one debug record per request; nil discards.
	Logger *slog.Logger
	// MaxUpload bounds an upload request (its whole multipart body); larger
	// ones get 413. DefaultMaxUpload when zero.
	MaxUpload int64
	// FilesURL is the origin of the file server (NewFileHandler) that
	// download URLs point at. Empty: the handler serves the files itself,
	// under /files/ on the origin each request came to.
	FilesURL string
	// Stats counts the requests served, by kind, and is served at
	// GET /sim/stats (behind the key); nil counts into a Stats of the
	// handler's own.
	Stats *simhttp.Stats
	// Control, when set, serves ControlPath (behind the key, without
	// faults) and lets it switch the faults off.
	Control *Control
}

// DemoKey is the API key a simulator seeded with seed accepts by default:
// "sim_demo_" and 24 hex digits, the same for the same seed.
func DemoKey(seed int64) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("agentop-sim:%d", seed)))
	return "sim_demo_" + hex.EncodeToString(sum[:12])
}

// handler serves one engine.
type handler struct {
	e         *sim.Engine
	shape     wire.PayloadShape
	key       string
	keyID     string // the key's id in triggerContext
	maxUpload int64
	filesURL  string
	signer    urlSigner
}

// NewHandler returns the simulator's HTTP API for e: v2 under /agents/v2,
// v1 under /api/v1, behind the API key and then the faults of opts (a
// request without the key gets its 401, never a fault); and, unless
// opts.FilesURL names a file server, the file downloads under /files/.
func NewHandler(e *sim.Engine, opts HandlerOptions) http.Handler {
	key := opts.APIKey
	if key == "" {
		key = DemoKey(e.Seed())
	}
	sum := sha256.Sum256([]byte("key-id:" + key))
	h := &handler{e: e, shape: opts.Shape, key: key,
		keyID:     fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16]),
		maxUpload: cmp.Or(opts.MaxUpload, DefaultMaxUpload), filesURL: opts.FilesURL, signer: newSigner(e)}
	mux := http.NewServeMux()
	h.routes(mux)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	stats := opts.Stats
	if stats == nil {
		stats = simhttp.NewStats()
	}
	root := http.NewServeMux()
	root.Handle("/", h.auth(simhttp.Counted(stats, newFaulter(opts.Faults, e.Seed(), opts.Control, mux))))
	if opts.Control != nil {
		root.Handle(ControlPath, h.auth(opts.Control))
	}
	if opts.FilesURL == "" {
		root.Handle(filesPrefix, NewFileHandler(e)) // signed: no key, no faults
	}
	return simhttp.Logged(log, root)
}

// routes registers every endpoint.
func (h *handler) routes(mux *http.ServeMux) {
	for pattern, route := range h.routeTable() {
		mux.Handle(pattern, route)
	}
}

// routeTable is every endpoint by ServeMux pattern.
func (h *handler) routeTable() map[string]http.Handler {
	const v2, v1 = wire.V2Prefix, wire.V1Prefix
	agentsErrors := plainErrors(map[int]string{400: "Invalid request parameters.", 404: "Organization not found."})
	filesErrors := plainErrors(map[int]string{400: "Invalid file upload request.", 404: "Execution not found."})
	tempErrors := plainErrors(map[int]string{400: "Invalid file upload request.", 403: "User is not a member of the organization."})
	return map[string]http.Handler{
		"GET " + v2 + "/agents":                                   serve(agentsErrors, h.listAgents),
		"POST " + v2 + "/agents/{agentId}/execute":                serve(v2Errors, h.execute),
		"GET " + v2 + "/executions":                               serve(v2Errors, h.listExecutions),
		"GET " + v2 + "/executions/{id}":                          serve(v2Errors, h.getExecution),
		"POST " + v2 + "/executions/{id}/status":                  serve(v2Errors, h.setStatus),
		"GET " + v2 + "/executions/{id}/activities":               serve(v2Errors, h.activities),
		"POST " + v2 + "/executions/{id}/user-messages":           serve(v2Errors, h.userMessage),
		"POST " + v2 + "/temp-files/{organizationId}":             serve(tempErrors, h.stageFiles),
		"GET " + v2 + "/executions/{id}/context-files":            serve(filesErrors, h.contextFiles),
		"POST " + v2 + "/executions/{id}/context-files":           serve(filesErrors, h.addContextFiles),
		"GET " + v2 + "/executions/{id}/agent-files":              serve(v2Errors, h.agentFiles),
		"GET " + v2 + "/agent-profile-pools":                      serve(v2Errors, h.listPools),
		"POST " + v2 + "/agent-profile-pools":                     serve(v2Errors, h.createPool),
		"GET " + v2 + "/agent-profile-pools/{poolId}":             serve(v2Errors, h.getPool),
		"PATCH " + v2 + "/agent-profile-pools/{poolId}":           serve(v2Errors, h.updatePool),
		"GET " + v2 + "/context":                                  serve(v2Errors, h.context),
		v2 + "/":                                                  serve(v2Errors, notFound),
		"GET " + v1 + "/agent-profiles":                           serve(v1Errors, h.listProfiles),
		"POST " + v1 + "/agent-profiles":                          serve(v1Errors, h.createProfile),
		"GET " + v1 + "/agent-profiles/{id}":                      serve(v1Errors, h.getProfile),
		"PATCH " + v1 + "/agent-profiles/{id}":                    serve(v1Errors, h.updateProfile),
		"DELETE " + v1 + "/agent-profiles/{id}":                   serve(v1Errors, h.deleteProfile),
		"GET " + v1 + "/credentials/public_key":                   serve(v1Errors, h.publicKey),
		"GET " + v1 + "/execution/{id}/status":                    serve(v1Errors, h.statusV1),
		"GET " + v1 + "/execution/{id}/result":                    serve(v1Errors, h.resultV1),
		"GET " + v1 + "/execution/{id}/browser_session/recording": serve(v1Errors, h.recordingV1),
		"GET " + v1 + "/execution/{id}/files":                     serve(v1Errors, h.filesV1),
		"POST " + v1 + "/execution/{id}/files":                    serve(v1Errors, h.uploadFilesV1),
		"POST " + v1 + "/agent/{id}/execute":                      serve(v1Errors, h.executeV1),
		"POST " + v1 + "/agent/{id}":                              serve(v1Errors, h.executeLegacyV1),
		"GET " + v1 + "/health":                                   serve(v1Errors, health),
		"GET " + v1 + "/openapi.yaml":                             http.HandlerFunc(openAPI),
		v1 + "/":                                                  serve(v1Errors, notFound),
	}
}

func notFound(r *http.Request) (int, any, error) {
	return 0, nil, &api.Error{Kind: api.KindNotFound, Message: "no such endpoint: " + r.Method + " " + r.URL.Path}
}

func health(*http.Request) (int, any, error) {
	return http.StatusOK, wire.HealthV1{Status: "ok"}, nil
}

// isHealth tells the requests that need no key and get no faults: health
// and the OpenAPI document.
func isHealth(r *http.Request) bool {
	return r.URL.Path == wire.V1Prefix+"/health" || r.URL.Path == wire.V1Prefix+"/openapi.yaml"
}

// auth answers 401, in the shape of the API family asked, unless the
// request carries the key.
func (h *handler) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get(wire.APIKeyHeader)
		if got == "" {
			got = r.Header.Get(wire.AltAPIKeyHeader)
		}
		if isHealth(r) || subtle.ConstantTimeCompare([]byte(got), []byte(h.key)) == 1 {
			next.ServeHTTP(w, r)
			return
		}
		msg := "Invalid API key."
		if got == "" {
			msg = "Missing API key: send it in the " + wire.APIKeyHeader + " header."
		}
		writeError(w, r, http.StatusUnauthorized, msg)
	})
}
