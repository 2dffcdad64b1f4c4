package kit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/api"
)

func TestTrendCountsTheLastHoursByOutcome(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	run := func(age time.Duration, st api.Status, outcome string) api.Execution {
		e := api.Execution{Status: st, CreatedAt: now.Add(-age)}
		if outcome != "" {
			e.Result = &api.Result{Outcome: outcome}
		}
		return e
	}
	var tr Trend
	for _, e := range []api.Execution{
		run(10*time.Minute, api.StatusRunning, ""),
		run(20*time.Minute, api.StatusCompleted, "success"),
		run(30*time.Minute, api.StatusCompleted, "success"),
		run(90*time.Minute, api.StatusCompleted, "failure"), // completed, but failed at its task
		run(5*time.Hour+59*time.Minute, api.StatusCancelled, ""),
		run(7*time.Hour, api.StatusFailed, ""), // before the window
		{Status: api.StatusCompleted},          // no start time
	} {
		tr.Add(now, e)
	}
	assert.Equal(t, [TrendBuckets]int{1, 0, 0, 0, 1, 3}, tr.Runs, "oldest hour first")
	assert.Equal(t, [TrendBuckets]Outcome{Cancelled, NoRuns, NoRuns, NoRuns, Failed, Active}, tr.Worst)
	assert.Equal(t, "66%", tr.Rate(), "two of three ended runs succeeded; cancelled and running ones do not count")
	assert.Equal(t, "▃···▃█", Spark(nil, tr), "each hour as high as its runs against the busiest")

	var all Trend
	all.Merge(tr)
	all.Merge(tr)
	assert.Equal(t, [TrendBuckets]int{2, 0, 0, 0, 2, 6}, all.Runs)
	assert.Equal(t, "66%", all.Rate())
	assert.Equal(t, "—", Trend{}.Rate(), "no ended runs")
	assert.Equal(t, "······", Spark(nil, Trend{}))
}

func TestBarSpanPlacesARunOnTheWindow(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	span := 2 * time.Hour
	a, b := BarSpan(start, span, start.Add(30*time.Minute), start.Add(90*time.Minute), 40)
	assert.Equal(t, [2]int{10, 31}, [2]int{a, b}, "a quarter in, half the window long")
	a, b = BarSpan(start, span, start.Add(time.Hour), start.Add(time.Hour), 40)
	assert.Equal(t, 1, b-a, "an instant still shows")
	a, b = BarSpan(start, span, start.Add(-time.Hour), start.Add(3*time.Hour), 40)
	assert.Equal(t, [2]int{0, 40}, [2]int{a, b}, "clamped to the window")
}

func TestOutcomeOfAFailedResult(t *testing.T) {
	assert.Equal(t, Failed, OutcomeOf(api.Execution{Status: api.StatusCompleted, Result: &api.Result{Outcome: " Failure "}}))
	assert.Equal(t, Succeeded, OutcomeOf(api.Execution{Status: api.StatusCompleted, Result: &api.Result{Outcome: "partial"}}))
	assert.Equal(t, Active, OutcomeOf(api.Execution{Status: api.StatusPausedByAgent}))
	assert.Equal(t, "✗", OutcomeGlyph(Failed))
}
