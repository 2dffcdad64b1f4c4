package moderatelysim

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/moderately"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

var epoch = time.Date(2025, 12, 10, 9, 0, 0, 0, time.UTC)

// fixture is the façade on a manual clock and a client of it.
type fixture struct {
	srv  *httptest.Server
	e    *sim.Engine
	clk  *sim.ManualClock
	key  string
	team string
	c    *moderately.Client
}

func newFixture(t *testing.T, faults simhttp.Faults) *fixture {
	t.Helper()
	clk := sim.NewManualClock(epoch)
	e, err := sim.New(sim.Config{Clock: clk, StartRate: -1, AutoAnswer: true, Seed: 7, PrivateKey: testKey()})
	require.NoError(t, err)
	f := &fixture{e: e, clk: clk, key: DemoKey(7), team: TeamID(7)}
	f.srv = httptest.NewServer(NewHandler(e, HandlerOptions{APIKey: f.key, TeamID: f.team, Faults: faults}))
	t.Cleanup(f.srv.Close)
	f.c, err = moderately.New(moderately.Options{BaseURL: f.srv.URL, APIKey: f.key, TeamID: f.team})
	require.NoError(t, err)
	return f
}
