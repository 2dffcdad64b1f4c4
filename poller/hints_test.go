package poller

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/api"
)

// A platform that asks for slow sweeps (Prefactor) gets no faster safety
// nets and a poll deadline of one sweep; slower defaults are kept.
func TestSlowSweepHintsStretchThePollDeadline(t *testing.T) {
	c := Config{Backend: hinted{newFake(), api.PollHints{MinSweep: 10 * time.Second}}}
	c.defaults()
	c.applyHints(api.HintsOf(c.Backend))
	assert.Equal(t, 10*time.Second, c.PollTimeout)
	assert.Equal(t, 10*time.Second, c.NudgeFull)
	assert.Equal(t, 15*time.Second, c.FullSweep, "already slower: kept")

	d := Config{Backend: newFake()}
	d.defaults()
	d.applyHints(api.HintsOf(d.Backend))
	assert.Equal(t, 5*time.Second, d.PollTimeout, "no hints: the default")
}
