package asteroidsim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// idleWith serves an idle fleet with faults.
func idleWith(t *testing.T, faults Faults) *fixture {
	return newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{Faults: faults})
}

// send does a GET with the key through client, returning the error as is.
func (f *fixture) send(client *http.Client, path string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	require.NoError(f.t, err)
	req.Header.Set(wire.APIKeyHeader, f.key)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestFaultServerError(t *testing.T) {
	f := idleWith(t, Faults{ErrorRate: 1})
	seen := map[int]bool{}
	for range 20 {
		res := f.do(http.MethodGet, "/agents/v2/agents", nil)
		require.GreaterOrEqual(t, res.status, 500)
		seen[res.status] = true
		v2Error(t, res, res.status)
	}
	assert.Greater(t, len(seen), 1, "a mix of 5xx statuses")
	res := f.do(http.MethodGet, "/api/v1/agent-profiles", nil)
	require.GreaterOrEqual(t, res.status, 500)
	v1Error(t, res, res.status)
	assert.Equal(t, http.StatusOK, f.do(http.MethodGet, "/api/v1/health", nil).status, "health is never faulted")
}

// TestAuthenticationComesBeforeFaults: a request without the key gets its
// 401, not an injected fault.
func TestAuthenticationComesBeforeFaults(t *testing.T) {
	f := idleWith(t, Faults{ErrorRate: 1})
	for _, key := range []string{"", "wrong"} {
		req, err := http.NewRequest(http.MethodGet, f.srv.URL+"/agents/v2/agents", nil)
		require.NoError(t, err)
		if key != "" {
			req.Header.Set(wire.APIKeyHeader, key)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "key %q", key)
	}
	assert.GreaterOrEqual(t, f.do(http.MethodGet, "/agents/v2/agents", nil).status, 500, "with the key, the fault")
}

func TestFaultRateLimit(t *testing.T) {
	f := idleWith(t, Faults{RateLimitRate: 1, RetryAfter: 3 * time.Second})
	res := f.do(http.MethodGet, "/agents/v2/executions", nil)
	v2Error(t, res, http.StatusTooManyRequests)
	assert.Equal(t, "3", res.header.Get("Retry-After"))
}

func TestFaultLatency(t *testing.T) {
	f := idleWith(t, Faults{Latency: 120 * time.Millisecond, Jitter: 30 * time.Millisecond})
	start := time.Now()
	res := f.do(http.MethodGet, "/agents/v2/agents", nil)
	took := time.Since(start)
	assert.Equal(t, http.StatusOK, res.status)
	assert.GreaterOrEqual(t, took, 120*time.Millisecond)
}

func TestFaultMalformedBody(t *testing.T) {
	f := idleWith(t, Faults{MalformedRate: 1})
	res := f.do(http.MethodGet, "/agents/v2/agents", nil)
	require.Equal(t, http.StatusOK, res.status)
	assert.False(t, json.Valid(res.body), "truncated: %s", res.body)
	assert.Equal(t, strconv.Itoa(len(res.body)), res.header.Get("Content-Length"), "a complete, short response")
	v2Error(t, f.do(http.MethodGet, "/agents/v2/executions/nope", nil), http.StatusNotFound) // errors stay whole
}

func TestFaultReset(t *testing.T) {
	f := idleWith(t, Faults{ResetRate: 1})
	_, _, err := f.send(f.srv.Client(), "/agents/v2/agents")
	require.Error(t, err)
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}

func TestFaultHang(t *testing.T) {
	t.Run("until the client gives up", func(t *testing.T) {
		f := idleWith(t, Faults{TimeoutRate: 1})
		client := &http.Client{Timeout: 150 * time.Millisecond}
		start := time.Now()
		_, _, err := f.send(client, "/agents/v2/agents")
		require.Error(t, err)
		var ne interface{ Timeout() bool }
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		assert.Less(t, time.Since(start), 5*time.Second)
	})
	t.Run("until the cap", func(t *testing.T) {
		f := idleWith(t, Faults{TimeoutRate: 1, HangFor: 100 * time.Millisecond})
		v2Error(t, f.do(http.MethodGet, "/agents/v2/agents", nil), http.StatusGatewayTimeout)
	})
}

func TestFaultOptions(t *testing.T) {
	for in, want := range map[string][2]time.Duration{
		"":             {0, 0},
		"200ms":        {200 * time.Millisecond, 0},
		"1s±250ms":     {time.Second, 250 * time.Millisecond},
		"50ms +- 10ms": {50 * time.Millisecond, 10 * time.Millisecond},
	} {
		l, j, err := ParseLatency(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, [2]time.Duration{l, j}, in)
	}
	for _, in := range []string{"fast", "-1s", "1s±x", "1s±-1s"} {
		_, _, err := ParseLatency(in)
		assert.Error(t, err, in)
	}
	assert.NoError(t, Faults{ErrorRate: 0.5, ResetRate: 1}.Validate())
	assert.Error(t, Faults{ErrorRate: 1.5}.Validate())
	assert.Error(t, Faults{TimeoutRate: -0.1}.Validate())
	assert.Error(t, Faults{Latency: -time.Second}.Validate())
}
