package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// advancing returns a sleep that moves the simulated clock instead of
// waiting.
func advancing(clk *sim.ManualClock, step time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, _ time.Duration) error {
		clk.Advance(step)
		return ctx.Err()
	}
}

// jsonLines decodes one JSON object per line.
func jsonLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var items []T
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var v T
		require.NoError(t, json.Unmarshal([]byte(line), &v), line)
		items = append(items, v)
	}
	return items
}

func TestActivitiesFollowUntilTerminal(t *testing.T) {
	f := newFleet(t, sim.ScenarioDemo)
	running := f.execution(t, api.StatusRunning)
	i := inv{env: f.env(t), sleep: advancing(f.clk, 30*time.Second)}

	r := i.run(t, "activities", running.ID, "--follow", "-n", "5", "-o", "json")
	require.Equal(t, 0, r.code, r)
	printed := jsonLines[ActivityOutput](t, r.out)

	x, err := f.e.Execution(running.ID)
	require.NoError(t, err)
	require.True(t, x.Status.IsTerminal(), "followed to the end")
	last := printed[len(printed)-1]
	assert.Equal(t, "status_changed", last.Kind)
	assert.Equal(t, string(x.Status), last.Status)

	// Exactly the feed from the fifth-newest activity at the start, each
	// once, in order.
	var all []ActivityOutput
	decode(t, inv{env: f.env(t)}.run(t, "activities", running.ID, "-n", "5000", "-o", "json"), &all)
	var start int
	for k, a := range all {
		if a.ID == printed[0].ID {
			start = k
		}
	}
	assert.Equal(t, all[start:], printed)
	assert.Greater(t, len(printed), 5, "new activities were printed as they came")
}

func TestActivitiesFollowTableAndCtrlC(t *testing.T) {
	f := newFleet(t)
	running := f.execution(t, api.StatusRunning)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := 0
	i := inv{env: f.env(t), ctx: ctx, sleep: func(ctx context.Context, _ time.Duration) error {
		if polls++; polls == 3 {
			cancel() // Ctrl-C
		}
		return ctx.Err()
	}}
	i.env["COLUMNS"] = "70"
	r := i.run(t, "activities", running.ID, "-f", "-n", "4")
	assert.Equal(t, 0, r.code, "Ctrl-C ends a follow cleanly: %s", r)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	require.Len(t, lines, 5, "header and the four newest; idle: nothing new")
	assert.Regexp(t, `^TIME\s+ACTOR\s+KIND\s+TEXT$`, lines[0])
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 70, l)
	}
	assert.Equal(t, 3, polls)
}

func TestFollowBacksOffAndHonoursRetryAfter(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	url := stub(t, map[string]http.HandlerFunc{
		"GET /executions/ex-1": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls++
			n := calls
			mu.Unlock()
			switch n {
			case 1:
				w.Header().Set("Retry-After", "7")
				jsonReply(w, http.StatusTooManyRequests, map[string]any{"code": 429, "message": "slow down"})
			case 2:
				jsonReply(w, http.StatusBadGateway, map[string]any{"code": 502, "message": "bad gateway"})
			default:
				jsonReply(w, http.StatusOK, wire.Execution{ID: "ex-1", Status: "completed"})
			}
		},
		"GET /executions/ex-1/activities": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusOK, []any{})
		},
	})
	var waits []time.Duration
	i := inv{
		env: map[string]string{"HOME": t.TempDir(), "ASTEROID_BASE_URL": url, "ASTEROID_API_KEY": testKey},
		sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		},
	}
	r := i.run(t, "activities", "ex-1", "--follow", "--interval", "1s")
	require.Equal(t, 0, r.code, r)
	require.Len(t, waits, 2)
	assert.Equal(t, 7*time.Second, waits[0], "Retry-After")
	assert.Equal(t, 2*time.Second, waits[1], "doubled after a second failure")
	assert.Contains(t, r.err, "agentop: warning: get execution ex-1: rate limited (HTTP 429): slow down (retry after 7s); retrying in 7s\n")
	assert.Contains(t, r.err, "server error (HTTP 502)")
	assert.Empty(t, r.out, "the feed is empty")
}

func TestBackoff(t *testing.T) {
	assert.Equal(t, 2*time.Second, backoff(2*time.Second, 1, 0))
	assert.Equal(t, 8*time.Second, backoff(2*time.Second, 3, 0))
	assert.Equal(t, maxBackoff, backoff(2*time.Second, 30, 0))
	assert.Equal(t, time.Second, backoff(10*time.Millisecond, 1, 0), "at least a second")
	assert.Equal(t, time.Minute, backoff(2*time.Second, 1, time.Minute), "Retry-After wins")
}

func TestWaitForInteraction(t *testing.T) {
	f := newFleet(t)
	waiting := f.execution(t, api.StatusPausedByAgent)
	i := inv{env: f.env(t)}

	r := i.run(t, "wait", waiting.ID, "--for", "interaction")
	require.Equal(t, 0, r.code, r)
	question := strings.TrimSpace(r.out)
	assert.NotEmpty(t, question)
	assert.NotEqual(t, api.GenericQuestion, question)

	var out WaitOutput
	decode(t, i.run(t, "wait", waiting.ID, "--for", "interaction", "-o", "json"), &out)
	assert.Equal(t, outcomeAsked, out.Outcome)
	assert.Equal(t, "paused_by_agent", out.Status)
	require.NotNil(t, out.Question)
	assert.Equal(t, question, out.Question.Text)
	assert.False(t, out.Question.Fallback)
	assert.NotEmpty(t, out.Question.ActivityID)

	// An execution that ended without asking: exit 5, status still printed.
	done := f.execution(t, api.StatusCompleted)
	r = i.run(t, "wait", done.ID, "--for", "interaction", "-o", "json")
	assert.Equal(t, exitEnded, r.code, r)
	require.NoError(t, json.Unmarshal([]byte(r.out), &out))
	assert.Equal(t, outcomeEnded, out.Outcome)
	assert.Equal(t, "completed", out.Status)
	assert.Nil(t, out.Question)
	assert.Equal(t, "agentop: execution "+done.ID+" ended (completed) without asking for input\n", r.err)

	r = i.run(t, "wait", done.ID)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "--for must be interaction or result")
}

func TestWaitForResult(t *testing.T) {
	f := newFleet(t, sim.ScenarioDemo)
	done := f.execution(t, api.StatusCompleted)
	i := inv{env: f.env(t), sleep: advancing(f.clk, time.Minute)}

	r := i.run(t, "wait", done.ID, "--for", "result")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^Status:\s+completed$`, r.out)
	assert.Regexp(t, `(?m)^Outcome:\s+\S+`, r.out)

	// The waiting agent is never answered: it fails after the human timeout.
	waiting := f.execution(t, api.StatusPausedByAgent)
	r = i.run(t, "wait", waiting.ID, "--for", "result", "-o", "json")
	assert.Equal(t, exitEnded, r.code, r)
	var out WaitOutput
	require.NoError(t, json.Unmarshal([]byte(r.out), &out))
	assert.Equal(t, outcomeEnded, out.Outcome)
	assert.Equal(t, "failed", out.Status)
	require.NotNil(t, out.Result)
	assert.Equal(t, "failure", out.Result.Outcome)
	assert.Contains(t, r.err, "ended (failed) without completing")
}

func TestWaitTimeout(t *testing.T) {
	f := newFleet(t)
	running := f.execution(t, api.StatusRunning)
	i := inv{env: f.env(t), sleep: sleepCtx}
	r := i.run(t, "wait", running.ID, "--for", "result", "--timeout", "150ms", "--interval", "20ms", "-o", "json")
	assert.Equal(t, exitTimeout, r.code, r)
	var out WaitOutput
	require.NoError(t, json.Unmarshal([]byte(r.out), &out))
	assert.Equal(t, outcomeTimeout, out.Outcome)
	assert.Equal(t, "running", out.Status)
	assert.Equal(t, "agentop: timed out after 150ms waiting for the result of execution "+running.ID+" (status running)\n", r.err)
}

// awaitingConfirmation starts Freight Rate Shopper runs (which ask for an
// approval before booking, most of the time) and plays the clock until one
// awaits confirmation.
func (f *fleet) awaitingConfirmation(t *testing.T) sim.Execution {
	t.Helper()
	ag := f.agentNamed(t, "Freight Rate Shopper")
	var ids []string
	for range 6 {
		x, err := f.e.Execute(ag.ID, sim.ExecuteRequest{})
		require.NoError(t, err)
		ids = append(ids, x.ID)
	}
	for range 60 {
		f.clk.Advance(10 * time.Second)
		for _, id := range ids {
			if x, err := f.e.Execution(id); err == nil && x.Status == api.StatusAwaitingConfirmation {
				return x
			}
		}
	}
	t.Fatal("no execution came to await confirmation")
	return sim.Execution{}
}

func TestWaitForInteractionApproval(t *testing.T) {
	f := newFleet(t)
	x := f.awaitingConfirmation(t)
	i := inv{env: f.env(t)}

	// An approval needs you too: its reason on stdout, how to approve on stderr.
	r := i.run(t, "wait", x.ID, "--for", "interaction")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, x.StatusReason+"\n", r.out)
	assert.Equal(t, "agentop: execution "+x.ID+" wants an approval: approve with 'agentop resume "+x.ID+
		"', or refuse with 'agentop cancel "+x.ID+"'\n", r.err)

	var out WaitOutput
	decode(t, i.run(t, "wait", x.ID, "--for", "interaction", "-o", "json"), &out)
	assert.Equal(t, outcomeAsked, out.Outcome)
	assert.Equal(t, "awaiting_confirmation", out.Status)
	assert.Equal(t, api.WantsApproval, out.Wants)
	assert.Equal(t, "agentop resume "+x.ID, out.Next)
	require.NotNil(t, out.Question)
	assert.Equal(t, x.StatusReason, out.Question.Text)
	assert.False(t, out.Question.Fallback)
	assert.NotEmpty(t, out.Question.ActivityID, "read from the status change")

	// The approval, as the notice says; then it no longer waits for you.
	r = i.run(t, "resume", x.ID)
	require.Equal(t, 0, r.code, r)
	assert.NotEqual(t, api.StatusAwaitingConfirmation, f.status(t, x.ID))

	// A question says it wants an answer.
	waiting := f.execution(t, api.StatusPausedByAgent)
	decode(t, i.run(t, "wait", waiting.ID, "--for", "interaction", "-o", "json"), &out)
	assert.Equal(t, api.WantsAnswer, out.Wants)
	assert.Equal(t, "agentop reply "+waiting.ID+" MESSAGE", out.Next)
	r = i.run(t, "wait", waiting.ID, "--for", "interaction")
	assert.Equal(t, "agentop: execution "+waiting.ID+" wants an answer: agentop reply "+waiting.ID+" MESSAGE\n", r.err)
}

// status is an execution's status in the engine.
func (f *fleet) status(t *testing.T, id string) api.Status {
	t.Helper()
	x, err := f.e.Execution(id)
	require.NoError(t, err)
	return x.Status
}
