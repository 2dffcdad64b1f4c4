// Package simhttp is the HTTP plumbing every simulator façade shares: fault
// injection in front of a handler, a loopback-only listener, and a request
// log. A façade brings its own routes and its platform's error shape.
package simhttp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults make the simulator misbehave on purpose, per request. Rates are
// fractions of requests in [0, 1]; all are off in the zero value. Which
// request gets which fault follows the seed: the same seed and the same
// sequence of requests give the same faults. GET /api/v1/health never gets
// one.
type Faults struct {
	// ErrorRate answers requests with a 5xx (500, 502 or 503) instead of
	// handling them (--error-rate).
	ErrorRate float64
	// RateLimitRate answers requests 429 with a Retry-After header
	// (--rate-limit-rate).
	RateLimitRate float64
	// RetryAfter is the Retry-After sent with a 429, in whole seconds; 0
	// means 1s.
	RetryAfter time.Duration
	// Latency is added to every request (--latency), plus up to Jitter more,
	// drawn uniformly (--latency 200ms±50ms sets both).
	Latency time.Duration
	Jitter  time.Duration
	// TimeoutRate makes requests hang until the client gives up or HangFor
	// passes, then answer 504 (--timeout-rate).
	TimeoutRate float64
	// HangFor caps a hung request; 0 means 2 minutes.
	HangFor time.Duration
	// MalformedRate cuts successful (2xx) response bodies short, leaving
	// truncated JSON (--malformed-rate).
	MalformedRate float64
	// ResetRate drops the connection without an answer (--reset-rate).
	ResetRate float64
}

// Fault defaults.
const (
	DefaultRetryAfter = time.Second
	DefaultHangFor    = 2 * time.Minute
)

// Validate checks the rates are fractions and the durations not negative.
func (f Faults) Validate() error {
	for name, r := range map[string]float64{"error rate": f.ErrorRate, "rate-limit rate": f.RateLimitRate,
		"timeout rate": f.TimeoutRate, "malformed rate": f.MalformedRate, "reset rate": f.ResetRate} {
		if r < 0 || r > 1 {
			return fmt.Errorf("%s must be between 0 and 1, not %g", name, r)
		}
	}
	if f.RetryAfter < 0 || f.Latency < 0 || f.Jitter < 0 || f.HangFor < 0 {
		return errors.New("fault durations must not be negative")
	}
	return nil
}

// ParseLatency reads --latency: a duration ("200ms"), optionally with a
// jitter ("200ms±50ms" or "200ms+-50ms").
func ParseLatency(s string) (latency, jitter time.Duration, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, nil
	}
	base, extra, found := strings.Cut(strings.Replace(s, "+-", "±", 1), "±")
	if latency, err = time.ParseDuration(strings.TrimSpace(base)); err != nil || latency < 0 {
		return 0, 0, fmt.Errorf("latency %q: want a duration like 200ms or 200ms±50ms", s)
	}
	if found {
		if jitter, err = time.ParseDuration(strings.TrimSpace(extra)); err != nil || jitter < 0 {
			return 0, 0, fmt.Errorf("latency %q: want a duration like 200ms or 200ms±50ms", s)
		}
	}
	return latency, jitter, nil
}

// fault is what happens to one request.
type fault int

const (
	faultNone fault = iota
	faultReset
	faultHang
	faultError
	faultRateLimit
	faultMalformed
)

// ErrorWriter writes an error response in a platform's own shape.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, code int, msg string)

// FaultOptions tell NewFaulter how to speak the platform's language.
type FaultOptions struct {
	// WriteError writes the simulated errors (5xx, 429, 504).
	WriteError ErrorWriter
	// Exempt requests never get a fault (a health check); nil exempts none.
	Exempt func(*http.Request) bool
	// MaxBody bounds what a hung request reads of its body; 1 MiB when 0.
	MaxBody int64
}

// faulter injects faults in front of the API.
type faulter struct {
	f    Faults
	opts FaultOptions
	next http.Handler
	mu   sync.Mutex
	rng  *rand.Rand
}

// NewFaulter returns next behind the faults f, drawn from seed. With no
// faults it returns next itself.
func NewFaulter(f Faults, seed int64, opts FaultOptions, next http.Handler) http.Handler {
	if f == (Faults{}) {
		return next
	}
	if opts.Exempt == nil {
		opts.Exempt = func(*http.Request) bool { return false }
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	if f.RetryAfter <= 0 {
		f.RetryAfter = DefaultRetryAfter
	}
	if f.HangFor <= 0 {
		f.HangFor = DefaultHangFor
	}
	return &faulter{f: f, opts: opts, next: next, rng: rand.New(rand.NewPCG(uint64(seed), 0xfa017))}
}

// draw decides one request's fault, its extra latency and, for a 5xx, the
// status. Every draw is made every time, so requests stay in step with the
// seed whatever the rates.
func (fl *faulter) draw() (fault, time.Duration, int) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	delay := fl.f.Latency
	if fl.f.Jitter > 0 {
		delay += time.Duration(fl.rng.Int64N(int64(fl.f.Jitter) + 1))
	}
	status := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[fl.rng.IntN(3)]
	got := faultNone
	for _, c := range []struct {
		rate float64
		f    fault
	}{
		{fl.f.ResetRate, faultReset}, {fl.f.TimeoutRate, faultHang}, {fl.f.ErrorRate, faultError},
		{fl.f.RateLimitRate, faultRateLimit}, {fl.f.MalformedRate, faultMalformed},
	} {
		if fl.rng.Float64() < c.rate && got == faultNone {
			got = c.f
		}
	}
	return got, delay, status
}

func (fl *faulter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if fl.opts.Exempt(r) {
		fl.next.ServeHTTP(w, r)
		return
	}
	f, delay, status := fl.draw()
	if !sleep(r, delay) {
		return
	}
	switch f {
	case faultReset:
		reset(w)
	case faultHang:
		// Read the body first: only then does net/http watch the connection
		// and cancel the request when the client gives up.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, fl.opts.MaxBody))
		if sleep(r, fl.f.HangFor) {
			fl.opts.WriteError(w, r, http.StatusGatewayTimeout, "Gateway timeout (simulated).")
		}
	case faultError:
		fl.opts.WriteError(w, r, status, http.StatusText(status)+" (simulated).")
	case faultRateLimit:
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(fl.f.RetryAfter.Round(time.Second).Seconds()))))
		fl.opts.WriteError(w, r, http.StatusTooManyRequests, "Too many requests (simulated); retry later.")
	case faultMalformed:
		truncate(w, r, fl.next)
	default:
		fl.next.ServeHTTP(w, r)
	}
}

// sleep waits d, or until the request is abandoned (false).
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// reset closes the connection under the request with a TCP RST, so the
// client sees "connection reset by peer" and no response at all.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// truncate serves the request into a buffer and, for a 2xx, sends only the
// first part of the body (with a matching Content-Length, so the client
// reads a complete response whose JSON is cut off).
func truncate(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status/100 == 2 && len(body) > 1 {
		body = body[:len(body)/2]
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// recorder is a ResponseWriter that keeps the response.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.status = code }
