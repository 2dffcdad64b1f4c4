// Package prefactorsim serves agentop's simulated fleet (api/sim) in
// Prefactor's wire format, at the root of its own port (/api/v1/…: the
// official @prefactor/core client drops any path in its base URL).
//
// It plays the engine's runs as agent instances whose activities become a
// span tree — agent → step → llm / tool children, some failing, and human
// approvals (hitl:human-approval) that resolve "in Slack" after a while —
// and it accepts the writes of an instrumented agent exactly as
// @prefactor/core 0.2.9 sends them (register, start, span create and
// finish, instance finish), so a real instrumented agent can fill it.
// Terminate (POST /agent_instance/{id}/terminate {"reason"}) cancels a run
// and keeps its reason. Faults come from simhttp.
package prefactorsim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// DefaultAddr listens on a random loopback port.
const DefaultAddr = "127.0.0.1:0"

// DefaultApproveAfter is how long an approval stays open before it is
// approved "in Slack" (at speed 1).
const DefaultApproveAfter = 40 * time.Second

// DemoKey is the well-known token of a seed's simulator.
func DemoKey(seed int64) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("agentop-prefactor-sim:%d", seed)))
	return "pf_sim_demo_" + hex.EncodeToString(sum[:12])
}

// Config sets up a simulator server.
type Config struct {
	Addr        string // DefaultAddr when empty
	AllowRemote bool   // permit a non-loopback address (with a token of the user's own)
	APIKey      string // the bearer token clients must send; DemoKey(Sim.Seed) when empty
	Sim         sim.Config
	Faults      simhttp.Faults
	// ApproveAfter is how long an open approval waits before it resolves;
	// DefaultApproveAfter scaled by the speed when zero, never when negative.
	ApproveAfter time.Duration
	Logger       *slog.Logger
}

// Server is a running simulator.
type Server struct {
	URL    string // origin, e.g. http://127.0.0.1:53121
	APIKey string
	Engine *sim.Engine

	srv *simhttp.Server
}

// Start builds the engine, listens and serves until ctx is done or Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e, ln, key, err := simhttp.Setup(simhttp.Facade{Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
		Faults: cfg.Faults, Sim: cfg.Sim, DemoKey: DemoKey})
	if err != nil {
		return nil, err
	}
	cfg.APIKey = key
	h := NewHandler(e, HandlerOptions{APIKey: cfg.APIKey, Faults: cfg.Faults, Seed: cfg.Sim.Seed,
		ApproveAfter: approveAfter(cfg), Logger: log})
	srv := simhttp.Serve(ctx, ln, h, log, e.Run)
	log.Info("prefactor simulator listening", "url", srv.URL, "scenario", e.Scenario().String(), "seed", e.Seed())
	return &Server{URL: srv.URL, APIKey: cfg.APIKey, Engine: e, srv: srv}, nil
}

func approveAfter(cfg Config) time.Duration {
	switch {
	case cfg.ApproveAfter < 0:
		return 0
	case cfg.ApproveAfter > 0:
		return cfg.ApproveAfter
	}
	speed := cfg.Sim.Speed
	if speed <= 0 {
		speed = 1
	}
	return time.Duration(float64(DefaultApproveAfter) / speed)
}

// Close stops the server and the engine; safe to call more than once.
func (s *Server) Close() error { return s.srv.Close() }
