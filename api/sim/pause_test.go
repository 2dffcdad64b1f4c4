package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAPausableClockStandsStillAndCarriesOn(t *testing.T) {
	base := NewManualClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	c := NewPausableClock(base)
	base.Advance(time.Minute)
	assert.Equal(t, base.Now(), c.Now())
	c.SetFrozen(true)
	at := c.Now()
	base.Advance(time.Hour)
	assert.Equal(t, at, c.Now(), "stopped")
	assert.True(t, c.Frozen())
	c.SetFrozen(false)
	assert.Equal(t, at, c.Now(), "starts where it stopped")
	base.Advance(time.Second)
	assert.Equal(t, at.Add(time.Second), c.Now())
	c.SetFrozen(true)
	base.Advance(time.Hour)
	c.SetFrozen(false)
	assert.Equal(t, at.Add(time.Second), c.Now(), "lag adds up")
}
