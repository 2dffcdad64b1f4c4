// Package moderatelysim serves the shared simulated fleet (api/sim) as the
// Moderately AI API: agents with configuration versions, agent executions
// that run through live-tail steps and thoughts and end, pipeline
// executions (a few of the fleet's agents are pipelines here), pages with
// totals, the spec's nested error shape and injected faults.
//
// It accepts both spellings real clients send: the OpenAPI spec's camelCase
// (pageSize, agentIds, statuses, {agentConfigurationVersionId, agentInput,
// agentInputSummary}) and the vendor Python SDK's snake_case (page_size,
// agent_id, status, order_by, {agent_id, input_data}).
//
// The platform has no human in the loop, so a simulated person answers
// every agent that waits (sim.Config.AutoAnswer): such an execution is
// paused for a while and then carries on.
package moderatelysim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// Casings of live-tail step keys.
const (
	CasingMixed = "mixed" // steps alternate, as the schema allows
	CasingCamel = "camel" // stepType, startedAt …
	CasingSnake = "snake" // step_type, started_at …
)

// Config sets up a simulator server.
type Config struct {
	Addr        string // DefaultAddr when empty
	AllowRemote bool
	APIKey      string // DemoKey(Sim.Seed) when empty
	TeamID      string // TeamID(Sim.Seed) when empty
	Casing      string // of live-tail steps; CasingMixed when empty
	Faults      simhttp.Faults
	Sim         sim.Config
	Logger      *slog.Logger
}

// DefaultAddr listens on a random loopback port.
const DefaultAddr = "127.0.0.1:0"

// DemoKey is the well-known key of the simulator seeded with seed.
func DemoKey(seed int64) string { return "mod_demo_" + digest("key", seed) }

// TeamID is the simulated team of the simulator seeded with seed.
func TeamID(seed int64) string { return "team_" + digest("team", seed)[:12] }

func digest(what string, seed int64) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "agentop-moderately-sim:%s:%d", what, seed))
	return hex.EncodeToString(sum[:12])
}

// Server is a running simulator.
type Server struct {
	*simhttp.Server
	APIKey string
	TeamID string
	Engine *sim.Engine
	Stats  *simhttp.Stats // the requests served, by kind
}

// ParseCasing checks a casing name.
func ParseCasing(s string) (string, error) {
	switch c := strings.ToLower(strings.TrimSpace(s)); c {
	case "":
		return CasingMixed, nil
	case CasingMixed, CasingCamel, CasingSnake:
		return c, nil
	}
	return "", fmt.Errorf("step casing %q: want mixed, camel or snake", s)
}

// Start builds the engine, listens and serves until ctx is done or Close
// is called.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	casing, err := ParseCasing(cfg.Casing)
	if err != nil {
		return nil, err
	}
	cfg.Sim.AutoAnswer = true
	e, ln, key, err := simhttp.Setup(simhttp.Facade{Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
		Faults: cfg.Faults, Sim: cfg.Sim, DemoKey: DemoKey})
	if err != nil {
		return nil, err
	}
	cfg.APIKey = key
	if cfg.TeamID == "" {
		cfg.TeamID = TeamID(cfg.Sim.Seed)
	}
	stats := simhttp.NewStats()
	h := NewHandler(e, HandlerOptions{APIKey: cfg.APIKey, TeamID: cfg.TeamID, Casing: casing, Faults: cfg.Faults, Stats: stats, Logger: cfg.Logger})
	srv := simhttp.Serve(ctx, ln, h, cfg.Logger, e.Run)
	if cfg.Logger != nil {
		cfg.Logger.Info("simulator listening", "platform", "moderately", "url", srv.URL, "scenario", e.Scenario().String(), "seed", e.Seed())
	}
	return &Server{Server: srv, APIKey: cfg.APIKey, TeamID: cfg.TeamID, Engine: e, Stats: stats}, nil
}
