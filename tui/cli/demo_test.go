package cli

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/api/sim"
)

// runningSim serves an agentop sim of the default platform, as `agentop sim`
// does, on a random loopback port, and returns its address.
func runningSim(t *testing.T, seed int64) (string, *platform.Simulator) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, err := platform.MustLookup(platform.Default).Simulate(ctx, platform.SimConfig{
		Addr: "127.0.0.1:0",
		Sim:  sim.Config{Seed: seed, Scenario: sim.Scenario{Kind: sim.ScenarioIdle}, StartRate: -1},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return strings.TrimPrefix(srv.URL, "http://"), srv
}

func TestDemoSharesARunningSim(t *testing.T) {
	addr, srv := runningSim(t, 0)
	i := inv{simAddr: addr}
	page, err := srv.Engine.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}, PageSize: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.Items)
	waiting := page.Items[0]

	// A reply sent by one --demo command is there for the next one.
	r := i.run(t, "--demo", "reply", waiting.ID[:8], "Use the payroll account")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "agentop: "+demoNotice+": the agentop sim at http://"+addr+", shared by every --demo command while it runs\n", r.err)
	r = i.run(t, "--demo", "activities", waiting.ID[:8], "-o", "json")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.out, "Use the payroll account")
	acts, err := srv.Engine.Activities(waiting.ID, api.ActivityQuery{Order: api.SortDesc, Limit: 5})
	require.NoError(t, err)
	assert.True(t, hasMessage(acts, "Use the payroll account"))
}

func TestDemoStartsAFreshFleetOtherwise(t *testing.T) {
	fresh := "agentop: " + demoNotice + ": " + freshNotice + "\n"

	// Nothing listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := ln.Addr().String()
	require.NoError(t, ln.Close())
	r := inv{simAddr: closed}.run(t, "--demo", "agents", "list")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, fresh, r.err)

	// Something else listening: no health check.
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	r = inv{simAddr: strings.TrimPrefix(other.URL, "http://")}.run(t, "--demo", "agents", "list")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, fresh, r.err)

	// An agentop sim of another seed: its key is not the default demo key.
	addr, srv := runningSim(t, 7)
	before, err := srv.Engine.Executions(api.ExecutionQuery{PageSize: 1})
	require.NoError(t, err)
	r = inv{simAddr: addr}.run(t, "--demo", "execute", "Permit Status Tracker")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "agentop: http://"+addr+" answers but not to the default seed's demo key (another --seed or --api-key): not sharing it\n"+fresh, r.err)
	after, err := srv.Engine.Executions(api.ExecutionQuery{PageSize: 1})
	require.NoError(t, err)
	assert.Equal(t, before.Total, after.Total, "the other fleet is left alone")
}
