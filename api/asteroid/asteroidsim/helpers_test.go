package asteroidsim

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// testOtherKey is a key the simulator does not hold.
var testOtherKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

var epoch = time.Date(2025, 12, 10, 9, 0, 0, 0, time.UTC)

// fixture is a simulator served by httptest on a manual clock.
type fixture struct {
	t   *testing.T
	srv *httptest.Server
	e   *sim.Engine
	clk *sim.ManualClock
	key string
}

// newFixture serves a demo fleet (no executions starting on their own)
// unless cfg says otherwise.
func newFixture(t *testing.T, cfg sim.Config, opts HandlerOptions) *fixture {
	t.Helper()
	clk := sim.NewManualClock(epoch)
	cfg.Clock, cfg.PrivateKey = clk, testKey()
	if cfg.StartRate == 0 {
		cfg.StartRate = -1
	}
	e, err := sim.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(NewHandler(e, opts))
	t.Cleanup(srv.Close)
	key := opts.APIKey
	if key == "" {
		key = DemoKey(cfg.Seed)
	}
	return &fixture{t: t, srv: srv, e: e, clk: clk, key: key}
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with the key; body is JSON-encoded unless it is a
// []byte already.
func (f *fixture) do(method, path string, body any, header ...string) response {
	f.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(f.t, err)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, r)
	require.NoError(f.t, err)
	req.Header.Set("X-Asteroid-Agents-Api-Key", f.key)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.srv.Client().Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: raw}
}

// get is do GET, requiring the status.
func (f *fixture) get(path string, status int, into any) {
	f.t.Helper()
	res := f.do(http.MethodGet, path, nil)
	require.Equal(f.t, status, res.status, "GET %s: %s", path, res.body)
	if into != nil {
		require.NoError(f.t, json.Unmarshal(res.body, into), "GET %s: %s", path, res.body)
	}
}

// find returns an execution id in a status.
func (f *fixture) find(s api.Status) string {
	f.t.Helper()
	p, err := f.e.Executions(api.ExecutionQuery{Statuses: []api.Status{s}, PageSize: 1})
	require.NoError(f.t, err)
	require.NotEmpty(f.t, p.Items, "no execution is %s", s)
	return p.Items[0].ID
}

// jsonString decodes a bare JSON string body.
func jsonString(t *testing.T, body []byte) string {
	t.Helper()
	var s string
	require.NoError(t, json.Unmarshal(body, &s), "want a bare JSON string, got %s", body)
	return s
}

// errorBody decodes a v2 error.
func v2Error(t *testing.T, res response, status int) string {
	t.Helper()
	require.Equal(t, status, res.status, "%s", res.body)
	var b struct {
		Code    *int    `json:"code"`
		Message *string `json:"message"`
	}
	require.NoError(t, json.Unmarshal(res.body, &b), "%s", res.body)
	require.NotNil(t, b.Code, "%s", res.body)
	require.NotNil(t, b.Message, "%s", res.body)
	require.Equal(t, status, *b.Code)
	require.NotEmpty(t, strings.TrimSpace(*b.Message))
	return *b.Message
}

// v1Error decodes a v1 error.
func v1Error(t *testing.T, res response, status int) string {
	t.Helper()
	require.Equal(t, status, res.status, "%s", res.body)
	var b map[string]any
	require.NoError(t, json.Unmarshal(res.body, &b), "%s", res.body)
	require.Len(t, b, 1, "only {error}: %s", res.body)
	msg, ok := b["error"].(string)
	require.True(t, ok, "%s", res.body)
	return msg
}
