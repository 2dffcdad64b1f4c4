// Package archastrosim serves the shared simulated fleet (api/sim) as the
// ArchAstro platform API: agents, agent sessions (executions that run, wait
// for a message with a concrete question, and resume with the answer),
// routine runs (the sessions a schedule started, and some skipped runs),
// the activity feed with cursors, trajectories, routine run journals,
// users/me and the session stream (server-sent events). It answers every
// request the official @archastro/sdk 0.19.0 was recorded sending
// (shared/reference/wire/archastro-requests.txt), in both of the platform's
// error shapes, behind the shared faults (api/sim/simhttp).
package archastrosim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// DefaultAddr listens on a random loopback port.
const DefaultAddr = "127.0.0.1:0"

// DemoKey is the sk_ secret key a simulator seeded with seed accepts by
// default, the same for the same seed.
func DemoKey(seed int64) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("agentop-archastro-sim:%d", seed)))
	return "sk_sim_" + hex.EncodeToString(sum[:12])
}

// PublishableKey is the pk_ key that goes with key (with JWTFor(key)).
func PublishableKey(key string) string { return "pk_" + strings.TrimPrefix(key, "sk_") }

// JWTFor is the user token the simulator accepts with PublishableKey(key).
func JWTFor(key string) string {
	sum := sha256.Sum256([]byte("jwt:" + key))
	return "eyJzaW0iOnRydWV9." + hex.EncodeToString(sum[:16]) + ".sim"
}

// Config configures Start.
type Config struct {
	Addr        string // DefaultAddr (a random loopback port) when empty
	AllowRemote bool   // permit a non-loopback address (then with a key of the user's own)
	APIKey      string // the sk_ key clients must send; DemoKey(Sim.Seed) when empty
	Sim         sim.Config
	Faults      simhttp.Faults
	Logger      *slog.Logger
	// StreamPoll is how often a session stream looks for changes; 200ms
	// when zero.
	StreamPoll time.Duration
}

// Server is a running simulator.
type Server struct {
	URL    string // origin; clients append /api/v1
	APIKey string
	JWT    string // with PublishableKey(APIKey)
	Engine *sim.Engine

	served *simhttp.Server
}

// Start builds the engine, listens and serves until ctx is done or Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	e, ln, key, err := simhttp.Setup(simhttp.Facade{Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
		Faults: cfg.Faults, Sim: cfg.Sim, DemoKey: DemoKey})
	if err != nil {
		return nil, err
	}
	cfg.APIKey = key
	h := NewHandler(e, HandlerOptions{APIKey: cfg.APIKey, Faults: cfg.Faults, Logger: cfg.Logger, StreamPoll: cfg.StreamPoll})
	s := &Server{URL: "http://" + ln.Addr().String(), APIKey: cfg.APIKey, JWT: JWTFor(cfg.APIKey), Engine: e,
		served: simhttp.Serve(ctx, ln, h, cfg.Logger, e.Run)}
	if cfg.Logger != nil {
		cfg.Logger.Info("archastro simulator listening", "url", s.URL, "scenario", e.Scenario().String(), "seed", e.Seed())
	}
	return s, nil
}

// Close stops the server and the engine and waits for them; safe to call
// more than once.
func (s *Server) Close() error { return s.served.Close() }
