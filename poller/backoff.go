package poller

import (
	"math/rand/v2"
	"time"

	"github.com/agentop/agentop/api"
)

// backoff is an exponential delay with full jitter that honours Retry-After.
type backoff struct {
	base, max time.Duration
	failures  int
	rnd       func() float64 // [0,1); replaced in tests
}

func newBackoff(base, max time.Duration) backoff {
	return backoff{base: base, max: max, rnd: rand.Float64}
}

// fail records a failure and returns how long to wait before the next try:
// base·2^(n-1), capped at max, jittered to [½d, d], and never less than the
// server's Retry-After.
func (b *backoff) fail(err error) time.Duration {
	b.failures++
	d := b.base
	for i := 1; i < b.failures && d < b.max; i++ {
		d *= 2
	}
	if d > b.max {
		d = b.max
	}
	d = d/2 + time.Duration(b.rnd()*float64(d/2))
	if ra := api.RetryAfterOf(err); ra > d {
		d = ra
	}
	return d
}

// ok records a success.
func (b *backoff) ok() { b.failures = 0 }

// cadence picks a polling interval between fast and slow: fast while things
// change (or right after an operator action), stepping towards slow after
// each quiet round.
type cadence struct {
	fast, slow time.Duration
	quiet      int       // consecutive rounds without change
	hurryUntil time.Time // fast until then (operator action)
}

// next returns the interval after a round that did (changed) or did not
// change anything.
func (c *cadence) next(now time.Time, changed bool) time.Duration {
	if changed {
		c.quiet = 0
	} else {
		c.quiet++
	}
	if now.Before(c.hurryUntil) || c.quiet == 0 {
		return c.fast
	}
	// fast, 2·fast, 3·fast, … up to slow.
	d := c.fast * time.Duration(c.quiet+1)
	if d > c.slow {
		d = c.slow
	}
	return d
}

// hurry keeps the cadence fast for a while.
func (c *cadence) hurry(now time.Time, for_ time.Duration) {
	c.quiet = 0
	c.hurryUntil = now.Add(for_)
}

// stretch is the interval of a listing meant to run every interval and to
// take at most limit pages there: one of more pages comes round in
// proportion less often (its requests a minute stay those of limit pages),
// but never less often than every ceiling.
func stretch(every time.Duration, pages, limit int, ceiling time.Duration) time.Duration {
	if limit > 0 && pages > limit {
		every = every * time.Duration(pages) / time.Duration(limit)
	}
	return min(every, ceiling)
}
