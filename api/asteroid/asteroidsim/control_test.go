package asteroidsim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// With Control, /sim/control switches every fault off at run time and
// freezes the clock: the chaos soak's way of fixing the truth a client must
// converge to.
func TestControlSwitchesFaultsOffAndFreezesTheClock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, Config{Control: true, Faults: Faults{ErrorRate: 1},
		Sim: sim.Config{Seed: 4, PrivateKey: testKey(), Speed: 50}})
	require.NoError(t, err)
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set(wire.APIKeyHeader, srv.APIKey)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, _ := do("GET", wire.V2Prefix+"/agents", "")
	assert.GreaterOrEqual(t, code, 500, "faults on")

	code, body := do("POST", ControlPath, `{"faults": false, "frozen": true}`)
	require.Equal(t, http.StatusOK, code, body)
	var st ControlState
	require.NoError(t, json.Unmarshal([]byte(body), &st))
	assert.False(t, *st.Faults)
	assert.True(t, *st.Frozen)
	code, _ = do("GET", wire.V2Prefix+"/agents", "")
	assert.Equal(t, http.StatusOK, code, "faults off")

	_, before := do("GET", wire.V2Prefix+"/executions?page=1&pageSize=100", "")
	time.Sleep(300 * time.Millisecond) // 15 s of simulated time at 50×, were it running
	_, after := do("GET", wire.V2Prefix+"/executions?page=1&pageSize=100", "")
	assert.Equal(t, before, after, "a frozen fleet does not move")

	code, _ = do("POST", ControlPath, `{"faults": true}`)
	require.Equal(t, http.StatusOK, code)
	code, _ = do("GET", wire.V2Prefix+"/agents", "")
	assert.GreaterOrEqual(t, code, 500, "faults on again")

	req, _ := http.NewRequest("POST", srv.URL+ControlPath, strings.NewReader(`{"faults": false}`))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the key is needed")
}
