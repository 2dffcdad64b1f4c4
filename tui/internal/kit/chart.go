package kit

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/theme"
)

// Outcome is how a run went, as the charts colour it, from the least to the
// most an operator would mind.
type Outcome uint8

// Outcomes.
const (
	NoRuns    Outcome = iota
	Succeeded         // completed, and the result does not say it failed
	Cancelled
	Active // not ended yet
	Failed // failed, or completed with a failed outcome
)

// failedOutcomes are result outcomes that mean the run failed at its task.
var failedOutcomes = map[string]bool{"failure": true, "failed": true, "fail": true, "error": true}

// OutcomeOf is how e went (or goes).
func OutcomeOf(e api.Execution) Outcome {
	switch e.Status {
	case api.StatusCompleted:
		if e.Result != nil && failedOutcomes[strings.ToLower(strings.TrimSpace(e.Result.Outcome))] {
			return Failed
		}
		return Succeeded
	case api.StatusFailed:
		return Failed
	case api.StatusCancelled:
		return Cancelled
	}
	return Active
}

// OutcomeStyle is the colour of an outcome (its status's).
func OutcomeStyle(st *theme.Styles, o Outcome) lipgloss.Style {
	switch o {
	case Succeeded:
		return st.Status(api.StatusCompleted)
	case Cancelled:
		return st.Status(api.StatusCancelled)
	case Active:
		return st.Status(api.StatusRunning)
	case Failed:
		return st.Status(api.StatusFailed)
	}
	return st.Muted
}

// OutcomeGlyph is the one-cell mark of an outcome (a status's glyph, so it
// reads without colour).
func OutcomeGlyph(o Outcome) string {
	switch o {
	case Succeeded:
		return theme.Glyph(api.StatusCompleted)
	case Cancelled:
		return theme.Glyph(api.StatusCancelled)
	case Active:
		return theme.Glyph(api.StatusRunning)
	case Failed:
		return theme.Glyph(api.StatusFailed)
	}
	return "·"
}

// Trend buckets: an agent's trend covers the last TrendBuckets hours.
const (
	TrendBuckets = 6
	TrendBucket  = time.Hour
)

// Trend is what an agent's runs did over the last TrendBuckets hours: how
// many started in each hour (oldest first) with the worst outcome among
// them, and how many of those that ended (not cancelled) succeeded. It is
// counted off the event loop, with the rows, and drawn from these numbers.
type Trend struct {
	Runs             [TrendBuckets]int
	Worst            [TrendBuckets]Outcome
	Ended, Succeeded int // ended with a success or a failure, and of those succeeded
}

// Add counts e if it started within the trend's hours before now.
func (t *Trend) Add(now time.Time, e api.Execution) {
	if e.CreatedAt.IsZero() || e.CreatedAt.After(now) {
		return
	}
	age := int(now.Sub(e.CreatedAt) / TrendBucket)
	if age >= TrendBuckets {
		return
	}
	i := TrendBuckets - 1 - age
	o := OutcomeOf(e)
	t.Runs[i]++
	t.Worst[i] = max(t.Worst[i], o)
	switch o {
	case Succeeded:
		t.Ended++
		t.Succeeded++
	case Failed:
		t.Ended++
	}
}

// Merge adds u's counts to t (the "All agents" trend).
func (t *Trend) Merge(u Trend) {
	for i := range t.Runs {
		t.Runs[i] += u.Runs[i]
		t.Worst[i] = max(t.Worst[i], u.Worst[i])
	}
	t.Ended += u.Ended
	t.Succeeded += u.Succeeded
}

// Rate is the share of ended runs that succeeded, as "83%" ("—" when none
// ended).
func (t Trend) Rate() string {
	if t.Ended == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", t.Succeeded*100/t.Ended)
}

var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// Spark draws the trend in TrendBuckets cells: each hour's bar as high as
// its runs (relative to the busiest hour) in the colour of its worst
// outcome, "·" for an hour without runs. A nil st draws it plain (on a
// selected row, whose style covers it).
func Spark(st *theme.Styles, t Trend) string {
	most := 0
	for _, n := range t.Runs {
		most = max(most, n)
	}
	var b strings.Builder
	for i, n := range t.Runs {
		cell := "·"
		if n > 0 {
			level := (n*len(sparkLevels) + most - 1) / most // ceil: one run shows
			cell = string(sparkLevels[level-1])
		}
		switch {
		case st == nil:
			b.WriteString(cell)
		case n == 0:
			b.WriteString(st.Muted.Render(cell))
		default:
			b.WriteString(OutcomeStyle(st, t.Worst[i]).Render(cell))
		}
	}
	return b.String()
}

// BarSpan places the interval [from, to] on w cells showing the window
// that starts at start and lasts span: the cells [a, b) it covers, at
// least one, clamped to the window.
func BarSpan(start time.Time, span time.Duration, from, to time.Time, w int) (a, b int) {
	if w <= 0 {
		return 0, 0
	}
	if span <= 0 {
		span = time.Second
	}
	cell := func(t time.Time) int {
		return int(float64(t.Sub(start)) / float64(span) * float64(w))
	}
	a = min(max(cell(from), 0), w-1)
	b = min(max(cell(to)+1, a+1), w)
	return a, b
}
