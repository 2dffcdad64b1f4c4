package poller

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func question(id, text string) api.Activity {
	return api.Activity{ID: id, Kind: api.KindActionStarted, AgentMessage: true, Message: text}
}

func waitingQuery(q api.ExecutionQuery) bool {
	return slices.Equal(q.Statuses, waitingStatuses)
}

// Requests follow change: a waiting execution's question is read once, and
// nothing is read again while the listings show nothing changed.
func TestNothingIsReReadWhileNothingChanged(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusPausedByAgent, 0)
	f.put("r", api.StatusRunning, 1)
	f.addActs("w", question("q1", "Which account?"))
	h := start(t, f)
	waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Which account?" })
	lists := f.count("ListExecutions")
	time.Sleep(150 * time.Millisecond) // up to 30 sweeps at 5 ms
	assert.Greater(t, f.count("ListExecutions"), lists+3, "the sweeps went on")
	assert.Equal(t, 1, f.count("Activities"), "the question was read once")
	assert.Zero(t, f.count("GetExecution"), "nothing to resolve")
	assert.Len(t, all[InteractionEvent](h), 1)
}

// A follow-up question asked after an answer (the execution went back to
// running, then paused again) is read and announced.
func TestAFollowUpAfterAnAnswerIsCaught(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusPausedByAgent, 0)
	f.addActs("w", question("q1", "Which plan?"))
	h := start(t, f)
	waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Which plan?" })

	f.addActs("w", api.Activity{ID: "r1", Kind: api.KindUserMessage, Message: "Plus"})
	f.put("w", api.StatusRunning, 0)
	waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 0 })
	f.addActs("w", question("q2", "Confirm payment of $40?"))
	f.put("w", api.StatusPausedByAgent, 0)
	ie := waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Confirm payment of $40?" })
	assert.Equal(t, "q2", ie.Request.ActivityID)
	assert.False(t, ie.Initial, "a new spell, not one seen at start")
	assert.Equal(t, 2, f.count("Activities"), "one read per spell")
}

// Issue 15: an execution that left paused_by_agent is not counted while
// its lookups fail, and the count converges within two sweeps.
func TestLeavingWaitingIsNotCountedWhileLookupsFail(t *testing.T) {
	f := newFake()
	for _, id := range []string{"a", "b", "c"} {
		f.put(id, api.StatusPausedByAgent, 0)
	}
	h := start(t, f, func(c *Config) { c.FullSweep = time.Hour })
	waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 3 })

	f.mu.Lock()
	f.failNext["GetExecution"] = &api.Error{Kind: api.KindServer, StatusCode: 503}
	f.failNext["Activities"] = &api.Error{Kind: api.KindServer, StatusCode: 503}
	f.mu.Unlock()
	f.put("a", api.StatusRunning, 0)
	f.put("b", api.StatusFailed, 0)
	seq := h.p.Snapshot().Seq
	snap := waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 1 }).Snapshot
	assert.LessOrEqual(t, snap.Seq, seq+2, "within two sweeps")
	assert.Equal(t, 1, snap.Counts[api.StatusPausedByAgent])
	_, waits := snap.WaitingFor("a")
	assert.False(t, waits)
	a, ok := snap.Get("a")
	require.True(t, ok)
	assert.Equal(t, api.StatusRunning, a.Status, "moved on: the dashboard can tell the reply box")
}

// Issue 15, mixed faults: while listings fail part-way, an execution a
// page that answered shows in another status is not counted; once the
// requests succeed again the picture is the truth within a few sweeps.
func TestListingsThatFailNeverKeepAStaleWait(t *testing.T) {
	f := newFake()
	for i, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		f.put(id, api.StatusPausedByAgent, i)
	}
	h := start(t, f)
	waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 8 })

	// Newest first, two a page: waiting [h g] [f e] [d]; active [h g] [f e]
	// [d c] [b a]. The waiting listing fails on its third page, the full
	// one on its fourth.
	f.hook(func(q api.ExecutionQuery) (bool, error) {
		if (waitingQuery(q) && q.Page == 3) || (!waitingQuery(q) && q.Page == 4) {
			return false, &api.Error{Kind: api.KindServer, StatusCode: 502}
		}
		return false, nil
	})
	for _, id := range []string{"a", "b", "c"} {
		f.put(id, api.StatusRunning, 0)
	}
	snap := waitFor(h, func(e SnapshotEvent) bool {
		c, _ := e.Snapshot.Get("c")
		return c.Status == api.StatusRunning
	}).Snapshot
	_, waits := snap.WaitingFor("c")
	assert.False(t, waits, "a page that answered showed c running")
	for _, w := range snap.Waiting {
		x, _ := snap.Get(w.ExecutionID)
		assert.Equal(t, api.StatusPausedByAgent, x.Status)
	}
	assert.Equal(t, Degraded, snap.Conn, "part of the picture could not be refreshed")

	f.hook(nil)
	seq := h.p.Snapshot().Seq
	snap = waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 5 && e.Snapshot.Conn == Live }).Snapshot
	assert.LessOrEqual(t, snap.Seq, seq+3)
	assert.Equal(t, 5, snap.Counts[api.StatusPausedByAgent])
	assert.Equal(t, 3, snap.Counts[api.StatusRunning])
}

// Issue 15: a hung request does not freeze the picture while the header
// says live: it times out on the poll deadline, the connection is reported
// degraded, and the snapshot says so too once its data is old.
func TestHungRequestsDegradeTheConnection(t *testing.T) {
	f := newFake()
	f.put("a", api.StatusRunning, 0)
	h := start(t, f, func(c *Config) { c.PollTimeout = 20 * time.Millisecond; c.StaleAfter = 60 * time.Millisecond })
	waitFor(h, func(e ConnectionEvent) bool { return e.State == Live })
	f.hook(func(api.ExecutionQuery) (bool, error) { return true, nil })
	ev := waitFor(h, func(e ConnectionEvent) bool { return e.State != Live && e.Err != nil })
	assert.True(t, api.KindOf(ev.Err) == api.KindTimeout || errors.Is(ev.Err, ErrStale), "%v", ev.Err)
	snap := h.p.Snapshot()
	require.NotNil(t, snap)
	assert.Eventually(t, func() bool { return snap.State(time.Now()) == Degraded }, time.Second, 5*time.Millisecond,
		"old data is never live")

	f.hook(nil)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.State(time.Now()) == Live && e.Snapshot.Seq > snap.Seq })
}

// The watchdog reports stale data even while a sweep is stuck (here, a
// poll deadline longer than StaleAfter).
func TestStaleDataIsReportedWhileASweepHangs(t *testing.T) {
	f := newFake()
	f.put("a", api.StatusRunning, 0)
	h := start(t, f, func(c *Config) { c.PollTimeout = time.Hour; c.StaleAfter = 40 * time.Millisecond })
	waitFor(h, func(e ConnectionEvent) bool { return e.State == Live })
	f.hook(func(api.ExecutionQuery) (bool, error) { return true, nil })
	ev := waitFor(h, func(e ConnectionEvent) bool { return e.State == Degraded })
	assert.ErrorIs(t, ev.Err, ErrStale)
	assert.False(t, ev.LastSuccess.IsZero())
}

// One slow page does not hold the others: the listing returns what the
// pages that answered hold, marked incomplete, within the poll deadline.
func TestOneSlowPageDoesNotHoldTheOthers(t *testing.T) {
	f := newFake()
	for i := range 8 {
		f.put(string(rune('a'+i)), api.StatusRunning, i)
	}
	f.hook(func(q api.ExecutionQuery) (bool, error) { return q.Page == 2, nil })
	cfg := fastConfig(f)
	cfg.PollTimeout = 50 * time.Millisecond
	p := New(cfg)
	start := time.Now()
	l := p.listAll(context.Background(), api.ExecutionQuery{Statuses: api.ActiveStatuses, PageSize: 2}, 100)
	assert.Less(t, time.Since(start), time.Second)
	assert.False(t, l.complete)
	assert.Equal(t, api.KindTimeout, api.KindOf(l.err))
	assert.Len(t, l.items, 6, "pages 1, 3 and 4")
}

// The full listing is the safety net: between two of them the sweep lists
// the waiting executions, and after an operator action (an execute) the new
// ones, only.
func TestBetweenFullListingsOnlyWaitingAndNewAreListed(t *testing.T) {
	f := newFake()
	for i := range 6 {
		f.put(string(rune('a'+i)), api.StatusRunning, i)
	}
	h := start(t, f, func(c *Config) { c.FullSweep, c.TerminalSweep, c.NudgeFull = time.Hour, time.Hour, time.Hour })
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 6 })
	f.put("n", api.StatusStarting, 100)
	h.p.Nudge()
	waitFor(h, func(e SnapshotEvent) bool { _, ok := e.Snapshot.Get("n"); return ok })
	h.stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	full := 0
	for _, q := range f.queries {
		if slices.Equal(q.Statuses, fullStatuses) && q.CreatedAfter.IsZero() {
			full++
		}
	}
	assert.Equal(t, 3, full, "one full listing of three pages, at start")
}

// The focused execution's end, seen by the tail, is looked up at once
// rather than at the next full listing.
func TestAnEndSeenByTheTailIsResolvedAtOnce(t *testing.T) {
	f := newFake()
	f.put("x", api.StatusRunning, 0)
	f.put("n", api.StatusRunning, 10) // newer: the new-executions listing starts from it
	f.addActs("x", act("x1", api.KindGeneric, "working"))
	h := start(t, f, func(c *Config) { c.FullSweep, c.TerminalSweep = time.Hour, time.Hour })
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 2 })
	h.focus("x")
	waitFor(h, func(e ActivitiesEvent) bool { return e.Reset })
	f.addActs("x", api.Activity{ID: "x2", Kind: api.KindStatusChanged, Status: api.StatusCompleted})
	f.put("x", api.StatusCompleted, 0)
	waitFor(h, func(e SnapshotEvent) bool { x, _ := e.Snapshot.Get("x"); return x.Status == api.StatusCompleted })
	assert.Equal(t, 1, f.count("GetExecution"))
}

// Issue 12: an execution awaiting confirmation needs a person as much as a
// question does: it is in Waiting (the badge, the inbox, the bell) with
// what it wants approved, read from its activities, and it leaves once
// approved.
func TestAnApprovalWaitsLikeAQuestion(t *testing.T) {
	f := newFake()
	f.put("c", api.StatusAwaitingConfirmation, 0)
	f.put("r", api.StatusRunning, 1)
	f.addActs("c", api.Activity{ID: "s1", Kind: api.KindStatusChanged, Status: api.StatusAwaitingConfirmation, Reason: "Submit the payment of €40?"})
	h := start(t, f)
	ie := waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Submit the payment of €40?" })
	assert.Equal(t, "c", ie.Request.ExecutionID)
	snap := waitFor(h, func(e SnapshotEvent) bool {
		q, ok := e.Snapshot.WaitingFor("c")
		return ok && q.Question == "Submit the payment of €40?"
	}).Snapshot
	assert.Len(t, snap.Waiting, 1)
	assert.Equal(t, 1, snap.PerAgent["agent-1"].Waiting)

	f.put("c", api.StatusRunning, 0)
	waitFor(h, func(e SnapshotEvent) bool { return len(e.Snapshot.Waiting) == 0 })
}

// An operator action shows at once: a Nudge lists every active execution
// (at most every NudgeFull), NudgeFor looks the execution up.
func TestAnActionShowsAtOnce(t *testing.T) {
	f := newFake()
	f.put("x", api.StatusRunning, 0)
	f.put("y", api.StatusRunning, 1)
	f.put("n", api.StatusRunning, 10)
	h := start(t, f, func(c *Config) { c.FullSweep, c.TerminalSweep, c.NudgeFull = time.Hour, time.Hour, time.Millisecond })
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 3 })
	f.put("x", api.StatusPaused, 0)
	h.p.Nudge()
	waitFor(h, func(e SnapshotEvent) bool { x, _ := e.Snapshot.Get("x"); return x.Status == api.StatusPaused })
	assert.Zero(t, f.count("GetExecution"))
}

func TestNudgeForLooksTheExecutionUp(t *testing.T) {
	f := newFake()
	f.put("y", api.StatusRunning, 1)
	f.put("n", api.StatusRunning, 10)
	h := start(t, f, func(c *Config) { c.FullSweep, c.TerminalSweep, c.NudgeFull = time.Hour, time.Hour, time.Hour })
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == 2 })
	f.put("y", api.StatusCancelled, 1)
	h.p.NudgeFor("y")
	waitFor(h, func(e SnapshotEvent) bool { y, _ := e.Snapshot.Get("y"); return y.Status == api.StatusCancelled })
	assert.Equal(t, 1, f.count("GetExecution"))
}

// After an operator's reply (NudgeFor), the question of an execution still
// waiting is read again: the agent may have asked again before any listing
// saw it running.
func TestAReplyGetsAStillWaitingQuestionReRead(t *testing.T) {
	f := newFake()
	f.put("w", api.StatusPausedByAgent, 0)
	f.addActs("w", question("q1", "Which plan?"))
	h := start(t, f, func(c *Config) { c.NudgeFull = time.Hour })
	waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Which plan?" })
	f.addActs("w", api.Activity{ID: "r1", Kind: api.KindUserMessage, Message: "Plus"}, question("q2", "Annual or monthly?"))
	h.p.NudgeFor("w")
	waitFor(h, func(e InteractionEvent) bool { return e.Request.Question == "Annual or monthly?" })
	assert.Len(t, all[InteractionEvent](h), 2)
}

// While nothing runs, nothing can start waiting: the sweep slows down.
func TestAFleetWithNothingRunningIsSweptSlowly(t *testing.T) {
	count := func(sts ...api.Status) int {
		f := newFake()
		for i, st := range sts {
			f.put(string(rune('a'+i)), st, i)
		}
		h := start(t, f, func(c *Config) {
			c.FastSweep, c.SlowSweep, c.HurryFor = 5*time.Millisecond, 50*time.Millisecond, time.Millisecond
		})
		waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Len() == len(sts) })
		n := f.count("ListExecutions")
		time.Sleep(200 * time.Millisecond)
		h.stop()
		return f.count("ListExecutions") - n
	}
	idle := count(api.StatusCompleted, api.StatusPaused, api.StatusPausedByAgent)
	busy := count(api.StatusCompleted, api.StatusRunning)
	assert.Less(t, idle*3, busy, "idle %d, busy %d listings", idle, busy)
}

// An execution that a complete listing showed gone is not counted as
// active while its end is unknown (every lookup failing): the counts never
// hold an execution the platform no longer lists as active.
func TestAnEndedExecutionIsNotCountedWhileItsLookupsFail(t *testing.T) {
	f := newFake()
	f.put("x", api.StatusRunning, 0)
	f.put("y", api.StatusRunning, 1)
	h := start(t, f)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Counts[api.StatusRunning] == 2 })
	f.hook(func(q api.ExecutionQuery) (bool, error) {
		if slices.Contains(q.Statuses, api.StatusCompleted) {
			return false, &api.Error{Kind: api.KindServer, StatusCode: 503} // no terminal listing answers
		}
		return false, nil
	})
	f.mu.Lock()
	f.failOps = map[string]error{"GetExecution": &api.Error{Kind: api.KindServer, StatusCode: 503}}
	f.mu.Unlock()
	f.put("x", api.StatusCompleted, 0)
	snap := waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Counts[api.StatusRunning] == 1 }).Snapshot
	_, shown := snap.Get("x")
	assert.False(t, shown, "gone from the active set, end unknown: not shown (it would count as running)")
	assert.Equal(t, 1, snap.ActiveTotal)

	f.mu.Lock()
	f.failOps = nil
	f.mu.Unlock()
	waitFor(h, func(e SnapshotEvent) bool { x, _ := e.Snapshot.Get("x"); return x.Status == api.StatusCompleted })
}

// After an execute (a Nudge), executions listed while starting are listed
// again until they are not, not left starting until the next full listing.
func TestStartingExecutionsAreFollowedUntilTheyRun(t *testing.T) {
	f := newFake()
	f.put("s", api.StatusStarting, 0)
	f.put("n", api.StatusRunning, 10)
	h := start(t, f, func(c *Config) {
		c.FullSweep, c.TerminalSweep, c.NudgeFull, c.SlowSweep, c.HurryFor = time.Hour, time.Hour, time.Hour, 10*time.Millisecond, time.Hour
	})
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Counts[api.StatusStarting] == 1 })
	h.p.Nudge()
	f.put("s", api.StatusRunning, 0)
	waitFor(h, func(e SnapshotEvent) bool { return e.Snapshot.Counts[api.StatusRunning] == 2 })
}

// The waiting listing is the one request that grows with the fleet every
// round: past WaitingPages pages the rounds stretch so that it keeps to
// that many a FastSweep, but never beyond FastSweepMax (a new wait is then
// still seen within 1.5 s).
func TestAWaitingListingOfManyPagesStretchesTheRoundsUpToACeiling(t *testing.T) {
	var cfg Config
	cfg.defaults()
	s := &sweeper{p: &Poller{cfg: cfg}}
	for _, tc := range []struct {
		pages int
		want  time.Duration
	}{
		{0, time.Second}, {1, time.Second}, {5, time.Second},
		{6, 1200 * time.Millisecond}, {7, 1250 * time.Millisecond}, {40, 1250 * time.Millisecond},
	} {
		s.waitingPages = tc.pages
		assert.Equal(t, tc.want, s.fastEvery(), "%d pages", tc.pages)
	}
	// A platform that asks for slower sweeps is never swept faster.
	cfg.applyHints(api.PollHints{MinSweep: 3 * time.Second})
	s.p.cfg = cfg
	s.waitingPages = 40
	assert.Equal(t, 3*time.Second, s.fastEvery())
}

// The safety net's requests stop growing with the fleet: a full listing of
// more than FullPages pages comes round less often, up to twice FullSweep.
func TestAFullListingOfManyPagesComesRoundLessOften(t *testing.T) {
	var cfg Config
	cfg.defaults()
	s := &sweeper{p: &Poller{cfg: cfg}}
	for _, tc := range []struct {
		total, pages int
		want         time.Duration
	}{
		{50, 1, 5 * time.Second}, // one page tells every change: every SlowSweep
		{1000, 10, 15 * time.Second},
		{1500, 15, 22500 * time.Millisecond},
		{5000, 50, 30 * time.Second},
	} {
		s.fullTotal, s.fullPages = tc.total, tc.pages
		assert.Equal(t, tc.want, s.fullEvery(), "%d pages", tc.pages)
	}
}
