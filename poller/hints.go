package poller

import (
	"time"

	"github.com/agentop/agentop/api"
)

// applyHints clamps the cadences and sizes to what the platform says it
// takes (api.Hinter): never sweep faster than MinSweep, never tail faster
// than MinTail, pages no larger than MaxPageSize, no more requests in
// flight than MaxInFlight. A platform that asks for slow sweeps also gets a
// poll deadline of one sweep (its pages take seconds, and one listing may be
// several), and data is stale only after three slow sweeps.
func (c *Config) applyHints(h api.PollHints) {
	atLeast := func(v *time.Duration, d time.Duration) {
		if d > 0 && *v < d {
			*v = d
		}
	}
	for _, v := range []*time.Duration{&c.FastSweep, &c.SlowSweep, &c.FullSweep, &c.TerminalSweep, &c.NudgeFull, &c.PollTimeout} {
		atLeast(v, h.MinSweep)
	}
	atLeast(&c.StaleAfter, 3*c.SlowSweep)
	atLeast(&c.FastTail, h.MinTail)
	atLeast(&c.SlowTail, h.MinTail)
	if h.MaxPageSize > 0 {
		c.PageSize = min(c.PageSize, h.MaxPageSize)
	}
	if h.MaxInFlight > 0 {
		c.ListConcurrency = min(c.ListConcurrency, h.MaxInFlight)
	}
}

// errPartialListing is the partial failure of a listing the platform
// marked Capped: the sweep goes on, degraded, and says why.
var errPartialListing = &api.Error{Kind: api.KindUnknown, Op: "list executions",
	Message: "the platform listed only part of the executions (some could not be read, or there were too many): what is shown may be incomplete"}
