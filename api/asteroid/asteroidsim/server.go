package asteroidsim

import (
	"context"
	"log/slog"

	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// DefaultAddr listens on a random loopback port.
const DefaultAddr = "127.0.0.1:0"

// Config sets up a simulator server. The zero value is the demo fleet on a
// random loopback port with the seed's demo key.
type Config struct {
	// Addr is where to listen (--addr); DefaultAddr when empty.
	Addr string
	// AllowRemote permits an address that is not loopback. The simulator's
	// demo key is well known, so it refuses one unless told otherwise, and
	// even then unless APIKey is a key of the user's own.
	AllowRemote bool
	// APIKey is the key clients must send (--api-key); DemoKey(Sim.Seed)
	// when empty.
	APIKey string
	// Shape is the activity payload generation (--activity-shape).
	Shape wire.PayloadShape
	// Faults to inject (--error-rate, --rate-limit-rate, --latency,
	// --timeout-rate, --malformed-rate, --reset-rate).
	Faults Faults
	// Sim configures the engine (--seed, --speed, --scenario, --start-rate).
	Sim sim.Config
	// Logger receives the start-up record and one debug record per request;
	// nil discards.
	Logger *slog.Logger
}

// Server is a running simulator. Its URL is the origin, e.g.
// http://127.0.0.1:53121 (the client appends /agents/v2 and /api/v1).
type Server struct {
	*simhttp.Server
	APIKey string
	Engine *sim.Engine
}

// Start builds the engine, listens and serves in the background until ctx
// is done or Close is called.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.Faults.Validate(); err != nil {
		return nil, err
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e, err := sim.New(cfg.Sim)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" {
		cfg.APIKey = DemoKey(cfg.Sim.Seed)
	}
	ln, err := simhttp.Listen(cfg.Addr, cfg.AllowRemote, cfg.APIKey == DemoKey(cfg.Sim.Seed))
	if err != nil {
		return nil, err
	}
	h := NewHandler(e, HandlerOptions{APIKey: cfg.APIKey, Shape: cfg.Shape, Faults: cfg.Faults, Logger: log})
	s := &Server{Server: simhttp.Serve(ctx, ln, h, log, e.Run), APIKey: cfg.APIKey, Engine: e}
	log.Info("simulator listening", "url", s.URL, "scenario", e.Scenario().String(), "seed", e.Seed())
	return s, nil
}

// ParseScenario reads --scenario: "demo", "idle", "busy 20", "busy=20",
// "flood 50" … It is sim.ParseScenario, here so the CLI needs only this
// package.
func ParseScenario(s string) (sim.Scenario, error) { return sim.ParseScenario(s) }
