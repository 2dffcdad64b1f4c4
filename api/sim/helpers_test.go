package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// testKey is generated once for the whole package's tests.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

var epoch = time.Date(2025, 12, 10, 9, 0, 0, 0, time.UTC)

// newEngine builds an engine on a manual clock at epoch.
func newEngine(t *testing.T, cfg Config) (*Engine, *ManualClock) {
	t.Helper()
	clk := NewManualClock(epoch)
	cfg.Clock, cfg.PrivateKey = clk, testKey()
	e, err := New(cfg)
	require.NoError(t, err)
	return e, clk
}

// quiet is an idle fleet with no executions starting on their own.
func quiet(t *testing.T) (*Engine, *ManualClock) {
	return newEngine(t, Config{Scenario: Scenario{Kind: ScenarioIdle}})
}

// scripted starts an execution of the first agent whose scenario is
// replaced by the one write builds (after the usual "running" move).
func scripted(t *testing.T, e *Engine, write func(s *script)) string {
	t.Helper()
	x, err := e.Execute(e.agents[0].ID, ExecuteRequest{})
	require.NoError(t, err)
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.runs[x.ID]
	s := &script{r: e.rng, agentID: r.x.AgentID, vars: r.vars}
	s.add(time.Second, Activity{Kind: api.KindStatusChanged, Change: &StatusChange{Status: api.StatusRunning}})
	write(s)
	r.moves = s.moves
	r.next.cancel()
	e.scheduleNext(r, e.now)
	return x.ID
}

// status returns an execution's status.
func status(t *testing.T, e *Engine, id string) api.Status {
	t.Helper()
	x, err := e.Execution(id)
	require.NoError(t, err)
	return x.Status
}

// feed returns an execution's activities, oldest first.
func feed(t *testing.T, e *Engine, id string) []Activity {
	t.Helper()
	acts, err := e.Activities(id, api.ActivityQuery{})
	require.NoError(t, err)
	return acts
}

// statuses lists the statuses an execution's feed went through.
func statuses(acts []Activity) []api.Status {
	var out []api.Status
	for _, a := range acts {
		if a.Kind == api.KindStatusChanged {
			out = append(out, a.Change.Status)
		}
	}
	return out
}

// waiting returns the id of an execution in the given status.
func find(t *testing.T, e *Engine, s api.Status) string {
	t.Helper()
	p, err := e.Executions(api.ExecutionQuery{Statuses: []api.Status{s}, PageSize: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items, "no execution is %s", s)
	return p.Items[0].ID
}
