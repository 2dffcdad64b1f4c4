package executions

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/pane/panetest"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func fleet() (*poller.Snapshot, []api.Execution) {
	execs := []api.Execution{
		{ID: "run-1", AgentID: "a1", AgentName: "Invoices", Status: api.StatusRunning, CreatedAt: t0.Add(-time.Minute)},
		{ID: "ask-1", AgentID: "a2", AgentName: "Quotes", Status: api.StatusPausedByAgent, CreatedAt: t0.Add(-2 * time.Minute)},
		{ID: "ask-2", AgentID: "a1", AgentName: "Invoices", Status: api.StatusPausedByAgent, CreatedAt: t0.Add(-3 * time.Minute)},
		{ID: "done-1", AgentID: "a2", AgentName: "Quotes", Status: api.StatusCompleted, CreatedAt: t0.Add(-time.Hour)},
	}
	q := map[string]api.InteractionRequest{
		"ask-1": {ExecutionID: "ask-1", Question: "Basic or Plus?", AskedAt: t0.Add(-time.Minute)},
		"ask-2": {ExecutionID: "ask-2", Question: "Which month?", AskedAt: t0.Add(-2 * time.Minute)},
	}
	return poller.NewSnapshot(1, t0, execs, 0, q), execs
}

// newView is the view at w×h with the fleet's rows built, as the root
// would drive it.
func newView(t *testing.T, w, h int) (*View, *panetest.Host) {
	t.Helper()
	ctx, host := panetest.New(nil, t0)
	v := New(ctx)
	v.SetSize(w, h)
	snap, _ := fleet()
	ctx.Snap = snap
	panetest.Run(v, host, v.HandleMsg(pane.PollMsg{poller.SnapshotEvent{Snapshot: snap}}))
	v.SetSize(w, h)
	require.Equal(t, 4, v.Rows())
	return v, host
}

func TestTheViewRendersExactlyItsArea(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {160, 45}} {
		v, _ := newView(t, size[0], size[1])
		lines := v.Render()
		require.Len(t, lines, size[1])
		for _, l := range lines {
			assert.Equal(t, size[0], ansi.StringWidth(l), "%q", l)
		}
	}
}

func TestRowsPublishTheAgentsToTheOtherViews(t *testing.T) {
	v, _ := newView(t, 120, 30)
	require.Len(t, v.ctx.Agents, 2)
	assert.Equal(t, 1, v.ctx.Agents[0].Stats.Waiting, "agents needing someone first")
}

func TestAStaleRowsResultIsDropped(t *testing.T) {
	v, host := newView(t, 120, 30)
	stale := v.SetFilter("quotes")
	fresh := v.SetFilter("")
	panetest.Run(v, host, fresh)
	panetest.Run(v, host, stale)
	assert.Equal(t, 4, v.Rows(), "the older filter's rows lost")
}

func TestNextWaitingCyclesOldestFirstAndOpensNothingWhenNobodyWaits(t *testing.T) {
	v, host := newView(t, 120, 30)
	assert.Equal(t, "ask-2", v.Selected(), "the longest waiting is listed first")
	cmd, shown := v.Show(pane.Target{NextWaiting: true})
	require.True(t, shown)
	panetest.Run(v, host, cmd)
	assert.Equal(t, "ask-1", v.Selected())
	cmd, _ = v.Show(pane.Target{NextWaiting: true})
	panetest.Run(v, host, cmd)
	assert.Equal(t, "ask-2", v.Selected(), "and around again")

	quiet := poller.NewSnapshot(2, t0, nil, 0, nil)
	v.ctx.Snap = quiet
	_, shown = v.Show(pane.Target{NextWaiting: true})
	assert.False(t, shown, "the root stays where it is")
	assert.Equal(t, "No agent is waiting for you.", host.LastFlash())
}

func TestTheReplyBoxCapturesEveryKeyUntilEsc(t *testing.T) {
	v, host := newView(t, 120, 30)
	cmd, _ := v.HandleKey(panetest.Key("i"))
	panetest.Run(v, host, cmd)
	require.True(t, v.Capturing())
	for _, k := range []string{"q", "/", "x", "1"} {
		v.HandleKey(panetest.Key(k))
	}
	assert.Equal(t, "q/x1", v.Reply().Value())
	assert.Empty(t, host.Lines, "/ typed, no filter line")
	v.HandleKey(panetest.Key("esc"))
	assert.False(t, v.Capturing())
	assert.Equal(t, AreaFeed, v.Focus())
}

func TestFeedEventsOfAnEarlierFocusAreDropped(t *testing.T) {
	v, host := newView(t, 120, 30)
	id, gen := v.Following()
	v.HandleKey(panetest.Key("j"))
	_, gen2 := v.Following()
	require.Greater(t, gen2, gen)
	panetest.Run(v, host, v.HandleMsg(pane.PollMsg{poller.ActivitiesEvent{ExecutionID: id, Focus: gen, Reset: true,
		Activities: []api.Activity{{ID: "x", Kind: api.KindGeneric, Text: "STALE"}}}}))
	assert.Zero(t, v.feeds.get(id).Len(), "nothing was appended to the old feed")
	for _, l := range v.Render() {
		assert.NotContains(t, l, "STALE")
	}
}

func TestAnActionTheExecutionsKindDoesNotTakeExplainsItself(t *testing.T) {
	v, host := newView(t, 120, 30)
	v.ctx.Caps.Kinds = []api.KindCapabilities{{Kind: "routine", Label: "routine run", Reply: false, Pause: true, Resume: true, Cancel: true}}
	snap, execs := fleet()
	execs[2].Kind = "routine" // ask-2, selected first
	v.ctx.Snap = poller.NewSnapshot(2, t0, execs, 0, map[string]api.InteractionRequest{"ask-2": snap.Waiting[0]})
	cmd, _ := v.HandleKey(panetest.Key("i"))
	panetest.Run(v, host, cmd)
	assert.False(t, v.Capturing(), "no reply box for a kind that takes no reply")
	assert.Equal(t, "This kind of execution (routine run) cannot be answered.", host.LastFlash())
}
