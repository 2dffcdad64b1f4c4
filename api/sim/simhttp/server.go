package simhttp

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/agentop/agentop/api/sim"
)

// Listen opens addr, refusing a non-loopback one unless allowRemote, and
// then only when the façade's key is not the well-known demo key (demoKey).
func Listen(addr string, allowRemote, demoKey bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	var refusal string
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		switch {
		case !allowRemote:
			refusal = "its API key is well known (allow it explicitly to serve other machines)"
		case demoKey:
			refusal = "the demo key is well known: set an API key of your own (--api-key) to serve other machines"
		}
	}
	if refusal != "" {
		_ = ln.Close()
		return nil, fmt.Errorf("simulator: refusing to listen on %s, which is not a loopback address: %s", addr, refusal)
	}
	return ln, nil
}

// Logged logs every request at debug level: method, path, status, time taken.
func Logged(log *slog.Logger, next http.Handler) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.Debug("sim request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "took", time.Since(start))
	})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (for resets).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Facade is what every façade's Start asks for before it serves: where to
// listen, the key clients must send, the faults and the engine's settings.
type Facade struct {
	Addr        string // HOST:PORT; a random loopback port when ""
	AllowRemote bool
	APIKey      string // "" for the seed's demo key
	Faults      Faults
	Sim         sim.Config
	// DemoKey is the façade's well-known key for a seed.
	DemoKey func(seed int64) string
}

// Setup does what every façade's Start does first: it checks the faults,
// builds the engine, picks the key (the seed's demo key when none is given)
// and listens — on loopback only unless allowed, and never elsewhere with
// the well-known demo key.
func Setup(f Facade) (*sim.Engine, net.Listener, string, error) {
	if err := f.Faults.Validate(); err != nil {
		return nil, nil, "", err
	}
	addr := f.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	e, err := sim.New(f.Sim)
	if err != nil {
		return nil, nil, "", err
	}
	demo := f.DemoKey(f.Sim.Seed)
	key := f.APIKey
	if key == "" {
		key = demo
	}
	ln, err := Listen(addr, f.AllowRemote, key == demo)
	if err != nil {
		return nil, nil, "", err
	}
	return e, ln, key, nil
}
