package asteroidsim

import (
	"net/http"
	"time"

	"github.com/agentop/agentop/api/sim/simhttp"
)

// Faults make the simulator misbehave on purpose, per request: see
// simhttp.Faults. GET /api/v1/health never gets one.
type Faults = simhttp.Faults

// Fault defaults.
const (
	DefaultRetryAfter = simhttp.DefaultRetryAfter
	DefaultHangFor    = simhttp.DefaultHangFor
)

// ParseLatency reads --latency: see simhttp.ParseLatency.
func ParseLatency(s string) (latency, jitter time.Duration, err error) {
	return simhttp.ParseLatency(s)
}

// newFaulter puts f in front of next, with Asteroid's error shapes; ctl
// (when not nil) may switch the faults off.
func newFaulter(f Faults, seed int64, ctl *Control, next http.Handler) http.Handler {
	exempt := func(r *http.Request) bool { return isHealth(r) || !ctl.faultsOn() }
	return simhttp.NewFaulter(f, seed, simhttp.FaultOptions{WriteError: writeError, Exempt: exempt, MaxBody: maxBody}, next)
}
