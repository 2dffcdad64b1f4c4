package asteroidsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

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
	// Webhook, when set, is a loopback URL the simulator POSTs execution
	// events to (--webhook; see ParseWebhook and WebhookEvent).
	Webhook string
	// Control serves ControlPath (--control): faults off and on, the clock
	// frozen and running, at run time.
	Control bool
}

// Server is a running simulator.
type Server struct {
	URL    string // origin, e.g. http://127.0.0.1:53121 (the client appends /agents/v2 and /api/v1)
	APIKey string
	Engine *sim.Engine
	// FilesURL is the origin of the file server download URLs point at: the
	// same host as URL on a port of its own, with no API key needed.
	FilesURL string
	// Stats counts the requests served (also at GET URL+/sim/stats).
	Stats *simhttp.Stats

	srv    *http.Server
	files  *http.Server
	hook   func() // waits for the webhook sender; nil without one
	stop   context.CancelFunc
	done   chan struct{}
	once   sync.Once
	closed error
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
	var hookURL *url.URL
	if cfg.Webhook != "" {
		u, err := ParseWebhook(cfg.Webhook)
		if err != nil {
			return nil, err
		}
		hookURL = u
	}
	var ctl *Control
	if cfg.Control {
		ctl = NewControl(cfg.Sim.Clock)
		cfg.Sim.Clock = ctl.Clock()
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
	fln, err := net.Listen("tcp", net.JoinHostPort(ln.Addr().(*net.TCPAddr).IP.String(), "0"))
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("simulator: the file server: %w", err)
	}
	ctx, stop := context.WithCancel(ctx)
	base := func(net.Listener) context.Context { return ctx }
	stats := simhttp.NewStats()
	s := &Server{
		URL: "http://" + ln.Addr().String(), FilesURL: "http://" + fln.Addr().String(), APIKey: cfg.APIKey, Engine: e,
		Stats: stats, stop: stop, done: make(chan struct{}),
	}
	s.srv = &http.Server{
		Handler: NewHandler(e, HandlerOptions{APIKey: cfg.APIKey, Shape: cfg.Shape, Faults: cfg.Faults, Logger: log,
			FilesURL: s.FilesURL, Stats: stats, Control: ctl}),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       base,
	}
	s.files = &http.Server{Handler: simhttp.Logged(log, NewFileHandler(e)), ReadHeaderTimeout: 10 * time.Second, BaseContext: base}
	if hookURL != nil {
		_, s.hook = startWebhook(ctx, e, hookURL, WebhookQueue, log)
	}
	go e.Run(ctx)
	var serving sync.WaitGroup
	for srv, l := range map[*http.Server]net.Listener{s.srv: ln, s.files: fln} {
		serving.Add(1)
		go func() {
			defer serving.Done()
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("simulator stopped", "err", err)
			}
		}()
	}
	go func() {
		serving.Wait()
		close(s.done)
	}()
	go func() {
		<-ctx.Done()
		_ = s.Close()
	}()
	log.Info("simulator listening", "url", s.URL, "files", s.FilesURL, "scenario", e.Scenario().String(), "seed", e.Seed())
	return s, nil
}

// Close stops the server and the engine, and waits for them. It is safe to
// call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.stop()
		s.closed = errors.Join(s.srv.Close(), s.files.Close())
		<-s.done
		if s.hook != nil {
			s.hook()
		}
	})
	return s.closed
}

// ParseScenario reads --scenario: "demo", "idle", "busy 20", "busy=20",
// "flood 50" … It is sim.ParseScenario, here so the CLI needs only this
// package.
func ParseScenario(s string) (sim.Scenario, error) { return sim.ParseScenario(s) }
