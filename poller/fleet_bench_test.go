package poller

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// fleetParts splits total executions (one in 20 waiting) over k contexts,
// each a snapshot as its poller would publish it.
func fleetParts(total, k int) []part {
	parts := make([]part, k)
	for c := range k {
		var execs []api.Execution
		qs := map[string]api.InteractionRequest{}
		for i := c; i < total; i += k {
			e := api.Execution{
				ID: fmt.Sprintf("exec-%06d", i), AgentID: fmt.Sprintf("agent-%d", i%10), AgentName: "Agent",
				Status: api.StatusRunning, CreatedAt: t0.Add(time.Duration(i) * time.Second),
			}
			if i%20 == 0 {
				e.Status = api.StatusPausedByAgent
				qs[e.ID] = api.InteractionRequest{ExecutionID: e.ID, Question: "ok?", AskedAt: e.CreatedAt}
			}
			execs = append(execs, e)
		}
		snap := NewSnapshot(1, t0, execs, len(execs), qs)
		snap.Conn, snap.LastSuccess = Live, t0
		parts[c] = part{snap: snap, state: ContextState{Context: fmt.Sprintf("ctx-%d", c), State: Live, LastSuccess: t0}}
	}
	return parts
}

// BenchmarkFleetMerge is the fleet's merge of its contexts' newest
// snapshots into one (in the fleet's goroutine, off the UI), at equal total
// executions over 1 and 8 contexts.
func BenchmarkFleetMerge(b *testing.B) {
	for _, total := range []int{1000, 10000} {
		for _, k := range []int{1, 8} {
			b.Run(fmt.Sprintf("executions=%d/contexts=%d", total, k), func(b *testing.B) {
				parts := fleetParts(total, k)
				b.ReportAllocs()
				for b.Loop() {
					s := mergeSnapshots(2, t0, parts)
					if s.Len() != total {
						b.Fatalf("merged %d of %d", s.Len(), total)
					}
				}
			})
		}
	}
}

func TestFleetMergeOfOneContextIsItsSnapshot(t *testing.T) {
	parts := fleetParts(500, 1)
	s := mergeSnapshots(2, t0, parts)
	require.Equal(t, parts[0].snap.Len(), s.Len())
	for i, e := range s.Executions {
		want := parts[0].snap.Executions[i]
		want.Context = "ctx-0"
		require.Equal(t, want, e)
	}
	assert.Equal(t, parts[0].snap.Counts, s.Counts)
	assert.Len(t, s.Waiting, len(parts[0].snap.Waiting))
	eight := mergeSnapshots(2, t0, fleetParts(500, 8))
	assert.Equal(t, s.Counts, eight.Counts, "the same executions over 8 contexts count the same")
	for i := range s.Executions {
		require.Equal(t, s.Executions[i].ID, eight.Executions[i].ID, "and merge into the same order")
	}
}

// TestFleetMembersPollAsASinglePollerWould checks that a context of a fleet
// costs what it would alone: its poller has the configuration a single
// poller of the same Config gets, and over the same time it makes about as
// many requests (the pollers run side by side, so the machine's load hits
// both alike).
func TestFleetMembersPollAsASinglePollerWould(t *testing.T) {
	tweak := func(c *Config) {
		c.FastSweep, c.SlowSweep, c.FullSweep, c.TerminalSweep = 20*time.Millisecond, 40*time.Millisecond, 60*time.Millisecond, 60*time.Millisecond
		c.PeekEvery, c.FastTail, c.SlowTail = 20*time.Millisecond, 20*time.Millisecond, 40*time.Millisecond
	}
	seed := func(f *fakeBackend) *fakeBackend {
		for i := range 6 {
			f.put(fmt.Sprintf("e%d", i), api.StatusRunning, i)
		}
		return f
	}
	alone := seed(newFake())
	cfg := fastConfig(alone)
	tweak(&cfg)
	single := New(cfg)

	fakes := []*fakeBackend{seed(newFake()), seed(newFake()), seed(newFake())}
	var members []FleetMember
	for i, f := range fakes {
		c := fastConfig(f)
		tweak(&c)
		members = append(members, FleetMember{Context: fmt.Sprint("c", i), Config: c})
	}
	fleet, err := NewFleet(members)
	require.NoError(t, err)
	for _, m := range fleet.members {
		got, want := m.p.cfg, single.cfg
		got.Backend, want.Backend = nil, nil
		got.Logger, want.Logger, got.Now, want.Now = nil, nil, nil, nil
		assert.True(t, reflect.DeepEqual(want, got), "context %s polls with a single poller's configuration", m.name)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); _ = single.Run(ctx) }()
	go func() {
		defer wg.Done()
		for range single.Events() {
		}
	}()
	go func() { defer wg.Done(); _ = fleet.Run(ctx) }()
	go func() {
		defer wg.Done()
		for range fleet.Events() {
		}
	}()
	time.Sleep(1500 * time.Millisecond)
	cancel()
	wg.Wait()

	calls := func(f *fakeBackend) int {
		f.mu.Lock()
		defer f.mu.Unlock()
		n := 0
		for _, c := range f.calls {
			n += c
		}
		return n
	}
	base := calls(alone)
	require.Positive(t, base)
	for i, f := range fakes {
		n := calls(f)
		t.Logf("context c%d: %d requests; a single poller: %d", i, n, base)
		assert.InDelta(t, float64(base), float64(n), 0.5*float64(base), "context c%d makes about as many requests as a single poller", i)
	}
}
