package poller

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro"
	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
)

var (
	simKeyOnce sync.Once
	simKey     *rsa.PrivateKey
)

// counted is the ArchAstro façade over a busy fleet of n sessions on a
// manual clock, counting the requests it serves.
type counted struct {
	client   *archastro.Client
	clk      *sim.ManualClock
	requests atomic.Int64
	mu       sync.Mutex
	byPath   map[string]int
}

func archastroFleet(t testing.TB, n int, live ...bool) *counted {
	t.Helper()
	simKeyOnce.Do(func() { simKey, _ = rsa.GenerateKey(rand.Reader, 2048) })
	c := &counted{clk: sim.NewManualClock(t0), byPath: map[string]int{}}
	cfg := sim.Config{Seed: 7, Clock: c.clk, Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: n}, StartRate: -1, PrivateKey: simKey}
	if len(live) > 0 && live[0] {
		cfg.Clock = nil // the wall clock: the fleet moves
	}
	e, err := sim.New(cfg)
	require.NoError(t, err)
	h := archastrosim.NewHandler(e, archastrosim.HandlerOptions{APIKey: archastrosim.DemoKey(7)})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		path := r.URL.Path
		for _, prefix := range []string{"/ase_", "/trj_", "/arr_"} {
			if i := strings.Index(path, prefix); i > 0 {
				path = path[:i] + "/{id}" + path[i+1+strings.IndexByte(path[i+1:]+"/", '/'):]
			}
		}
		c.mu.Lock()
		c.byPath[path]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.client, err = archastro.New(archastro.Options{BaseURL: srv.URL, APIKey: archastrosim.DemoKey(7)})
	require.NoError(t, err)
	return c
}

// Over the session cap, the active listing fans out per agent and sees
// every session; under it, one request does.
func TestCappedListingFansOutPerAgent(t *testing.T) {
	ctx := context.Background()
	f := archastroFleet(t, 150)
	p := New(Config{Backend: f.client})
	assert.Equal(t, 100, p.cfg.PageSize, "the platform's largest page")

	l := p.listAll(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses}, 10000)
	require.NoError(t, l.err)
	sessions := 0
	for _, e := range l.items {
		if e.Kind == archastro.KindSession {
			sessions++
		}
	}
	assert.GreaterOrEqual(t, sessions, 150, "every active session, past the cap of 100")
	assert.True(t, l.complete, "no agent has more than 100")
	agents := f.byPath["/api/v1/agents"]
	assert.LessOrEqual(t, f.byPath["/api/v1/agent_sessions"], 1+10, "one capped listing, then one per agent")
	assert.LessOrEqual(t, agents, 2, "the agents are read once by the client (names) and once by the poller (fan-out)")

	before := f.requests.Load()
	l = p.listAll(ctx, api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}}, 10000)
	require.NoError(t, l.err)
	assert.True(t, l.complete)
	assert.Equal(t, int64(1), f.requests.Load()-before, "under the cap: one request (routine runs never wait)")
}

// TestHintsClamp: a backend's minimum intervals and page size bound the
// poller's own.
func TestHintsClamp(t *testing.T) {
	c := Config{Backend: hinted{newFake(), api.PollHints{MinSweep: 10 * time.Second, MinTail: 4 * time.Second, MaxPageSize: 25, MaxInFlight: 2}}}
	c.defaults()
	c.applyHints(api.HintsOf(c.Backend))
	assert.Equal(t, 10*time.Second, c.FastSweep)
	assert.Equal(t, 10*time.Second, c.SlowSweep)
	assert.Equal(t, 4*time.Second, c.FastTail)
	assert.Equal(t, 25, c.PageSize)
	assert.Equal(t, 2, c.ListConcurrency)
	assert.Equal(t, 30*time.Second, c.StaleAfter)
}

type hinted struct {
	*fakeBackend
	h api.PollHints
}

func (h hinted) PollHints() api.PollHints { return h.h }

// BenchmarkArchAstroSweepRequests measures what the poller asks of the
// ArchAstro façade over a live busy fleet (the engine on the wall clock,
// N sessions kept running): requests per minute, run for a real window
// ($AGENTOP_BENCH_WINDOW, 60s by default) once per iteration. Run with
// -benchtime 1x. Over the cap of 100 sessions the full sweep fans out per
// agent, so 500 sessions cost more requests than 50 — per agent, not per
// session.
func BenchmarkArchAstroSweepRequests(b *testing.B) {
	window := time.Minute
	if d, err := time.ParseDuration(os.Getenv("AGENTOP_BENCH_WINDOW")); err == nil && d > 0 {
		window = d
	}
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			var perMin, sessions float64
			for range b.N {
				f := archastroFleet(b, n, true)
				p := New(Config{Backend: f.client})
				ctx, cancel := context.WithTimeout(context.Background(), window)
				go func() {
					for range p.Events() {
					}
				}()
				_ = p.Run(ctx)
				cancel()
				perMin += float64(f.requests.Load()) * float64(time.Minute) / float64(window)
				f.mu.Lock()
				sessions += float64(f.byPath["/api/v1/agent_sessions"]) * float64(time.Minute) / float64(window)
				b.Logf("%d sessions, %s: %v", n, window, f.byPath)
				f.mu.Unlock()
			}
			b.ReportMetric(perMin/float64(b.N), "req/min")
			b.ReportMetric(sessions/float64(b.N), "session-lists/min")
		})
	}
}

// A pushed status change of the focused session is looked up at once, not
// at the next sweep (which is a minute away here).
func TestPushedChangeIsLookedUpAtOnce(t *testing.T) {
	f := archastroFleet(t, 5)
	p := New(Config{Backend: f.client, FastSweep: time.Minute, SlowSweep: time.Minute, FullSweep: time.Minute,
		TerminalSweep: time.Minute, StaleAfter: 10 * time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() {
		for range p.Events() {
		}
	}()
	go func() { _ = p.Run(ctx) }()
	var focus api.Execution
	require.Eventually(t, func() bool {
		snap := p.Snapshot()
		if snap == nil {
			return false
		}
		for _, e := range snap.Executions {
			if e.Kind == archastro.KindSession && e.Status == api.StatusRunning {
				focus = e
				return true
			}
		}
		return false
	}, 10*time.Second, 20*time.Millisecond, "the first sweep lists a running session")
	p.Focus(focus.ID, 1)
	require.Eventually(t, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.byPath["/api/v1/agent_sessions/{id}/stream"] > 0
	}, 5*time.Second, 20*time.Millisecond, "the focused session's stream is followed")

	f.clk.Advance(2 * time.Hour) // it ends (the engine plays on its next request)
	require.Eventually(t, func() bool {
		e, ok := p.Snapshot().Get(focus.ID)
		return ok && e.Status.IsTerminal()
	}, 8*time.Second, 50*time.Millisecond, "the snapshot has the new status long before the next sweep")
}
