package poller

import (
	"context"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// Issue 15: against the simulator with every kind of fault (20 % 5xx, 5 %
// 429, 5 % hung requests, 2 % truncated bodies, 2 % resets), a busy fleet
// changing fast, the poller's picture converges to the simulator's truth
// within two sweeps once the faults stop (and the fleet holds still).
func TestConvergesToTheSimulatorsTruthAfterFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the simulator for seconds")
	}
	ctl := asteroidsim.NewControl(nil)
	e, err := sim.New(sim.Config{Seed: 7, Clock: ctl.Clock(), Speed: 20, PrivateKey: loadKey(),
		Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: 60}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	stats := simhttp.NewStats()
	srv := httptest.NewServer(asteroidsim.NewHandler(e, asteroidsim.HandlerOptions{Stats: stats, Control: ctl,
		Faults: asteroidsim.Faults{ErrorRate: 0.2, RateLimitRate: 0.05, TimeoutRate: 0.05, HangFor: time.Second,
			MalformedRate: 0.02, ResetRate: 0.02}}))
	defer srv.Close()
	client, err := asteroid.New(asteroid.Options{BaseURL: srv.URL, APIKey: asteroidsim.DemoKey(7)})
	require.NoError(t, err)

	cfg := scaledConfig(client, 20)
	cfg.PollTimeout = 200 * time.Millisecond
	p := New(cfg)
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(ctx) }()
	var states []ConnState
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for ev := range p.Events() {
			if c, ok := ev.(ConnectionEvent); ok {
				states = append(states, c.State)
			}
		}
	}()
	time.Sleep(3 * time.Second) // an hour of the fleet at speed 20, under faults

	ctl.SetFaults(false)
	ctl.SetFrozen(true)
	probes := func() int64 {
		var n int64 // the waiting listing: questions and approvals
		for k, v := range stats.Snapshot().Requests {
			if strings.HasPrefix(k, "GET /agents/v2/executions?") && strings.HasSuffix(k, "status=awaiting_confirmation%2Cpaused_by_agent") {
				n += v
			}
		}
		return n
	}
	// The round in flight, then two whole sweeps (and a spare, for a loaded
	// machine): by then NEEDS YOU and the inbox are the truth.
	truth, err := e.Executions(api.ExecutionQuery{Statuses: waitingStatuses, PageSize: 100})
	require.NoError(t, err)
	var want []string
	asking := 0
	for _, x := range truth.Items {
		want = append(want, x.ID)
		if x.Status == api.StatusPausedByAgent {
			asking++
		}
	}
	sort.Strings(want)
	start := probes()
	var got []string
	var snap *Snapshot
	for probes() <= start+4 {
		snap = p.Snapshot()
		got = got[:0]
		for _, w := range snap.Waiting {
			got = append(got, w.ExecutionID)
		}
		sort.Strings(got)
		if slices.Equal(want, got) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	assert.Equal(t, want, got, "NEEDS YOU is the truth within two sweeps of the faults stopping")
	assert.Equal(t, asking, snap.Counts[api.StatusPausedByAgent])
	cancel()
	<-done
	<-collected
	assert.Contains(t, states, Degraded, "the header said so while requests failed")
}
