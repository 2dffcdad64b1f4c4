package archastrosim_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/archastro"
	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
)

var (
	epoch   = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

func testKey() *rsa.PrivateKey {
	keyOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return rsaKey
}

// fixture is the façade served by httptest on a manual clock.
type fixture struct {
	t   *testing.T
	srv *httptest.Server
	e   *sim.Engine
	clk *sim.ManualClock
	key string
}

func newFixture(t *testing.T, cfg sim.Config, opts archastrosim.HandlerOptions) *fixture {
	t.Helper()
	clk := sim.NewManualClock(epoch)
	cfg.Clock, cfg.PrivateKey = clk, testKey()
	if cfg.StartRate == 0 {
		cfg.StartRate = -1
	}
	e, err := sim.New(cfg)
	require.NoError(t, err)
	if opts.StreamPoll == 0 {
		opts.StreamPoll = 5 * time.Millisecond
	}
	srv := httptest.NewServer(archastrosim.NewHandler(e, opts))
	t.Cleanup(srv.Close)
	key := opts.APIKey
	if key == "" {
		key = archastrosim.DemoKey(cfg.Seed)
	}
	return &fixture{t: t, srv: srv, e: e, clk: clk, key: key}
}

func (f *fixture) client() *archastro.Client {
	f.t.Helper()
	c, err := archastro.New(archastro.Options{BaseURL: f.srv.URL, APIKey: f.key})
	require.NoError(f.t, err)
	return c
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with the sk_ key (or the headers given, in pairs).
func (f *fixture) do(method, path string, body any, header ...string) response {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(f.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	require.NoError(f.t, err)
	req.Header.Set("x-archastro-api-key", f.key)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return response{resp.StatusCode, resp.Header, b}
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), string(r.body))
}
