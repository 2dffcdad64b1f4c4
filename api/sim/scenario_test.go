package sim

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// after returns the activities that follow the first one matching match.
func after(acts []Activity, match func(Activity) bool) []Activity {
	for i, a := range acts {
		if match(a) {
			return acts[i+1:]
		}
	}
	return nil
}

func TestDemoOpensWithAnAgentWaitingForAHuman(t *testing.T) {
	e, _ := newEngine(t, Config{})
	id := find(t, e, api.StatusPausedByAgent)
	acts := feed(t, e, id)
	last := acts[len(acts)-1]
	require.Equal(t, api.KindStatusChanged, last.Kind)
	assert.Equal(t, api.StatusPausedByAgent, last.Change.Status)
	assert.NotEmpty(t, last.Change.Reason, "pausedPayload carries a reason")
	assert.WithinDuration(t, epoch, last.Time, time.Minute, "asked moments ago")

	q := acts[len(acts)-3] // action_completed of util_send_user_message, then step_completed
	require.NotNil(t, q.Action)
	assert.Equal(t, ActionSendUserMessage, q.Action.Name)
	assert.Contains(t, q.Message, "?", "a concrete question")

	p, err := e.Executions(api.ExecutionQuery{Statuses: api.TerminalStatuses, PageSize: MaxPageSize})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, p.Total, historyFull-5, "history to browse")
	p, err = e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusRunning}})
	require.NoError(t, err)
	assert.NotZero(t, p.Total, "executions in flight")
}

func TestAnsweredAgentResumesAndUsesTheAnswer(t *testing.T) {
	e, clk := newEngine(t, Config{StartRate: -1})
	id := find(t, e, api.StatusPausedByAgent)
	const answer = "Use the one ending 9930 (payroll)"
	require.NoError(t, e.SendMessage(id, answer))

	acts := feed(t, e, id)
	n := len(acts)
	require.GreaterOrEqual(t, n, 2)
	assert.Equal(t, api.KindUserMessage, acts[n-2].Kind)
	assert.Equal(t, answer, acts[n-2].Message)
	assert.Equal(t, e.User().ID, acts[n-2].UserID)
	assert.Equal(t, api.KindStatusChanged, acts[n-1].Kind)
	assert.Equal(t, api.StatusRunning, acts[n-1].Change.Status)
	assert.Equal(t, api.StatusRunning, status(t, e, id))

	clk.Advance(10 * time.Minute)
	x, err := e.Execution(id)
	require.NoError(t, err)
	require.Equal(t, api.StatusCompleted, x.Status)
	require.NotNil(t, x.Result)
	assert.Equal(t, "success", x.Result.Outcome)
	assert.False(t, x.TerminalAt.IsZero())
	assert.NotEmpty(t, x.RecordingURL)
	assert.Empty(t, x.LiveViewURL)

	later := after(feed(t, e, id), func(a Activity) bool { return a.Kind == api.KindUserMessage })
	used := false
	for _, a := range later {
		used = used || strings.Contains(a.Message+a.Reasoning, answer)
	}
	used = used || strings.Contains(x.Result.Reasoning+string(x.Result.Data), answer)
	assert.True(t, used, "the answer shows up after it was given")
	for _, a := range later {
		assert.NotContains(t, a.Message+a.Reasoning, "{answer}", "no unexpanded placeholder")
	}
}

func TestUnansweredAgentTimesOut(t *testing.T) {
	e, clk := newEngine(t, Config{StartRate: -1, HumanTimeout: 3 * time.Minute})
	id := find(t, e, api.StatusPausedByAgent)
	clk.Advance(2 * time.Minute)
	assert.Equal(t, api.StatusPausedByAgent, status(t, e, id))
	clk.Advance(time.Minute)
	x, err := e.Execution(id)
	require.NoError(t, err)
	require.Equal(t, api.StatusFailed, x.Status)
	assert.Contains(t, x.StatusReason, "No reply")
	require.NotNil(t, x.Result)
	assert.Equal(t, "failure", x.Result.Outcome)
	acts := feed(t, e, id)
	last := acts[len(acts)-1]
	assert.Equal(t, api.StatusFailed, last.Change.Status)
	assert.Contains(t, last.Change.Reason, "3m0s")

	err = e.SendMessage(id, "too late")
	assert.ErrorIs(t, err, api.ErrInvalid)
}

func TestMessageWhileRunningIsRecordedOnly(t *testing.T) {
	e, clk := quiet(t)
	id := scripted(t, e, func(s *script) {
		s.step(click("a"), click("b"))
		s.finish(resultSpec{outcome: "success"})
	})
	clk.Advance(1500 * time.Millisecond)
	require.Equal(t, api.StatusRunning, status(t, e, id))
	require.NoError(t, e.SendMessage(id, "FYI: the portal is slow today"))
	acts := feed(t, e, id)
	assert.Equal(t, api.KindUserMessage, acts[len(acts)-1].Kind)
	assert.Equal(t, api.StatusRunning, status(t, e, id))
	assert.ErrorIs(t, e.SendMessage(id, "  "), api.ErrInvalid)
	assert.ErrorIs(t, e.SendMessage("nope", "hi"), api.ErrNotFound)
}

func TestOperatorPauseFreezesTheScenario(t *testing.T) {
	e, clk := quiet(t)
	id := scripted(t, e, func(s *script) {
		for range 5 {
			s.step(click("next"))
		}
		s.finish(resultSpec{outcome: "success"})
	})
	clk.Advance(3 * time.Second)
	require.NoError(t, e.SetStatus(id, api.StatusPaused))
	n := len(feed(t, e, id))
	clk.Advance(time.Hour)
	assert.Len(t, feed(t, e, id), n, "nothing happens while paused")
	assert.Equal(t, api.StatusPaused, status(t, e, id))
	require.NoError(t, e.SetStatus(id, api.StatusRunning))
	clk.Advance(time.Minute)
	assert.Equal(t, api.StatusCompleted, status(t, e, id))
	assert.Equal(t, []api.Status{api.StatusRunning, api.StatusPaused, api.StatusRunning, api.StatusCompleted}, statuses(feed(t, e, id)))
}

func TestConfirmationApprovedByResume(t *testing.T) {
	e, clk := quiet(t)
	id := scripted(t, e, func(s *script) {
		s.confirm(1, "It costs money.", "Pay the €40 fee?")
		s.step(click(`"Pay"`))
		s.finish(resultSpec{outcome: "success"})
	})
	clk.Advance(time.Minute)
	require.Equal(t, api.StatusAwaitingConfirmation, status(t, e, id))
	x, _ := e.Execution(id)
	assert.Equal(t, "Pay the €40 fee?", x.StatusReason)
	require.NoError(t, e.SetStatus(id, api.StatusRunning))
	clk.Advance(time.Minute)
	assert.Equal(t, api.StatusCompleted, status(t, e, id))
}

func TestFailingExecutionsSayWhy(t *testing.T) {
	t.Parallel()
	e, clk := newEngine(t, Config{Seed: 3, Scenario: Scenario{Kind: ScenarioBusy, N: 30}})
	clk.Advance(10 * time.Minute)
	p, err := e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusFailed}, PageSize: MaxPageSize})
	require.NoError(t, err)
	require.NotZero(t, p.Total)
	sawActionFailed := false
	for _, x := range p.Items {
		assert.NotEmpty(t, x.StatusReason)
		require.NotNil(t, x.Result)
		assert.Equal(t, "failure", x.Result.Outcome)
		acts := feed(t, e, x.ID)
		last := acts[len(acts)-1]
		assert.Equal(t, api.StatusFailed, last.Change.Status)
		assert.Equal(t, x.StatusReason, last.Change.Reason)
		if len(acts) > 1 && acts[len(acts)-2].Kind == api.KindActionFailed {
			sawActionFailed = true
		}
	}
	assert.True(t, sawActionFailed, "some executions break on a failed action")
}

func TestExecutionCarriesItsDetails(t *testing.T) {
	e, clk := quiet(t)
	pools, err := e.Pools(api.PoolQuery{})
	require.NoError(t, err)
	staged, err := e.StageFiles("", []api.Upload{{Name: "w9.pdf", Data: []byte("%PDF-1.7")}})
	require.NoError(t, err)
	x, err := e.Execute(e.agents[0].ID, ExecuteRequest{
		PoolID: pools.Items[0].ID, Metadata: map[string]string{"ticket": "OPS-1"},
		Inputs: map[string]any{"month": "March 2025"}, TempFiles: []api.TempFile{{ID: staged[0].ID}},
	})
	require.NoError(t, err)
	assert.Equal(t, api.StatusStarting, x.Status)
	assert.Equal(t, TriggerAPI, x.Trigger)
	assert.NotEmpty(t, x.ProfileName)
	assert.Equal(t, "OPS-1", x.Metadata["ticket"])
	assert.Equal(t, "March 2025", x.Inputs["month"])
	require.Len(t, x.ContextFiles(), 1)
	assert.Equal(t, "application/pdf", x.ContextFiles()[0].MimeType)
	assert.True(t, strings.HasPrefix(x.ContextFiles()[0].URL, "https://"))
	_, err = e.Execute(e.agents[0].ID, ExecuteRequest{TempFiles: []api.TempFile{{ID: staged[0].ID}}})
	assert.ErrorIs(t, err, api.ErrInvalid, "a staged file is used once")

	_, err = e.AddFiles(x.ID, []api.Upload{{Name: "notes.txt", Data: []byte("hi")}})
	require.NoError(t, err)
	acts := feed(t, e, x.ID)
	assert.Equal(t, api.KindFileAdded, acts[len(acts)-1].Kind)
	assert.Equal(t, SourceUpload, acts[len(acts)-1].File.Source)
	clk.Advance(10 * time.Second)
	x, _ = e.Execution(x.ID)
	if x.Status == api.StatusRunning {
		assert.True(t, strings.HasPrefix(x.LiveViewURL, "https://"))
	}
	clk.Advance(time.Hour)
	_, err = e.AddFiles(x.ID, []api.Upload{{Name: "late.txt"}})
	assert.ErrorIs(t, err, api.ErrInvalid, "not once it has ended")

	_, err = e.Execute("nope", ExecuteRequest{})
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = e.Execute(e.agents[0].ID, ExecuteRequest{ProfileID: "a", PoolID: "b"})
	assert.ErrorIs(t, err, api.ErrInvalid)
	_, err = e.Execute(e.agents[0].ID, ExecuteRequest{Version: 99})
	assert.ErrorIs(t, err, api.ErrInvalid)
}

func TestSoftTimeoutCancels(t *testing.T) {
	e, clk := quiet(t)
	x, err := e.Execute(e.agents[1].ID, ExecuteRequest{SoftTimeoutMins: 1})
	require.NoError(t, err)
	clk.Advance(time.Minute)
	got, _ := e.Execution(x.ID)
	if got.Status.IsTerminal() && got.Status != api.StatusCancelled {
		t.Skip("the scenario ended on its own within a minute")
	}
	assert.Equal(t, api.StatusCancelled, got.Status)
	assert.Equal(t, "timeout", got.StatusReason)
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	t.Run("idle stands still", func(t *testing.T) {
		e, clk := quiet(t)
		before, _ := e.Executions(api.ExecutionQuery{PageSize: MaxPageSize})
		clk.Advance(24 * time.Hour)
		after, _ := e.Executions(api.ExecutionQuery{PageSize: MaxPageSize})
		assert.Equal(t, before, after)
		find(t, e, api.StatusPausedByAgent)
	})
	t.Run("busy keeps N going", func(t *testing.T) {
		e, clk := newEngine(t, Config{Scenario: Scenario{Kind: ScenarioBusy, N: 12}})
		for range 10 {
			clk.Advance(time.Minute)
			p, err := e.Executions(api.ExecutionQuery{Statuses: api.ActiveStatuses})
			require.NoError(t, err)
			assert.Equal(t, 12, p.Total)
		}
	})
	t.Run("flood emits N per second on one execution", func(t *testing.T) {
		e, clk := newEngine(t, Config{Scenario: Scenario{Kind: ScenarioFlood, N: 100}, StartRate: -1})
		flood, most := "", 0
		p, err := e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusRunning}})
		require.NoError(t, err)
		for _, x := range p.Items {
			if n := len(feed(t, e, x.ID)); n > most {
				flood, most = x.ID, n
			}
		}
		n := len(feed(t, e, flood))
		clk.Advance(10 * time.Second)
		assert.InDelta(t, 1000, len(feed(t, e, flood))-n, 5)
	})
	t.Run("demo starts executions on its own", func(t *testing.T) {
		e, clk := newEngine(t, Config{StartRate: 6})
		before, _ := e.Executions(api.ExecutionQuery{})
		clk.Advance(10 * time.Minute)
		after, _ := e.Executions(api.ExecutionQuery{MetadataKey: "source", MetadataValue: "schedule", CreatedAfter: epoch})
		assert.Greater(t, after.Total, 30)
		total, _ := e.Executions(api.ExecutionQuery{})
		assert.Equal(t, before.Total+after.Total, total.Total)
	})
}

func TestBoundedMemory(t *testing.T) {
	t.Parallel()
	e, clk := newEngine(t, Config{Scenario: Scenario{Kind: ScenarioFlood, N: 100}, StartRate: 30, MaxActivities: 1000, MaxTerminal: 15})
	clk.Advance(3 * time.Minute)
	terminal, err := e.Executions(api.ExecutionQuery{Statuses: api.TerminalStatuses})
	require.NoError(t, err)
	assert.Equal(t, 15, terminal.Total)
	all, _ := e.Executions(api.ExecutionQuery{PageSize: MaxPageSize})
	for _, x := range all.Items {
		assert.LessOrEqual(t, len(feed(t, e, x.ID)), 1000)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	assert.Len(t, e.runs, len(e.order))
	assert.Len(t, e.ended, 15)
}

func TestTextHasNoUnfilledPlaceholders(t *testing.T) {
	t.Parallel()
	placeholder := regexp.MustCompile(`\{[a-zA-Z]+\}`)
	e, clk := newEngine(t, Config{Seed: 12, Scenario: Scenario{Kind: ScenarioBusy, N: 30}})
	clk.Advance(8 * time.Minute)
	checked := 0
	for page := 1; ; page++ {
		p, err := e.Executions(api.ExecutionQuery{Page: page, PageSize: MaxPageSize})
		require.NoError(t, err)
		for _, x := range p.Items {
			for _, a := range feed(t, e, x.ID) {
				text := []string{a.Message, a.Reasoning}
				if c := a.Change; c != nil {
					text = append(text, c.Reason)
					if c.Result != nil {
						text = append(text, c.Result.Reasoning, string(c.Result.Data))
					}
				}
				if a.File != nil {
					text = append(text, a.File.Name)
				}
				for _, s := range text {
					assert.False(t, placeholder.MatchString(s), "%s %s: %q", x.AgentName, a.Kind, s)
				}
				checked++
			}
		}
		if !p.HasMore() {
			break
		}
	}
	assert.Greater(t, checked, 3000)
}
