package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/views/timeline"
	"github.com/agentop/agentop/tui/theme"
)

// lineWith is the screen's first line containing s.
func lineWith(t *testing.T, screen, s string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	require.Failf(t, "not on screen", "%q in\n%s", s, screen)
	return ""
}

func TestTheAgentsPaneShowsEachAgentsLastHours(t *testing.T) {
	h := newHarness(t, 160, 40)
	execs, q := fleet()
	h.snapshot(execs, q)
	v := h.view()
	assert.Contains(t, lineWith(t, v, "AGENT "), " 6H ", "the pane's trend column")
	// Invoice downloader: a run 2 hours ago (failed) and one now (running).
	assert.Contains(t, lineWith(t, v, "│Invoice downlo"), "···█·█", "one bar an hour, oldest first")
	assert.Contains(t, lineWith(t, v, "│All agents"), "···▃▃█", "the fleet's hours, against its busiest")

	narrow := newHarness(t, 120, 40)
	narrow.snapshot(execs, q)
	assert.NotContains(t, lineWith(t, narrow.view(), "│AGENT"), "6H", "a narrow pane keeps its room for names")
}

func TestTheAgentsViewShowsTrendAndSuccessRate(t *testing.T) {
	h := newHarness(t, 160, 40)
	execs, q := fleet()
	execs = append(execs, mkExec("ffff6666-bad", "Supplier portal checker", api.StatusCompleted, 30*time.Minute))
	execs[len(execs)-1].Result = &api.Result{Outcome: "failure"}
	h.snapshot(execs, q)
	h.keys("2")
	v := h.view()
	assert.Contains(t, v, "LAST 6H")
	assert.Contains(t, v, "OK 6H")
	row := lineWith(t, v, "Supplier portal checker")
	assert.Contains(t, row, "····▄█", "an hour of one run, then the busiest hour of two")
	assert.Contains(t, row, "50%", "one of its two ended runs failed at its task")
	assert.Contains(t, lineWith(t, v, "Insurance quote filler"), "—", "no ended run: no rate")
}

// timelineFleet is runs with known starts and durations.
func timelineFleet() []api.Execution {
	ended := func(e api.Execution, d time.Duration) api.Execution {
		e.Duration, e.TerminalAt = d, e.CreatedAt.Add(d)
		return e
	}
	return []api.Execution{
		mkExec("aaaa1111-run", "Invoice downloader", api.StatusRunning, 10*time.Minute),
		ended(mkExec("bbbb2222-bad", "Insurance quote filler", api.StatusFailed, 30*time.Minute), 5*time.Minute),
		ended(mkExec("cccc3333-ok", "Supplier portal checker", api.StatusCompleted, time.Hour), 50*time.Minute),
		ended(mkExec("dddd4444-ok", "Invoice downloader", api.StatusCompleted, 2*time.Hour), 20*time.Minute),
	}
}

// bar is the bar cells of a timeline row: its █s and the glyph after them.
func bar(row string) (start, cells int, glyph string) {
	r := []rune(row)
	first := -1
	for i, c := range r {
		if c == '█' {
			if first < 0 {
				first = i
			}
			cells++
		} else if first >= 0 {
			return first, cells, string(c)
		}
	}
	return first, cells, ""
}

func TestTheTimelineDrawsEachRunsDurationOverTime(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.snapshot(timelineFleet(), nil)
	assert.Contains(t, h.view(), "7 Timeline", "a tab")
	h.keys("7")
	require.Equal(t, timeline.Name, h.viewName())
	v := h.view()
	assert.Contains(t, v, "Timeline · 1–4 of 4 · 09:54:00 → now (2h06m)", "the window spans the visible runs, to now")
	assert.Contains(t, v, "09:54:00", "the axis starts at the window's start")

	s0, _, g0 := bar(lineWith(t, v, "aaaa1111"))
	s1, n1, g1 := bar(lineWith(t, v, "bbbb2222"))
	s2, n2, g2 := bar(lineWith(t, v, "cccc3333"))
	s3, n3, g3 := bar(lineWith(t, v, "dddd4444"))
	assert.Equal(t, []string{"●", "✗", "✓", "✓"}, []string{g0, g1, g2, g3}, "each bar ends in its outcome's mark")
	assert.True(t, s3 < s2 && s2 < s1 && s1 < s0, "older runs start further left: %d %d %d %d", s3, s2, s1, s0)
	assert.True(t, n2 > n3 && n3 > n1, "longer runs have longer bars: 50m %d, 20m %d, 5m %d", n2, n3, n1)
	assert.InDelta(t, 10*n3/4, n2, 2, "bars are to scale")

	h.keys("j", "j", "enter")
	assert.Equal(t, viewExecutions, h.viewName(), "enter shows the run")
	assert.Equal(t, "cccc3333-ok", h.exec().Selected())
}

func TestTheTimelineColoursBarsByOutcome(t *testing.T) {
	def, err := theme.Lookup("default")
	require.NoError(t, err)
	h := newHarness(t, 120, 30, func(o *Options) { o.Theme = def })
	execs := timelineFleet()
	execs[2].Result = &api.Result{Outcome: "failure"} // completed, but failed at its task
	h.snapshot(execs, nil)
	h.keys("7")
	screen := h.m.render()
	st := theme.New(def)
	failed := st.Status(api.StatusFailed).Render("█")
	ok := st.Status(api.StatusCompleted).Render("█")
	require.NotEqual(t, failed, ok)
	prefix := func(s string) string { return s[:strings.Index(s, "█")] }
	for _, l := range strings.Split(screen, "\n") {
		plain := ansi.Strip(l)
		switch {
		case strings.Contains(plain, "cccc3333"), strings.Contains(plain, "bbbb2222"):
			assert.Contains(t, l, prefix(failed)+"█", "a failed run's bar: %q", plain)
		case strings.Contains(plain, "dddd4444"):
			assert.Contains(t, l, prefix(ok)+"█", "a successful run's bar: %q", plain)
		}
	}
}

func TestTheTimelineDrawsOnlyTheVisibleRuns(t *testing.T) {
	h := newHarness(t, 100, 20)
	execs := make([]api.Execution, 1000)
	for i := range execs {
		execs[i] = mkExec(fmt.Sprintf("%08d-x", i), "Agent", api.StatusCompleted, time.Duration(i)*time.Minute)
	}
	h.snapshot(execs, nil)
	h.keys("7")
	v := h.view()
	assert.Contains(t, v, "1–14 of 1000", "a window of the runs")
	assert.Contains(t, v, "00000013")
	assert.NotContains(t, v, "00000014")
	h.keys("G")
	v = h.view()
	assert.Contains(t, v, "987–1000 of 1000")
	assert.Contains(t, v, "Nov 22 19:20 → Nov 22 19:34 (13m39s)", "the window is the visible runs' span")
	s0, _, _ := bar(lineWith(t, v, "00000999"))
	s1, _, _ := bar(lineWith(t, v, "00000986"))
	assert.Greater(t, s1-s0, 40, "the bars spread over the window")
	for _, l := range strings.Split(v, "\n") {
		assert.Equal(t, 100, ansi.StringWidth(l), "%q", l)
	}
}
