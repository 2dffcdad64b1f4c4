package timeline

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/pane/panetest"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestEachRunIsABarOverTimeByOutcome(t *testing.T) {
	time.Local = time.UTC
	ctx, host := panetest.New(nil, t0)
	execs := []api.Execution{
		{ID: "run-0001", AgentName: "Invoices", Status: api.StatusRunning, CreatedAt: t0.Add(-15 * time.Minute)},
		{ID: "ok-00001", AgentName: "Quotes", Status: api.StatusCompleted, CreatedAt: t0.Add(-50 * time.Minute), TerminalAt: t0.Add(-35 * time.Minute),
			Result: &api.Result{Outcome: "success"}},
		{ID: "bad-0001", AgentName: "Quotes", Status: api.StatusCompleted, CreatedAt: t0.Add(-55 * time.Minute), TerminalAt: t0.Add(-50 * time.Minute),
			Result: &api.Result{Outcome: "failure"}},
		{ID: "old-0001", AgentName: "Old", Status: api.StatusFailed, CreatedAt: t0.Add(-5 * time.Hour), TerminalAt: t0.Add(-4 * time.Hour)},
	}
	ctx.Snap = poller.NewSnapshot(1, t0, execs, 0, nil)
	v := New(ctx)
	v.SetSize(100, 12)
	panetest.Run(v, host, v.HandleMsg(pane.Shown{}))
	lines := v.Render()
	require.Len(t, lines, 12)
	for _, l := range lines {
		assert.Equal(t, 100, ansi.StringWidth(l), "%q", l)
	}
	screen := ansi.Strip(strings.Join(lines, "\n"))
	assert.Contains(t, screen, "Timeline · last 1h00m")
	row := func(id string) string {
		for _, l := range strings.Split(screen, "\n") {
			if strings.Contains(l, id) {
				return l
			}
		}
		return ""
	}
	// 1h over 72 cells: a run of the last 15 minutes fills the last 18.
	assert.True(t, strings.HasSuffix(strings.TrimRight(row("run-0001"), "│ "), strings.Repeat("▒", 18)), row("run-0001"))
	assert.Contains(t, row("ok-00001"), strings.Repeat("■", 18))
	assert.Contains(t, row("bad-0001"), strings.Repeat("▓", 6), "a completed run that failed is drawn as failed")
	assert.NotContains(t, row("old-0001"), "▓", "outside the hour")
	assert.Contains(t, screen, "11:00")
	assert.Contains(t, screen, "now")

	_, _ = v.HandleKey(keyPress("-"))
	_, _ = v.HandleKey(keyPress("-"))
	screen = ansi.Strip(strings.Join(v.Render(), "\n"))
	assert.Contains(t, screen, "last 1d0h")
	assert.Contains(t, row2(screen, "old-0001"), "▓", "in the day")
}

func row2(screen, id string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, id) {
			return l
		}
	}
	return ""
}

func keyPress(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: []rune(s)[0], Text: s} }
