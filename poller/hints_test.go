package poller

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/api"
)

// A platform's hints slow the poller down to what it takes, and never
// speed it up.
func TestHintsClampTheCadences(t *testing.T) {
	var c Config
	c.defaults()
	c.applyHints(api.PollHints{MinSweep: 10 * time.Second, MinTail: 5 * time.Second, MaxPageSize: 50, MaxInFlight: 2})
	assert.Equal(t, 10*time.Second, c.FastSweep)
	assert.Equal(t, 10*time.Second, c.SlowSweep)
	assert.Equal(t, 45*time.Second, c.FullSweep, "already slower: kept")
	assert.Equal(t, 10*time.Second, c.PollTimeout)
	assert.Equal(t, 30*time.Second, c.StaleAfter)
	assert.Equal(t, 5*time.Second, c.FastTail)
	assert.Equal(t, 50, c.PageSize)
	assert.Equal(t, 2, c.ListConcurrency)

	var d Config
	d.defaults()
	before := d
	d.applyHints(api.PollHints{})
	assert.Equal(t, before.FastSweep, d.FastSweep, "no hints: the defaults")
	assert.Equal(t, before.PageSize, d.PageSize)
}
