package timeline

import (
	"fmt"
	"strings"
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

func runs(n int, from int) []api.Execution {
	out := make([]api.Execution, n)
	for i := range out {
		out[i] = api.Execution{ID: fmt.Sprintf("run-%04d", from+n-1-i), AgentName: "Invoices", Status: api.StatusCompleted,
			CreatedAt: t0.Add(-time.Duration(n-i) * time.Minute)}
	}
	return out
}

// The span keys are the keymap's (config overrides work, help and the
// title say them), not strings the view compares.
func TestTheSpanKeysAreTheKeymaps(t *testing.T) {
	ctx, host := panetest.New(nil, t0)
	ctx.Snap = poller.NewSnapshot(1, t0, runs(3, 0), 0, nil)
	require.NoError(t, ctx.Keys.Override(map[string][]string{"span-longer": {">"}, "span-shorter": {"<"}}))
	v := New(ctx)
	v.SetSize(100, 12)
	panetest.Run(v, host, v.HandleMsg(pane.Shown{}))
	screen := func() string { return ansi.Strip(strings.Join(v.Render(), "\n")) }
	assert.Contains(t, screen(), "last 1h00m")
	assert.Contains(t, screen(), "</> zoom", "the title names the keys as bound")

	_, handled := v.HandleKey(keyPress("-"))
	assert.False(t, handled, "- is no longer bound")
	assert.Contains(t, screen(), "last 1h00m")
	_, _ = v.HandleKey(keyPress(">"))
	assert.Contains(t, screen(), "last 6h00m")
	_, _ = v.HandleKey(keyPress("<"))
	assert.Contains(t, screen(), "last 1h00m")

	var help []string
	for _, b := range v.ShortHelp() {
		help = append(help, b.Help().Key)
	}
	assert.Contains(t, help, ">")
	assert.Contains(t, help, "<")
}

// New runs arriving on top keep the operator's run selected.
func TestANewSnapshotKeepsTheSelectedRun(t *testing.T) {
	ctx, host := panetest.New(nil, t0)
	ctx.Snap = poller.NewSnapshot(1, t0, runs(10, 0), 0, nil)
	v := New(ctx)
	v.SetSize(100, 20)
	panetest.Run(v, host, v.HandleMsg(pane.Shown{}))
	_, _ = v.HandleKey(keyPress("j"))
	_, _ = v.HandleKey(keyPress("j"))
	e, ok := v.selected()
	require.True(t, ok)
	was := e.ID
	require.Equal(t, "run-0002", was, "newest first")

	// Three newer runs: it is now three rows further down.
	next := append(runs(3, 10), runs(10, 0)...)
	for i := range 3 {
		next[i].CreatedAt = t0.Add(-time.Duration(i) * time.Second)
	}
	snap := poller.NewSnapshot(2, t0, next, 0, nil)
	ctx.Snap = snap
	panetest.Run(v, host, v.HandleMsg(pane.PollMsg{poller.SnapshotEvent{Snapshot: snap}}))
	e, _ = v.selected()
	assert.Equal(t, was, e.ID, "the cursor followed the run")
	assert.Equal(t, 5, v.t.Cursor())
}
