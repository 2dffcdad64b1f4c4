package asteroidsim

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

func TestStartServesOnLoopbackUntilClosed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, Config{Sim: sim.Config{Seed: 4, PrivateKey: testKey(), Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	assert.Equal(t, DemoKey(4), srv.APIKey)
	require.NotNil(t, srv.Engine)

	req, _ := http.NewRequest(http.MethodGet, srv.URL+wire.V2Prefix+"/agents", nil)
	req.Header.Set(wire.APIKeyHeader, srv.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel() // the context ends the server
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "Close is idempotent")
	_, err = http.Get(srv.URL + wire.V1Prefix + "/health")
	assert.Error(t, err, "nothing listens any more")
}

func TestStartRefusesRemoteAddresses(t *testing.T) {
	cfg := Config{Addr: "0.0.0.0:0", Sim: sim.Config{PrivateKey: testKey(), Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}}
	_, err := Start(context.Background(), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "loopback")

	// Allowed, but not with the demo key anyone can compute.
	cfg.AllowRemote = true
	_, err = Start(context.Background(), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the demo key is well known: set an API key of your own (--api-key)")
	cfg.APIKey = DemoKey(cfg.Sim.Seed)
	_, err = Start(context.Background(), cfg)
	require.Error(t, err, "the demo key given explicitly is no better")

	cfg.APIKey = "custom-key"
	srv, err := Start(context.Background(), cfg)
	require.NoError(t, err)
	defer srv.Close()
	assert.Equal(t, "custom-key", srv.APIKey)

	_, err = Start(context.Background(), Config{Faults: Faults{ErrorRate: 2}})
	assert.Error(t, err)
}

func TestParseScenarioAndShape(t *testing.T) {
	sc, err := ParseScenario("busy=20")
	require.NoError(t, err)
	assert.Equal(t, sim.Scenario{Kind: sim.ScenarioBusy, N: 20}, sc)
	for in, want := range map[string]wire.PayloadShape{"": wire.ShapeFlat, "flat": wire.ShapeFlat, "Envelope": wire.ShapeEnvelope} {
		got, err := ParseShape(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err = ParseShape("nested")
	assert.Error(t, err)
}
