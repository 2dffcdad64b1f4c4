package sim

import (
	"sync"
	"time"
)

// PausableClock is a Clock that can be stopped and started again: while it
// is stopped, time stands still for the engine (nothing comes due, nobody
// times out), and once started it carries on from where it stopped.
type PausableClock struct {
	mu     sync.Mutex
	base   Clock
	frozen bool
	at     time.Time     // the time it stopped at
	lag    time.Duration // total time spent stopped
}

// NewPausableClock returns a running clock over base (nil: the wall clock).
func NewPausableClock(base Clock) *PausableClock {
	if base == nil {
		base = SystemClock{}
	}
	return &PausableClock{base: base}
}

// Now returns the clock's time.
func (c *PausableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.at
	}
	return c.base.Now().Add(-c.lag)
}

// SetFrozen stops (true) or starts (false) the clock.
func (c *PausableClock) SetFrozen(frozen bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case frozen && !c.frozen:
		c.at = c.base.Now().Add(-c.lag)
	case !frozen && c.frozen:
		c.lag = c.base.Now().Sub(c.at)
	}
	c.frozen = frozen
}

// Frozen reports whether the clock is stopped.
func (c *PausableClock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
