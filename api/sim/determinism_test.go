package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// state is everything observable about an engine except credential
// ciphertexts (RSA encryption is randomised on purpose).
type state struct {
	Agents     []Agent
	Executions []Execution
	Feeds      map[string][]Activity
	Profiles   []Profile
	Pools      []Pool
}

func observe(t *testing.T, e *Engine) state {
	t.Helper()
	var s state
	agents, err := e.Agents(api.AgentQuery{PageSize: MaxPageSize})
	require.NoError(t, err)
	s.Agents = agents.Items
	s.Feeds = map[string][]Activity{}
	for page := 1; ; page++ {
		p, err := e.Executions(api.ExecutionQuery{Page: page, PageSize: MaxPageSize})
		require.NoError(t, err)
		s.Executions = append(s.Executions, p.Items...)
		for _, x := range p.Items {
			s.Feeds[x.ID] = feed(t, e, x.ID)
		}
		if !p.HasMore() {
			break
		}
	}
	profiles, err := e.Profiles("")
	require.NoError(t, err)
	for _, p := range profiles {
		for i := range p.Credentials {
			p.Credentials[i].Data = ""
		}
		s.Profiles = append(s.Profiles, p)
	}
	pools, err := e.Pools(api.PoolQuery{})
	require.NoError(t, err)
	s.Pools = pools.Items
	return s
}

// drive advances the clock and acts the way an operator would, the same way
// every time.
func drive(t *testing.T, e *Engine, clk *ManualClock) {
	t.Helper()
	require.NoError(t, e.SendMessage(find(t, e, api.StatusPausedByAgent), "Use the payroll account"))
	_, err := e.Execute(e.agents[4].ID, ExecuteRequest{Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	for i := range 40 {
		clk.Advance(15 * time.Second)
		active, err := e.Executions(api.ExecutionQuery{Statuses: api.ActiveStatuses, PageSize: 1})
		require.NoError(t, err)
		if i%4 == 3 && len(active.Items) > 0 {
			require.NoError(t, e.SetStatus(active.Items[0].ID, api.StatusCancelled))
		}
	}
}

func TestSameSeedSameFleet(t *testing.T) {
	t.Parallel()
	run := func(seed int64) state {
		e, clk := newEngine(t, Config{Seed: seed, StartRate: 4})
		drive(t, e, clk)
		return observe(t, e)
	}
	a, b := run(42), run(42)
	require.Equal(t, len(a.Executions), len(b.Executions))
	assert.Equal(t, a, b)
	c := run(43)
	assert.NotEqual(t, a.Agents[0].ID, c.Agents[0].ID)
	assert.NotEqual(t, a.Executions, c.Executions)
}

func TestBackgroundRunDoesNotChangeTheOutcome(t *testing.T) {
	t.Parallel()
	// Catching up lazily or eagerly plays the same events in the same order.
	lazy, clk1 := newEngine(t, Config{Seed: 9})
	eager, clk2 := newEngine(t, Config{Seed: 9})
	for range 120 {
		clk1.Advance(5 * time.Second)
		clk2.Advance(5 * time.Second)
		eager.Agents(api.AgentQuery{}) //nolint:errcheck // only to catch up
	}
	assert.Equal(t, observe(t, lazy), observe(t, eager))
}
