package sim

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestCanTransitionEveryPair(t *testing.T) {
	// The documented state machine (reference §3.1), written out in full.
	legal := map[[2]api.Status]bool{
		{api.StatusStarting, api.StatusRunning}:               true,
		{api.StatusStarting, api.StatusFailed}:                true,
		{api.StatusStarting, api.StatusCancelled}:             true,
		{api.StatusStarting, api.StatusCompleted}:             true,
		{api.StatusRunning, api.StatusPaused}:                 true,
		{api.StatusRunning, api.StatusPausedByAgent}:          true,
		{api.StatusRunning, api.StatusCancelled}:              true,
		{api.StatusRunning, api.StatusAwaitingConfirmation}:   true,
		{api.StatusRunning, api.StatusCompleted}:              true,
		{api.StatusRunning, api.StatusFailed}:                 true,
		{api.StatusPaused, api.StatusCancelled}:               true,
		{api.StatusPaused, api.StatusRunning}:                 true,
		{api.StatusPausedByAgent, api.StatusCancelled}:        true,
		{api.StatusPausedByAgent, api.StatusRunning}:          true,
		{api.StatusAwaitingConfirmation, api.StatusCompleted}: true,
		{api.StatusAwaitingConfirmation, api.StatusCancelled}: true,
		{api.StatusAwaitingConfirmation, api.StatusFailed}:    true,
		{api.StatusAwaitingConfirmation, api.StatusRunning}:   true,
	}
	for _, from := range api.KnownStatuses {
		for _, to := range api.KnownStatuses {
			assert.Equal(t, legal[[2]api.Status{from, to}], CanTransition(from, to), "%s → %s", from, to)
		}
	}
}

// operatorLegal lists the operator moves the engine accepts.
var operatorLegal = map[[2]api.Status]bool{
	{api.StatusStarting, api.StatusCancelled}:             true,
	{api.StatusRunning, api.StatusPaused}:                 true,
	{api.StatusRunning, api.StatusCancelled}:              true,
	{api.StatusPaused, api.StatusRunning}:                 true,
	{api.StatusPaused, api.StatusCancelled}:               true,
	{api.StatusPausedByAgent, api.StatusCancelled}:        true,
	{api.StatusAwaitingConfirmation, api.StatusRunning}:   true,
	{api.StatusAwaitingConfirmation, api.StatusCancelled}: true,
}

// reach creates an execution in the given status, through the engine's
// own moves.
func reach(t *testing.T, e *Engine, clk *ManualClock, s api.Status) string {
	t.Helper()
	short := func(sc *script) {
		sc.step(click(`"Go"`))
		sc.finish(resultSpec{outcome: "success", reasoning: "done"})
	}
	var id string
	switch s {
	case api.StatusStarting:
		id = scripted(t, e, short)
	case api.StatusRunning, api.StatusPaused, api.StatusCancelled:
		id = scripted(t, e, short)
		clk.Advance(time.Second)
		require.Equal(t, api.StatusRunning, status(t, e, id))
		if s != api.StatusRunning {
			require.NoError(t, e.SetStatus(id, s))
		}
	case api.StatusPausedByAgent, api.StatusFailed:
		id = scripted(t, e, func(sc *script) { sc.ask(1, "Which account?", "A") })
		clk.Advance(time.Minute)
		if s == api.StatusFailed {
			clk.Advance(DefaultHumanTimeout)
		}
	case api.StatusAwaitingConfirmation:
		id = scripted(t, e, func(sc *script) { sc.confirm(1, "Costs money.", "Pay €10?") })
		clk.Advance(time.Minute)
	case api.StatusCompleted:
		id = scripted(t, e, short)
		clk.Advance(time.Minute)
	}
	require.Equal(t, s, status(t, e, id))
	return id
}

func TestOperatorActionsFromEveryStatus(t *testing.T) {
	e, clk := quiet(t)
	for _, from := range api.KnownStatuses {
		for _, to := range api.KnownStatuses {
			t.Run(fmt.Sprintf("%s→%s", from, to), func(t *testing.T) {
				id := reach(t, e, clk, from)
				before := len(feed(t, e, id))
				err := e.SetStatus(id, to)
				acts := feed(t, e, id)
				if !operatorLegal[[2]api.Status{from, to}] {
					require.Error(t, err)
					assert.True(t, errors.Is(err, api.ErrInvalid), "want KindInvalid, got %v", err)
					assert.Equal(t, from, status(t, e, id), "an illegal move changes nothing")
					assert.Len(t, acts, before)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, to, status(t, e, id))
				last := acts[len(acts)-1]
				require.Equal(t, api.KindStatusChanged, last.Kind)
				assert.Equal(t, to, last.Change.Status)
				if to == api.StatusCancelled {
					assert.Equal(t, "user_requested", last.Change.Reason)
				}
			})
		}
	}
}

func TestCheckOperatorTransitionExplainsPausedByAgent(t *testing.T) {
	err := CheckOperatorTransition(api.StatusPausedByAgent, api.StatusRunning)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "send a user message")
}

func TestEngineMovesFollowTheStateMachine(t *testing.T) {
	t.Parallel()
	e, clk := newEngine(t, Config{Seed: 7, Scenario: Scenario{Kind: ScenarioBusy, N: 15}, StartRate: 6})
	for range 30 {
		clk.Advance(30 * time.Second)
	}
	p, err := e.Executions(api.ExecutionQuery{PageSize: MaxPageSize})
	require.NoError(t, err)
	seen := map[api.Status]bool{}
	for page := 1; page <= (p.Total+MaxPageSize-1)/MaxPageSize; page++ {
		p, err := e.Executions(api.ExecutionQuery{Page: page, PageSize: MaxPageSize})
		require.NoError(t, err)
		for _, x := range p.Items {
			from := api.StatusStarting
			for _, to := range statuses(feed(t, e, x.ID)) {
				ok := CanTransition(from, to) || to == api.StatusFailed && canTimeOut(from)
				assert.True(t, ok, "%s: %s → %s", x.ID, from, to)
				seen[to], from = true, to
			}
			assert.Equal(t, from, x.Status)
			if x.Status.IsTerminal() {
				assert.False(t, x.TerminalAt.IsZero())
				assert.Positive(t, x.Duration())
			}
		}
	}
	for _, s := range []api.Status{api.StatusRunning, api.StatusPausedByAgent, api.StatusCompleted, api.StatusFailed} {
		assert.True(t, seen[s], "the fleet never reached %s", s)
	}
}
