package tui

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/pane"
)

// fleetRig is a dashboard over two contexts, each with its own fake
// backend recording what it received: "support" (asteroid) and "ops"
// (archastro).
type fleetRig struct {
	*harness
	support, ops *fakeBackend
	mu           sync.Mutex
	snap         *poller.Snapshot
}

func newFleetRig(t *testing.T, opsReadOnly bool) *fleetRig {
	t.Helper()
	r := &fleetRig{support: newFakeBackend(), ops: newFakeBackend()}
	contexts := []FleetContext{
		{Name: "support", Platform: "asteroid", Backend: r.support},
		{Name: "ops", Platform: "archastro", Backend: r.ops, ReadOnly: opsReadOnly},
	}
	// Routed as the running fleet routes: by the merged snapshot.
	router := routeBy(contexts, func(id string) string {
		r.mu.Lock()
		defer r.mu.Unlock()
		e, _ := r.snap.Get(id)
		return e.Context
	})
	r.harness = newHarness(t, 150, 36, func(o *Options) { o.Fleet, o.Backend, o.Context = contexts, router, "" })
	return r
}

// fleetExecs: support has one running and one asking (asked 4 minutes
// ago); ops has one asking longer (asked 6 minutes ago) and one done.
func fleetExecs() ([]api.Execution, map[string]api.InteractionRequest) {
	execs := []api.Execution{
		mkExec("sup11111-run", "Invoice downloader", api.StatusRunning, 2*time.Minute),
		mkExec("sup22222-ask", "Insurance quote filler", api.StatusPausedByAgent, 5*time.Minute),
		mkExec("ops33333-ask", "Deploy bot", api.StatusPausedByAgent, 7*time.Minute),
		mkExec("ops44444-ok", "Deploy bot", api.StatusCompleted, time.Hour),
	}
	for i := range execs {
		execs[i].Context = "support"
		if strings.HasPrefix(execs[i].ID, "ops") {
			execs[i].Context = "ops"
		}
	}
	q := map[string]api.InteractionRequest{
		"sup22222-ask": {ExecutionID: "sup22222-ask", Context: "support", AgentName: "Insurance quote filler", Question: "Basic or Plus?", AskedAt: t0.Add(-4 * time.Minute)},
		"ops33333-ask": {ExecutionID: "ops33333-ask", Context: "ops", AgentName: "Deploy bot", Question: "Deploy to prod?", AskedAt: t0.Add(-6 * time.Minute)},
	}
	return execs, q
}

// merged delivers a merged snapshot with the contexts' states.
func (r *fleetRig) merged(execs []api.Execution, q map[string]api.InteractionRequest, states ...poller.ContextState) {
	r.t.Helper()
	r.seq++
	snap := poller.NewSnapshot(r.seq, t0, slices.Clone(execs), 0, q)
	snap.Contexts = states
	r.mu.Lock()
	r.snap = snap
	r.mu.Unlock()
	r.send(PollMsg{poller.SnapshotEvent{Snapshot: snap}, poller.ConnectionEvent{State: poller.Live, LastSuccess: t0}})
}

func bothLive() []poller.ContextState {
	return []poller.ContextState{
		{Context: "support", Platform: "asteroid", State: poller.Live, LastSuccess: t0},
		{Context: "ops", Platform: "archastro", State: poller.Live, LastSuccess: t0},
	}
}

func TestFleetTableShowsEveryContextWithItsContextColumn(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	v := r.view()
	assert.Contains(t, v, "CONTEXT")
	for _, want := range []string{"✦ support", "◈ ops", "sup11111", "ops33333", "ops44444"} {
		assert.Contains(t, v, want)
	}
	assert.Contains(t, v, "NEEDS YOU 2", "the badge counts the questions of every context")
	assert.Equal(t, "ops33333-ask", r.exec().Selected(), "the longest-waiting question first, whichever context")
	assert.Contains(t, v, "ops/Deploy bot", "agents are named with their context")

	// The contexts' catalogs join, grouped by context in the fleet's order.
	r.send(PollMsg{
		poller.CatalogEvent{Context: "ops", Agents: []api.Agent{{ID: "agent-deploy", Name: "Deploy bot"}}},
		poller.CatalogEvent{Context: "support", Agents: []api.Agent{{ID: "agent-zebra", Name: "Zebra"}, {ID: "agent-invoice", Name: "Invoice downloader"}}},
	})
	assert.Equal(t, []string{"support", "support", "support", "ops"}, agentContexts(r.m.ctx.Agents))
	v = r.view()
	assert.Less(t, strings.Index(v, "support/Zebra"), strings.Index(v, "ops/Deploy bot"), "support's agents first")

	r.keys("/")
	r.typeText("ctx:sup")
	r.keys("enter")
	v = r.view()
	assert.Contains(t, v, "sup11111")
	assert.NotContains(t, v, "ops44444", "ctx:NAME keeps one context's executions")
}

func TestFleetInboxIsOldestFirstAcrossContexts(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	r.keys("5")
	v := r.view()
	ops, sup := strings.Index(v, "Deploy to prod?"), strings.Index(v, "Basic or Plus?")
	require.Positive(t, ops)
	require.Positive(t, sup)
	assert.Less(t, ops, sup, "ops asked first, so it is listed first")
	assert.Contains(t, v, "ops/Deploy bot")
}

func TestFleetActionsGoToTheExecutionsContext(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	// The inbox's first question is ops's: the reply goes to ops.
	r.keys("5", "enter")
	require.Equal(t, panePrompt, r.exec().Focus())
	r.typeText("Yes, deploy")
	r.keys("enter")
	assert.Equal(t, []string{"Yes, deploy"}, r.ops.replies)
	assert.Empty(t, r.support.replies, "nothing reached the other context")

	r.keys("esc")
	r.selectExec("sup11111-run")
	r.keys("p")
	assert.True(t, r.support.called("pause sup11111-run"), "pause went to support")
	assert.False(t, r.ops.called("pause sup11111-run"))
}

func TestFleetReadOnlyContextTakesNoAction(t *testing.T) {
	r := newFleetRig(t, true)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	assert.Contains(t, r.view(), "ops (ro)")
	r.selectExec("ops33333-ask")
	r.keys("i")
	assert.NotEqual(t, panePrompt, r.exec().Focus(), "no reply box for a read-only context's execution")
	r.keys("x")
	assert.Nil(t, r.overlay())
	assert.Empty(t, r.ops.calls, "nothing reached the read-only context")

	r.selectExec("sup22222-ask")
	r.keys("i")
	require.Equal(t, panePrompt, r.exec().Focus(), "the other context still takes replies")
	r.typeText("Plus")
	r.keys("enter")
	assert.Equal(t, []string{"Plus"}, r.support.replies)

	err := r.m.ctx.Backend.Reply(t.Context(), "ops33333-ask", "sneaky")
	assert.ErrorContains(t, err, "context ops is read-only", "the router refuses too, whatever asks")
	assert.Empty(t, r.ops.replies)
}

func TestFleetHeaderShowsAContextGoneUnauthorized(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	states := bothLive()
	states[1].State = poller.Offline
	states[1].Err = &api.Error{Kind: api.KindUnauthorized, StatusCode: 401, Message: "invalid key"}
	r.merged(execs, q, states...)
	header := strings.SplitN(r.view(), "\n", 2)[0]
	assert.Contains(t, header, "✦ support ●", "support stays live")
	assert.Contains(t, header, "◈ ops ✗ unauthorized")
	assert.Contains(t, r.view(), "sup11111", "the live context's executions are still shown")

	states[1] = poller.ContextState{Context: "ops", Platform: "archastro", State: poller.Degraded, LastSuccess: t0.Add(-40 * time.Second)}
	r.merged(execs, q, states...)
	header = strings.SplitN(r.view(), "\n", 2)[0]
	assert.Contains(t, header, "◈ ops ◐ 40s", "a degraded context shows its data's age")
}

func agentContexts(rows []pane.AgentRow) []string {
	out := make([]string, len(rows))
	for i, a := range rows {
		out[i] = a.Context
	}
	return out
}

func TestFleetContextCommandListsAndNarrows(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	states := bothLive()
	states[0].Executions, states[0].Waiting = 2, 1
	states[1].State, states[1].Err = poller.Offline, &api.Error{Kind: api.KindUnauthorized, StatusCode: 401, Message: "invalid key"}
	r.merged(execs, q, states...)

	r.keys(":")
	r.typeText("ctx")
	r.keys("enter")
	require.NotNil(t, r.overlay(), ":ctx lists the contexts")
	v := r.view()
	assert.Regexp(t, `✦ support +asteroid +live +2 executions +1 waiting`, v)
	assert.Regexp(t, `◈ ops +archastro +unauthorized`, v)
	assert.Contains(t, v, "invalid key", "with what is wrong")
	r.keys("esc")

	r.keys("2", ":")
	r.typeText("ctx ops")
	r.keys("enter")
	assert.Equal(t, viewExecutions, r.viewName(), ":ctx NAME shows the executions")
	assert.Equal(t, "ctx:ops", r.filter())
	v = r.view()
	assert.Contains(t, v, "ops33333")
	assert.NotContains(t, v, "sup11111")

	r.keys(":")
	r.typeText("ctx all")
	r.keys("enter")
	assert.Empty(t, r.filter())
	assert.Contains(t, r.view(), "sup11111")

	r.keys(":")
	r.typeText("ctx nope")
	r.keys("enter")
	assert.Contains(t, r.view(), "No context starts with nope")
}

func TestContextCommandOutsideAFleetExplains(t *testing.T) {
	h := newHarness(t, 120, 36)
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys(":")
	h.typeText("ctx")
	h.keys("enter")
	assert.Nil(t, h.overlay())
	assert.Contains(t, h.view(), "--all-contexts")
}

func TestFleetNudgesOnlyTheContextsActedOn(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	router := r.m.ctx.Backend.(*router)
	router.takeActed()
	r.selectExec("sup11111-run")
	r.keys("p")
	require.True(t, r.support.called("pause sup11111-run"))
	assert.Equal(t, []string{"support"}, router.takeActed(), "the next Nudge hurries support's poller alone")
	assert.Empty(t, router.takeActed())
}

func TestFleetBellAndNextWaitingCoverEveryContext(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	r.keys("2")
	r.send(PollMsg{poller.InteractionEvent{Request: q["ops33333-ask"]}})
	assert.Equal(t, []string{"\a"}, r.raw, "a question in any context rings")
	assert.Contains(t, r.view(), "Deploy bot asks: Deploy to prod?")

	r.keys("!")
	assert.Equal(t, viewExecutions, r.viewName())
	first := r.exec().Selected()
	r.keys("!")
	second := r.exec().Selected()
	assert.ElementsMatch(t, []string{"ops33333-ask", "sup22222-ask"}, []string{first, second}, "! visits the questions of both contexts")
}

func TestFleetHeaderCompactsLiveContextsWhenNarrow(t *testing.T) {
	r := newFleetRig(t, false)
	r.send(windowSize(92, 30))
	execs, q := fleetExecs()
	states := bothLive()
	states[1].State = poller.Offline
	states[1].Err = &api.Error{Kind: api.KindUnauthorized, StatusCode: 401}
	r.merged(execs, q, states...)
	header := strings.SplitN(r.view(), "\n", 2)[0]
	assert.Contains(t, header, "✦●", "a live context is its glyph and dot")
	assert.NotContains(t, header, "support")
	assert.Contains(t, header, "◈ ops ✗ unauthorized", "what is wrong keeps its name")
}

func TestFleetAgentsViewNamesEachAgentsContext(t *testing.T) {
	r := newFleetRig(t, false)
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	r.keys("2")
	v := r.view()
	assert.Contains(t, v, "ops/Deploy bot")
	assert.Contains(t, v, "support/Invoice downloader")
}
