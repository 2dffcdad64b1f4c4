package poller

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// harness runs a poller with millisecond cadences and records its events.
type harness struct {
	t      *testing.T
	p      *Poller
	fake   *fakeBackend
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	events []Event
	gen    uint64
}

func fastConfig(f *fakeBackend) Config {
	return Config{
		Backend:       f,
		PageSize:      2,
		FastSweep:     5 * time.Millisecond,
		SlowSweep:     20 * time.Millisecond,
		TerminalSweep: 10 * time.Millisecond,
		FastTail:      5 * time.Millisecond,
		SlowTail:      20 * time.Millisecond,
		TailLimit:     5,
		MaxTailLimit:  20,
		PeekEvery:     5 * time.Millisecond,
		PeekStale:     time.Hour,
		MaxBackoff:    40 * time.Millisecond,
		CatalogEvery:  time.Hour,
		FullSweep:     10 * time.Millisecond,
		QuestionRate:  60000,
		ResolveRate:   60000,
	}
}

func start(t *testing.T, f *fakeBackend, tweak ...func(*Config)) *harness {
	t.Helper()
	cfg := fastConfig(f)
	for _, fn := range tweak {
		fn(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, p: New(cfg), fake: f, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		_ = h.p.Run(ctx)
	}()
	go func() {
		for ev := range h.p.Events() {
			h.mu.Lock()
			h.events = append(h.events, ev)
			h.mu.Unlock()
		}
	}()
	t.Cleanup(h.stop)
	return h
}

// focus moves the poller's focus with the next generation.
func (h *harness) focus(id string) uint64 {
	h.gen++
	h.p.Focus(id, h.gen)
	return h.gen
}

func (h *harness) stop() {
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(2 * time.Second):
		h.t.Fatal("poller did not stop with its context")
	}
}

// waitFor waits until some recorded event satisfies pred and returns it.
func waitFor[E Event](h *harness, pred func(E) bool) E {
	h.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		h.mu.Lock()
		for _, ev := range h.events {
			if e, ok := ev.(E); ok && pred(e) {
				h.mu.Unlock()
				return e
			}
		}
		h.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
	var zero E
	h.t.Fatalf("no %T matched in time", zero)
	return zero
}

func all[E Event](h *harness) []E {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []E
	for _, ev := range h.events {
		if e, ok := ev.(E); ok {
			out = append(out, e)
		}
	}
	return out
}

func TestSweepPagesWithServerSideStatusFilters(t *testing.T) {
	f := newFake()
	for i, st := range []api.Status{api.StatusRunning, api.StatusRunning, api.StatusStarting, api.StatusPaused, api.StatusCompleted, api.StatusFailed} {
		f.put(string(rune('a'+i)), st, i)
	}
	h := start(t, f)
	ev := waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 6 })
	snap := ev.Snapshot
	assert.Equal(t, 2, snap.Counts[api.StatusRunning])
	assert.Equal(t, 4, snap.ActiveTotal)
	assert.Equal(t, "f", snap.Executions[0].ID, "newest first")

	h.stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	require.NotEmpty(t, f.queries)
	assert.Equal(t, waitingStatuses, f.queries[0].Statuses, "the waiting ones first, selected by the server")
	assert.NotContains(t, fullStatuses, api.StatusPausedByAgent, "the waiting ones are the waiting listing's")
	assert.NotContains(t, fullStatuses, api.StatusAwaitingConfirmation, "the waiting ones are the waiting listing's")
	var pages []int
	for _, q := range f.queries {
		if slices.Equal(q.Statuses, fullStatuses) && q.CreatedAfter.IsZero() {
			pages = append(pages, q.Page)
		}
	}
	require.GreaterOrEqual(t, len(pages), 2)
	assert.Equal(t, []int{1, 2}, pages[:2], "4 active with page size 2: two pages")
	assert.Zero(t, f.calls["GetExecution"], "no request per execution")
}

func TestExecutionLeavingActiveSetIsResolvedWithItsResult(t *testing.T) {
	f := newFake()
	f.put("x", api.StatusRunning, 0)
	h := start(t, f)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 1 })

	f.put("x", api.StatusCompleted, 0)
	ev := waitFor(h, func(e SnapshotEvent) bool {
		x, ok := e.Snapshot.Get("x")
		return ok && x.Status == api.StatusCompleted
	})
	x, _ := ev.Snapshot.Get("x")
	require.NotNil(t, x.Result, "the result comes with the resolved execution")
	var saw bool
	for _, s := range all[SnapshotEvent](h) {
		for _, c := range s.Changes {
			if c.ExecutionID == "x" && c.Kind == StatusChanged && c.From == api.StatusRunning && c.To == api.StatusCompleted {
				saw = true
			}
		}
	}
	assert.True(t, saw, "the status change is reported")
}

func TestNewInteractionRequestCarriesTheAgentsQuestion(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusRunning, 0)
	h := start(t, f)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 1 })

	f.addActs("w",
		act("1", api.KindActionStarted, "Navigating to the portal"),
		api.Activity{ID: "2", Kind: api.KindActionStarted, ActionName: "util_send_user_message", AgentMessage: true,
			Text: "Please send the 2FA code", Message: "Please send the 2FA code\nsent to +44…"},
		api.Activity{ID: "3", Kind: api.KindStatusChanged, Status: api.StatusPausedByAgent},
	)
	f.put("w", api.StatusPausedByAgent, 0)

	ie := waitFor(h, func(e InteractionEvent) bool { return e.Request.ExecutionID == "w" })
	assert.False(t, ie.Initial)
	assert.Equal(t, "Please send the 2FA code\nsent to +44…", ie.Request.Question)
	assert.Equal(t, "2", ie.Request.ActivityID)
	snap := waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 1 && !e.Snapshot.Waiting[0].Fallback }).Snapshot
	assert.Equal(t, "Please send the 2FA code\nsent to +44…", snap.Waiting[0].Question)
	assert.Equal(t, 1, snap.PerAgent["agent-1"].Waiting)

	// Answered: the request goes away.
	f.put("w", api.StatusRunning, 0)
	waitFor(h, func(e SnapshotEvent) bool {
		return len(e.Snapshot.Waiting) == 0 && e.Snapshot.Counts[api.StatusRunning] == 1
	})
	assert.Len(t, all[InteractionEvent](h), 1, "one announcement per waiting spell")
}

func TestWaitingAtStartupIsAnnouncedAsInitial(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusPausedByAgent, 0)
	h := start(t, f)
	ie := waitFor(h, func(e InteractionEvent) bool { return true })
	assert.True(t, ie.Initial)
	assert.True(t, ie.Request.Fallback, "no activities: the generic prompt")
	assert.Equal(t, api.GenericQuestion, ie.Request.Question)
}

func TestTailDeliversNewActivitiesOnceInOrder(t *testing.T) {
	f := newFake()
	f.put("e", api.StatusRunning, 0)
	f.addActs("e", acts("a", 3)...)
	h := start(t, f)
	gen := h.focus("e")

	first := waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen })
	assert.True(t, first.Reset)
	assert.Equal(t, []string{"a000", "a001", "a002"}, ids(first.Activities), "oldest first")

	f.addActs("e", acts("b", 2)...)
	next := waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen && !e.Reset })
	assert.Equal(t, []string{"b000", "b001"}, ids(next.Activities))
	assert.False(t, next.Gap)

	// No duplicates across events.
	seen := map[string]bool{}
	for _, e := range all[ActivitiesEvent](h) {
		for _, a := range e.Activities {
			assert.False(t, seen[a.ID], "delivered twice: %s", a.ID)
			seen[a.ID] = true
		}
	}
}

func TestTailWidensOnceOnAGapThenFlagsIt(t *testing.T) {
	f := newFake()
	f.put("e", api.StatusRunning, 0)
	f.addActs("e", acts("a", 2)...)
	h := start(t, f, func(c *Config) { c.SlowTail = time.Hour; c.FastTail = time.Hour })
	gen := h.focus("e")
	waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen && e.Reset })

	// 12 new ones: more than one window (5) but within the widened one (20).
	f.addActs("e", acts("b", 12)...)
	h.p.Nudge()
	ev := waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen && !e.Reset })
	assert.Len(t, ev.Activities, 12)
	assert.False(t, ev.Gap, "the widened window reached known activities")

	// 30 new ones: more than even the widened window.
	f.addActs("e", acts("c", 30)...)
	h.p.Nudge()
	ev = waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen && e.Gap })
	assert.Len(t, ev.Activities, 20)
	assert.Equal(t, "c010", ev.Activities[0].ID)
	f.mu.Lock()
	assert.Contains(t, f.actLimit, 20, "widened to MaxTailLimit")
	f.mu.Unlock()
}

func TestTailStopsAfterAFinalFetchOfATerminalExecution(t *testing.T) {
	f := newFake()
	f.put("e", api.StatusRunning, 0)
	f.addActs("e", acts("a", 2)...)
	h := start(t, f)
	gen := h.focus("e")
	waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen })

	f.addActs("e", api.Activity{ID: "end", Kind: api.KindStatusChanged, Status: api.StatusCompleted})
	f.put("e", api.StatusCompleted, 0)
	waitFor(h, func(e ActivitiesEvent) bool { return e.Focus == gen && e.Final })

	n := f.count("Activities")
	time.Sleep(60 * time.Millisecond)
	assert.Equal(t, n, f.count("Activities"), "no more fetches once final")
}

func TestRefocusTagsEventsWithTheNewGeneration(t *testing.T) {
	f := newFake()
	f.put("a", api.StatusRunning, 0)
	f.put("b", api.StatusRunning, 1)
	f.addActs("a", acts("a", 2)...)
	f.addActs("b", acts("b", 2)...)
	h := start(t, f)
	ga := h.focus("a")
	gb := h.focus("b")
	require.Greater(t, gb, ga)
	ev := waitFor(h, func(e ActivitiesEvent) bool { return e.ExecutionID == "b" })
	assert.Equal(t, gb, ev.Focus)
	assert.True(t, ev.Reset)
	for _, e := range all[ActivitiesEvent](h) {
		if e.ExecutionID == "a" {
			assert.Equal(t, ga, e.Focus)
		}
	}
}

func TestFailuresDegradeThenGoOfflineAndRecover(t *testing.T) {
	f := newFake()
	f.put("a", api.StatusRunning, 0)
	f.failAll = &api.Error{Kind: api.KindServer, StatusCode: 503}
	h := start(t, f)
	waitFor(h, func(e ConnectionEvent) bool { return e.State == Degraded })
	off := waitFor(h, func(e ConnectionEvent) bool { return e.State == Offline })
	assert.Error(t, off.Err)
	assert.True(t, off.LastSuccess.IsZero())

	f.mu.Lock()
	f.failAll = nil
	f.mu.Unlock()
	live := waitFor(h, func(e ConnectionEvent) bool { return e.State == Live })
	assert.False(t, live.LastSuccess.IsZero())
}

func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFake()
	f.failNext["ListExecutions"] = &api.Error{Kind: api.KindRateLimited, StatusCode: 429, RetryAfter: 300 * time.Millisecond}
	h := start(t, f)
	ev := waitFor(h, func(e ConnectionEvent) bool { return e.Err != nil })
	assert.Equal(t, api.KindRateLimited, api.KindOf(ev.Err))
	assert.GreaterOrEqual(t, time.Until(ev.NextRetry), 200*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, 1, f.count("ListExecutions"), "no retry before Retry-After")
}

func TestPeekFetchesOnlyVisibleRowsWithinBudget(t *testing.T) {
	f := newFake()
	for i, id := range []string{"a", "b", "c", "d", "e", "f"} {
		f.put(id, api.StatusRunning, i)
		f.addActs(id, act(id+"1", api.KindGeneric, "doing "+id))
	}
	h := start(t, f, func(c *Config) { c.PeekBudget = 2; c.PeekEvery = 30 * time.Millisecond })
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 6 })
	h.focus("b")
	h.p.SetVisible([]string{"a", "b", "c", "d"}, 1)
	ev := waitFor(h, func(e LastActivityEvent) bool { return len(e.Latest) > 0 })
	assert.LessOrEqual(t, len(ev.Latest), 2, "budget per round")
	waitFor(h, func(e LastActivityEvent) bool { _, ok := e.Latest["d"]; return ok })
	for _, e := range all[LastActivityEvent](h) {
		assert.NotContains(t, e.Latest, "b", "the focused execution is tailed, not peeked")
		assert.NotContains(t, e.Latest, "e", "not visible")
	}
}

func TestRunStopsEverythingWithItsContext(t *testing.T) {
	before := runtime.NumGoroutine()
	f := newFake()
	f.put("a", api.StatusRunning, 0)
	h := start(t, f)
	h.focus("a")
	waitFor(h, func(e SnapshotEvent) bool { return true })
	h.stop()
	_, open := <-h.p.Events()
	for open {
		_, open = <-h.p.Events()
	}
	assert.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+1 }, time.Second, 5*time.Millisecond)
}

func TestBackoffDoublesCapsAndHonoursRetryAfter(t *testing.T) {
	b := newBackoff(100*time.Millisecond, time.Second)
	b.rnd = func() float64 { return 1 } // no jitter
	var got []time.Duration
	for range 6 {
		got = append(got, b.fail(errors.New("x")))
	}
	assert.Equal(t, []time.Duration{100, 200, 400, 800, 1000, 1000}, scale(got, time.Millisecond))
	assert.Equal(t, 5*time.Second, b.fail(&api.Error{Kind: api.KindRateLimited, RetryAfter: 5 * time.Second}))
	b.ok()
	assert.Equal(t, 100*time.Millisecond, b.fail(errors.New("x")))
}

func TestCadenceSlowsWhenQuietAndHurriesAfterAnAction(t *testing.T) {
	c := cadence{fast: time.Second, slow: 4 * time.Second}
	now := t0
	assert.Equal(t, time.Second, c.next(now, true))
	assert.Equal(t, 2*time.Second, c.next(now, false))
	assert.Equal(t, 3*time.Second, c.next(now, false))
	assert.Equal(t, 4*time.Second, c.next(now, false))
	assert.Equal(t, 4*time.Second, c.next(now, false))
	c.hurry(now, 10*time.Second)
	assert.Equal(t, time.Second, c.next(now.Add(5*time.Second), false))
	assert.Equal(t, 3*time.Second, c.next(now.Add(11*time.Second), false), "quiet rounds during the hurry still count")
}

func TestCoalesceKeepsMeaning(t *testing.T) {
	s1, s2 := &Snapshot{Seq: 1}, &Snapshot{Seq: 2}
	in := []Event{
		SnapshotEvent{Snapshot: s1, Changes: []Change{{ExecutionID: "a"}}},
		ActivitiesEvent{ExecutionID: "e", Focus: 1, Activities: acts("a", 2), Reset: true},
		ConnectionEvent{State: Degraded},
		SnapshotEvent{Snapshot: s2, Changes: []Change{{ExecutionID: "b"}}},
		ActivitiesEvent{ExecutionID: "e", Focus: 1, Activities: acts("b", 1), Gap: true},
		InteractionEvent{Request: api.InteractionRequest{ExecutionID: "w"}},
		ConnectionEvent{State: Live},
		LastActivityEvent{Latest: map[string]api.Activity{"x": {ID: "1"}}},
		LastActivityEvent{Latest: map[string]api.Activity{"y": {ID: "2"}}},
	}
	out := Coalesce(in)
	require.Len(t, out, 5)
	snap := out[0].(SnapshotEvent)
	assert.Same(t, s2, snap.Snapshot)
	assert.Len(t, snap.Changes, 2)
	a := out[1].(ActivitiesEvent)
	assert.True(t, a.Reset)
	assert.True(t, a.Gap)
	assert.Equal(t, []string{"a000", "a001", "b000"}, ids(a.Activities))
	assert.Equal(t, Live, out[2].(ConnectionEvent).State)
	assert.IsType(t, InteractionEvent{}, out[3])
	assert.Len(t, out[4].(LastActivityEvent).Latest, 2)

	// A reset later in the burst replaces what came before.
	out = Coalesce([]Event{
		ActivitiesEvent{ExecutionID: "e", Focus: 1, Activities: acts("a", 2)},
		ActivitiesEvent{ExecutionID: "e", Focus: 1, Activities: acts("b", 1), Reset: true},
	})
	assert.Equal(t, []string{"b000"}, ids(out[0].(ActivitiesEvent).Activities))
}

func ids(as []api.Activity) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func scale(ds []time.Duration, unit time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d / unit
	}
	return out
}

func TestAnOlderFocusArrivingLateIsIgnored(t *testing.T) {
	f := newFake()
	f.put("a", api.StatusRunning, 0)
	f.put("b", api.StatusRunning, 1)
	f.addActs("a", acts("a", 2)...)
	f.addActs("b", acts("b", 2)...)
	h := start(t, f)
	h.p.Focus("b", 2)
	h.p.Focus("a", 1) // delivered after the newer one
	waitFor(h, func(e ActivitiesEvent) bool { return e.ExecutionID == "b" && e.Focus == 2 })
	time.Sleep(30 * time.Millisecond)
	for _, e := range all[ActivitiesEvent](h) {
		assert.Equal(t, "b", e.ExecutionID, "the poller keeps following the newest focus")
	}
}

func TestAFollowUpQuestionInTheSameWaitIsPickedUpAndAnnounced(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusPausedByAgent, 0)
	f.addActs("w", api.Activity{ID: "q1", Kind: api.KindActionStarted, AgentMessage: true, Message: "Which plan?"})
	h := start(t, f)
	waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Which plan?" })

	// Answered and asked again between two sweeps: the status never left
	// paused_by_agent as far as the poller saw, but the listing shows the
	// execution was updated.
	f.addActs("w",
		api.Activity{ID: "r1", Kind: api.KindUserMessage, Message: "Plus"},
		api.Activity{ID: "q2", Kind: api.KindActionStarted, AgentMessage: true, Message: "Confirm payment of $40?"})
	f.touch("w")
	ie := waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Confirm payment of $40?" })
	assert.Equal(t, "q2", ie.Request.ActivityID)
	waitFor(h, func(e SnapshotEvent) bool {
		w, ok := e.Snapshot.WaitingFor("w")
		return ok && w.Question == "Confirm payment of $40?"
	})
	n := 0
	for _, e := range all[InteractionEvent](h) {
		if e.Request.Question == "Which plan?" {
			n++
		}
	}
	assert.Equal(t, 1, n, "the first question is announced once, not at every re-read")
}

func TestAQuestionThatFailedToLoadIsAnnouncedWhenItDoes(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusRunning, 0)
	h := start(t, f)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 1 })
	f.addActs("w", api.Activity{ID: "q", Kind: api.KindActionStarted, AgentMessage: true, Message: "2FA code?"})
	f.mu.Lock()
	f.failNext["Activities"] = &api.Error{Kind: api.KindServer, StatusCode: 502}
	f.mu.Unlock()
	f.put("w", api.StatusPausedByAgent, 0)
	waitFor(h, func(e ErrorEvent) bool { return e.Op == "read the agent's question" })
	ie := waitFor(h, func(e InteractionEvent) bool { return !e.Request.Fallback })
	assert.Equal(t, "2FA code?", ie.Request.Question)
}

func TestEveryExecutionWaitingAtStartIsInitial(t *testing.T) {
	f := newFake()
	for i := range 15 {
		f.put(fmt.Sprintf("w%02d", i), api.StatusPausedByAgent, i)
	}
	h := start(t, f, func(c *Config) { c.QuestionBatch = 10 })
	waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 15 })
	require.Eventually(t, func() bool { return len(all[InteractionEvent](h)) == 15 }, 2*time.Second, 5*time.Millisecond)
	for _, e := range all[InteractionEvent](h) {
		assert.True(t, e.Initial, "%s was waiting at start, even if read on the second sweep", e.Request.ExecutionID)
	}
}

func TestALookupThatKeepsFailingIsRetriedNotAbandoned(t *testing.T) {
	f := newFake()
	f.put("x", api.StatusRunning, 0)
	h := start(t, f)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 1 })
	f.mu.Lock()
	f.execs["x"] = api.Execution{ID: "x", AgentID: "agent-1", Status: api.StatusCompleted, CreatedAt: t0.Add(-time.Hour), Result: &api.Result{Outcome: "success"}}
	f.mu.Unlock()
	for range 6 { // more than the old limit of five attempts
		f.mu.Lock()
		f.failNext["GetExecution"] = &api.Error{Kind: api.KindServer, StatusCode: 503}
		f.mu.Unlock()
		time.Sleep(15 * time.Millisecond)
	}
	waitFor(h, func(e SnapshotEvent) bool {
		x, ok := e.Snapshot.Get("x")
		return ok && x.Status == api.StatusCompleted
	})
}

func TestANudgeDoesNotCutRetryAfterShort(t *testing.T) {
	f := newFake()
	f.failNext["ListExecutions"] = &api.Error{Kind: api.KindRateLimited, StatusCode: 429, RetryAfter: 300 * time.Millisecond}
	h := start(t, f)
	waitFor(h, func(e ConnectionEvent) bool { return e.Err != nil })
	h.p.Nudge()
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, 1, f.count("ListExecutions"), "the server asked for 300ms")
}
