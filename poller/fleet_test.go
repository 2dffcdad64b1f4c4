package poller

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// fleetHarness runs a fleet of fake backends with millisecond cadences and
// records its events.
type fleetHarness struct {
	t      *testing.T
	f      *Fleet
	fakes  map[string]*fakeBackend
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	events []Event
}

func startFleet(t *testing.T, names []string, fakes []*fakeBackend, tweak ...func(*Config)) *fleetHarness {
	t.Helper()
	h := &fleetHarness{t: t, fakes: map[string]*fakeBackend{}, done: make(chan struct{})}
	var members []FleetMember
	for i, name := range names {
		cfg := fastConfig(fakes[i])
		for _, fn := range tweak {
			fn(&cfg)
		}
		members = append(members, FleetMember{Context: name, Platform: "fake", Config: cfg})
		h.fakes[name] = fakes[i]
	}
	f, err := NewFleet(members)
	require.NoError(t, err)
	h.f = f
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() {
		defer close(h.done)
		_ = f.Run(ctx)
	}()
	go func() {
		for ev := range f.Events() {
			h.mu.Lock()
			h.events = append(h.events, ev)
			h.mu.Unlock()
		}
	}()
	t.Cleanup(h.stop)
	return h
}

func (h *fleetHarness) stop() {
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(2 * time.Second):
		h.t.Fatal("the fleet did not stop with its context")
	}
}

// snapWhen waits for a merged snapshot that satisfies pred.
func (h *fleetHarness) snapWhen(what string, pred func(*Snapshot) bool) *Snapshot {
	h.t.Helper()
	var got *Snapshot
	require.Eventually(h.t, func() bool {
		s := h.f.Snapshot()
		if s != nil && pred(s) {
			got = s
			return true
		}
		return false
	}, 3*time.Second, 2*time.Millisecond, what)
	return got
}

func fleetWaitFor[E Event](h *fleetHarness, pred func(E) bool) E {
	h.t.Helper()
	var got E
	require.Eventually(h.t, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, ev := range h.events {
			if e, ok := ev.(E); ok && pred(e) {
				got = e
				return true
			}
		}
		return false
	}, 3*time.Second, 2*time.Millisecond)
	return got
}

func ctxIDs(execs []api.Execution) []string {
	out := make([]string, len(execs))
	for i, e := range execs {
		out[i] = e.Context + "/" + e.ID
	}
	return out
}

func TestFleetMergesNewestFirstAcrossContextsWithQuestionsOldestFirst(t *testing.T) {
	support, ops := newFake(), newFake()
	support.put("s-old", api.StatusCompleted, 1)
	support.put("s-new", api.StatusRunning, 40)
	support.put("s-ask", api.StatusPausedByAgent, 20)
	support.addActs("s-ask", api.Activity{ID: "q1", Message: "Which invoice?", AgentMessage: true, Time: t0.Add(25 * time.Second)})
	ops.put("o-mid", api.StatusRunning, 30)
	ops.put("o-ask", api.StatusPausedByAgent, 5)
	ops.addActs("o-ask", api.Activity{ID: "q2", Message: "Deploy to prod?", AgentMessage: true, Time: t0.Add(10 * time.Second)})
	h := startFleet(t, []string{"support", "ops"}, []*fakeBackend{support, ops})

	snap := h.snapWhen("both contexts merged with their questions", func(s *Snapshot) bool {
		return s.Len() == 5 && len(s.Waiting) == 2 && !s.Waiting[0].Fallback && !s.Waiting[1].Fallback
	})
	assert.Equal(t, []string{"support/s-new", "ops/o-mid", "support/s-ask", "ops/o-ask", "support/s-old"}, ctxIDs(snap.Executions),
		"newest first across contexts, each tagged with its context")
	assert.Equal(t, 2, snap.Counts[api.StatusPausedByAgent], "counts are fleet-wide")
	assert.Equal(t, 2, snap.Counts[api.StatusRunning])
	assert.Equal(t, 4, snap.ActiveTotal)
	require.Len(t, snap.Waiting, 2)
	assert.Equal(t, "Deploy to prod?", snap.Waiting[0].Question, "the oldest question first, whichever context it is in")
	assert.Equal(t, "ops", snap.Waiting[0].Context)
	assert.Equal(t, "support", snap.Waiting[1].Context)
	q, ok := snap.WaitingFor("s-ask")
	require.True(t, ok)
	assert.Equal(t, "Which invoice?", q.Question)
	e, ok := snap.Get("o-mid")
	require.True(t, ok)
	assert.Equal(t, "ops", e.Context)

	require.Len(t, snap.Contexts, 2)
	assert.Equal(t, "support", snap.Contexts[0].Context, "the contexts in the fleet's order")
	assert.Equal(t, 3, snap.Contexts[0].Executions)
	assert.Equal(t, 1, snap.Contexts[1].Waiting)
	ev := fleetWaitFor(h, func(e InteractionEvent) bool { return e.Request.ExecutionID == "o-ask" })
	assert.Equal(t, "ops", ev.Request.Context, "a question's event names its context")

	snap = h.snapWhen("both live", func(s *Snapshot) bool { return s.Conn == Live })
	for _, c := range snap.Contexts {
		assert.Equal(t, "live", c.Word(time.Now()), c.Context)
	}
}

func TestFleetOneContextUnauthorizedWhileTheOthersStayLive(t *testing.T) {
	a, b, c := newFake(), newFake(), newFake()
	a.put("a1", api.StatusRunning, 1)
	b.put("b1", api.StatusRunning, 2)
	c.put("c1", api.StatusRunning, 3)
	h := startFleet(t, []string{"a", "b", "c"}, []*fakeBackend{a, b, c})
	h.snapWhen("all three live", func(s *Snapshot) bool { return s.Len() == 3 && s.Conn == Live })

	denied := &api.Error{Kind: api.KindUnauthorized, StatusCode: 401, Message: "invalid API key"}
	b.mu.Lock()
	b.failAll = denied
	b.mu.Unlock()
	a.put("a2", api.StatusRunning, 10)

	snap := h.snapWhen("b unauthorized, a's new execution in", func(s *Snapshot) bool {
		_, ok := s.Get("a2")
		return ok && s.Contexts[1].Unauthorized()
	})
	now := time.Now()
	assert.Equal(t, "live", snap.Contexts[0].Word(now))
	assert.Equal(t, "unauthorized", snap.Contexts[1].Word(now))
	assert.Equal(t, Offline, snap.Contexts[1].State)
	assert.ErrorIs(t, snap.Contexts[1].Err, api.ErrUnauthorized)
	assert.Equal(t, "live", snap.Contexts[2].Word(now))
	assert.Equal(t, Degraded, snap.Conn, "the fleet is degraded, not offline, while some contexts are live")
	_, ok := snap.Get("b1")
	assert.True(t, ok, "the unauthorized context's last known executions stay, under its state")

	conn := fleetWaitFor(h, func(e ConnectionEvent) bool { return e.State == Degraded && e.Err != nil })
	assert.Contains(t, conn.Err.Error(), "b: ", "the fleet's error names the failing context")
	assert.ErrorIs(t, conn.Err, api.ErrUnauthorized)

	b.mu.Lock()
	b.failAll = nil
	b.mu.Unlock()
	h.snapWhen("b live again", func(s *Snapshot) bool { return s.Contexts[1].State == Live && s.Conn == Live })
}

func TestFleetUnauthorizedFromTheStart(t *testing.T) {
	a, b := newFake(), newFake()
	a.put("a1", api.StatusRunning, 1)
	b.failAll = &api.Error{Kind: api.KindForbidden, StatusCode: 403}
	h := startFleet(t, []string{"a", "b"}, []*fakeBackend{a, b})
	snap := h.snapWhen("a in, b refused", func(s *Snapshot) bool {
		return s.Len() == 1 && s.Contexts[1].Unauthorized() && s.Contexts[0].State == Live
	})
	assert.Equal(t, "a", snap.Executions[0].Context)
	assert.True(t, snap.Contexts[1].LastSuccess.IsZero(), "b never answered")
	assert.Zero(t, snap.Contexts[1].Age(time.Now()))
}

func TestFleetRoutesFocusAndVisibleToTheExecutionsContext(t *testing.T) {
	a, b := newFake(), newFake()
	a.put("a1", api.StatusRunning, 1)
	b.put("b1", api.StatusRunning, 2)
	b.addActs("b1", acts("b1-", 3)...)
	a.addActs("a1", acts("a1-", 3)...)
	h := startFleet(t, []string{"a", "b"}, []*fakeBackend{a, b})
	h.snapWhen("both in", func(s *Snapshot) bool { return s.Len() == 2 })
	assert.Equal(t, "b", h.f.ContextOf("b1"))

	h.f.Focus("b1", 1)
	ev := fleetWaitFor(h, func(e ActivitiesEvent) bool { return e.ExecutionID == "b1" && e.Reset })
	assert.Equal(t, "b", ev.Context, "the feed comes from b's poller, tagged")
	assert.Equal(t, uint64(1), ev.Focus)
	id, gen := h.f.Poller("b").focus()
	assert.Equal(t, "b1", id)
	assert.Equal(t, uint64(1), gen)
	id, _ = h.f.Poller("a").focus()
	assert.Empty(t, id, "the other context tails nothing")

	h.f.Focus("a1", 2)
	id, _ = h.f.Poller("a").focus()
	assert.Equal(t, "a1", id)
	id, _ = h.f.Poller("b").focus()
	assert.Empty(t, id, "moving the focus to another context unfocuses the first")
	h.f.Focus("b1", 1)
	id, _ = h.f.Poller("a").focus()
	assert.Equal(t, "a1", id, "an older focus generation loses, in every context")

	h.f.SetVisible([]string{"b1", "a1", "unknown"}, 1)
	pa, pb := h.f.Poller("a"), h.f.Poller("b")
	pa.mu.Lock()
	assert.Equal(t, []string{"a1"}, pa.visible)
	pa.mu.Unlock()
	pb.mu.Lock()
	assert.Equal(t, []string{"b1"}, pb.visible)
	pb.mu.Unlock()

	assert.Same(t, b, h.f.Backend("b"), "actions on b's executions go to b's backend")
	assert.Nil(t, h.f.Backend("nope"))
}

func TestFleetKeepsTheFirstContextsCopyOfADuplicateID(t *testing.T) {
	a, b := newFake(), newFake()
	a.put("same", api.StatusRunning, 1)
	b.put("same", api.StatusRunning, 1)
	b.put("b-own", api.StatusRunning, 2)
	h := startFleet(t, []string{"first", "second"}, []*fakeBackend{a, b})
	snap := h.snapWhen("merged", func(s *Snapshot) bool { return s.Len() == 2 && s.Contexts[1].Duplicates == 1 })
	e, _ := snap.Get("same")
	assert.Equal(t, "first", e.Context)
	assert.Equal(t, 1, snap.Contexts[1].Executions)
	assert.Equal(t, 2, snap.Counts[api.StatusRunning], "the duplicate is not counted twice")
}

func TestFleetTagsCatalogAndStopsWithItsContext(t *testing.T) {
	a, b := newFake(), newFake()
	a.agents = []api.Agent{{ID: "ag-a", Name: "Alpha"}}
	b.agents = []api.Agent{{ID: "ag-b", Name: "Beta"}}
	h := startFleet(t, []string{"a", "b"}, []*fakeBackend{a, b})
	ca := fleetWaitFor(h, func(e CatalogEvent) bool { return e.Context == "a" })
	cb := fleetWaitFor(h, func(e CatalogEvent) bool { return e.Context == "b" })
	assert.Equal(t, "Alpha", ca.Agents[0].Name)
	assert.Equal(t, "Beta", cb.Agents[0].Name)
	assert.Equal(t, "b", h.f.ContextOfAgent("ag-b"), "an agent's context is known from its catalog: execute goes there")
	assert.Equal(t, "a", h.f.ContextOfAgent("ag-a"))
	assert.Empty(t, h.f.ContextOfAgent("ag-x"))
	merged := Coalesce([]Event{ca, cb})
	assert.Len(t, merged, 2, "the catalogs of two contexts do not coalesce into one")

	h.stop()
	_, open := <-h.f.Events()
	assert.False(t, open, "Events is closed once Run returns")
}

func TestNewFleetRefusesBadMembers(t *testing.T) {
	_, err := NewFleet(nil)
	assert.Error(t, err)
	f := newFake()
	_, err = NewFleet([]FleetMember{{Context: "a", Config: Config{Backend: f}}, {Context: "a", Config: Config{Backend: f}}})
	assert.ErrorContains(t, err, "twice")
	_, err = NewFleet([]FleetMember{{Context: "a"}})
	assert.ErrorContains(t, err, "no backend")
}

func TestFleetHonoursEachContextsPlatformHints(t *testing.T) {
	slow := hinted{newFake(), api.PollHints{MinSweep: 3 * time.Second, MaxPageSize: 25, MaxInFlight: 1}}
	f, err := NewFleet([]FleetMember{
		{Context: "plain", Config: Config{Backend: newFake()}},
		{Context: "limited", Config: Config{Backend: slow}},
	})
	require.NoError(t, err)
	plain, limited := f.Poller("plain").cfg, f.Poller("limited").cfg
	assert.Equal(t, time.Second, plain.FastSweep, "a platform without hints keeps the defaults")
	assert.Equal(t, 100, plain.PageSize)
	assert.Equal(t, 3*time.Second, limited.FastSweep, "the other context's limits are its own")
	assert.Equal(t, 25, limited.PageSize)
	assert.Equal(t, 1, limited.ListConcurrency)
}

func TestFleetNudgeForGoesToTheExecutionsContext(t *testing.T) {
	a, b := newFake(), newFake()
	a.put("a1", api.StatusRunning, 1)
	b.put("b1", api.StatusRunning, 2)
	h := startFleet(t, []string{"a", "b"}, []*fakeBackend{a, b}, func(c *Config) {
		c.FastSweep, c.SlowSweep, c.FullSweep, c.TerminalSweep = time.Hour, time.Hour, time.Hour, time.Hour
	})
	h.snapWhen("both in", func(s *Snapshot) bool { return s.Len() == 2 })
	pa, pb := h.f.Poller("a"), h.f.Poller("b")
	ha, hb := pa.lastHurry(), pb.lastHurry()
	h.f.NudgeFor("b1")
	assert.Equal(t, ha, pa.lastHurry(), "a's poller is left alone")
	assert.True(t, pb.lastHurry().After(hb), "b's poller hurries")
}
