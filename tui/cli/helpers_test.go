package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/tui/config"
)

// testKey is the API key of every test server; tests check it never leaks.
const testKey = "sk-test-0123456789abcdef-SECRET"

// simStart is the simulated clock's start.
var simStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// sharedKey saves generating an RSA key per engine.
func sharedKey(t *testing.T) *rsa.PrivateKey {
	rsaOnce.Do(func() {
		var err error
		rsaKey, err = rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
	})
	return rsaKey
}

// fleet is a simulated Asteroid deployment on an httptest server.
type fleet struct {
	e   *sim.Engine
	clk *sim.ManualClock
	url string
}

// newFleet serves a seeded engine on a manual clock: the idle scenario
// (nothing moves unless a client acts or the clock advances), or the one
// given.
func newFleet(t *testing.T, scenario ...sim.ScenarioKind) *fleet {
	t.Helper()
	kind := sim.ScenarioIdle
	if len(scenario) > 0 {
		kind = scenario[0]
	}
	clk := sim.NewManualClock(simStart)
	e, err := sim.New(sim.Config{Seed: 1, Clock: clk, Scenario: sim.Scenario{Kind: kind}, StartRate: -1, PrivateKey: sharedKey(t)})
	require.NoError(t, err)
	srv := httptest.NewServer(asteroidsim.NewHandler(e, asteroidsim.HandlerOptions{APIKey: testKey}))
	t.Cleanup(srv.Close)
	return &fleet{e: e, clk: clk, url: srv.URL}
}

// env returns an environment pointing at the fleet with the test key.
func (f *fleet) env(t *testing.T) map[string]string {
	return map[string]string{"HOME": t.TempDir(), envBaseURL: f.url, envAPIKey: testKey}
}

// execution returns the first execution in status s.
func (f *fleet) execution(t *testing.T, s api.Status) sim.Execution {
	t.Helper()
	page, err := f.e.Executions(api.ExecutionQuery{Statuses: []api.Status{s}, PageSize: 100})
	require.NoError(t, err)
	require.NotEmpty(t, page.Items, "no execution is %s", s)
	return page.Items[0]
}

// stub serves handlers keyed by "METHOD /path" (path without the API
// prefix); anything else is 404. It checks the API key.
func stub(t *testing.T, routes map[string]http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/agents/v2"), "/api/v1")
		if h, ok := routes[r.Method+" "+path]; ok {
			h(w, r)
			return
		}
		if h, ok := routes[r.Method+" *"]; ok {
			h(w, r)
			return
		}
		jsonReply(w, http.StatusNotFound, map[string]any{"code": 404, "message": "Not found."})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func jsonReply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fakeTerm is a Terminal whose answers tests choose.
type fakeTerm struct {
	stdin, stdout bool
	width         int
	secrets       []string // returned by ReadSecret, in order
}

func (f *fakeTerm) StdinIsTerminal() bool  { return f.stdin }
func (f *fakeTerm) StdoutIsTerminal() bool { return f.stdout }
func (f *fakeTerm) Width() int             { return f.width }
func (f *fakeTerm) ReadSecret() (string, error) {
	if len(f.secrets) == 0 {
		return "", io.EOF
	}
	s := f.secrets[0]
	f.secrets = f.secrets[1:]
	return s, nil
}

// inv is one invocation of agentop in a test.
type inv struct {
	env   map[string]string
	stdin string
	term  *fakeTerm
	ctx   context.Context
	// sleep replaces waiting between polls; nil returns at once.
	sleep func(ctx context.Context, d time.Duration) error
	// simAddr is where --demo looks for an agentop sim; "" not at all.
	simAddr string
}

// result is what an invocation printed and returned.
type result struct {
	out, err string
	code     int
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err
}

// run runs agentop with args.
func (i inv) run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	return i.runTo(t, &out, &errb, args...)
}

func (i inv) runTo(t *testing.T, out, errb *syncBuffer, args ...string) result {
	t.Helper()
	term := i.term
	if term == nil {
		term = &fakeTerm{}
	}
	ctx := i.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	env := i.env
	if env == nil {
		env = map[string]string{"HOME": t.TempDir()}
	}
	a := newApp(IO{In: strings.NewReader(i.stdin), Out: out, Err: errb, Term: term}, config.MapEnv(env))
	a.sleep = i.sleep
	a.simAddr = i.simAddr
	if a.sleep == nil {
		a.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	}
	code := a.run(ctx, args)
	return result{out: out.String(), err: errb.String(), code: code}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// decode unmarshals JSON output into v, failing the test with the output.
func decode(t *testing.T, r result, v any) {
	t.Helper()
	require.Equal(t, 0, r.code, r.String())
	require.NoError(t, json.Unmarshal([]byte(r.out), v), r.String())
}

// The default platform's variables, as the tests set them.
const (
	envAPIKey       = "ASTEROID_API_KEY"
	envBaseURL      = "ASTEROID_BASE_URL"
	envOrganization = "ASTEROID_ORGANIZATION_ID"
)
