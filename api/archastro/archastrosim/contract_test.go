package archastrosim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro"
	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
)

// The client against the façade, for every method.
func TestClientAgainstFacade(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{Seed: 3}, archastrosim.HandlerOptions{})
	c := f.client()

	agents, err := c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	assert.Equal(t, 10, agents.Total, "ten agents")
	require.Len(t, agents.Items, 10)
	assert.True(t, strings.HasPrefix(agents.Items[0].ID, "agi_"))
	found, err := c.ListAgents(ctx, api.AgentQuery{Search: "invoice"})
	require.NoError(t, err)
	require.Len(t, found.Items, 1)
	h, err := c.AgentHealth(ctx, agents.Items[0].ID)
	require.NoError(t, err)
	assert.Contains(t, []string{"ok", "warning", "critical"}, h)

	me, err := c.UserContext(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ops@harborlight.example", me.Email)

	// The active sessions include the one waiting with a question.
	active, err := c.ListExecutions(ctx, api.ExecutionQuery{Kind: archastro.KindSession, Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	var waiting api.Execution
	for _, x := range active.Items {
		if x.Status == api.StatusPausedByAgent {
			waiting = x
		}
	}
	require.NotEmpty(t, waiting.ID, "the demo has a waiting session")
	assert.Equal(t, "waiting", waiting.StatusWord())
	assert.NotEmpty(t, waiting.AgentName)
	q, err := c.Interaction(ctx, waiting, f.clk.Now())
	require.NoError(t, err)
	assert.False(t, q.Fallback, "a concrete question")
	assert.True(t, strings.HasSuffix(strings.TrimSpace(q.Question), "?") || len(q.Question) > 20, q.Question)
	acts, err := c.Activities(ctx, waiting.ID, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
	require.NoError(t, err)
	require.NotEmpty(t, acts)
	assert.True(t, func() bool {
		for _, a := range acts {
			if a.AgentMessage && a.Message == q.Question {
				return true
			}
		}
		return false
	}(), "the feed marks the question")

	// The reply resumes it, and the agent goes on with the answer.
	require.NoError(t, c.Reply(ctx, waiting.ID, "Use 424242"))
	x, err := c.GetExecution(ctx, waiting.ID)
	require.NoError(t, err)
	assert.Equal(t, api.StatusRunning, x.Status)
	f.clk.Advance(30 * time.Minute)
	acts, err = c.Activities(ctx, waiting.ID, api.ActivityQuery{})
	require.NoError(t, err)
	var user, after int
	for _, a := range acts {
		switch {
		case a.Kind == api.KindUserMessage && a.Message == "Use 424242":
			user++
		case user > 0 && a.Actor == api.ActorAgent && strings.Contains(a.Message, "424242"):
			after++
		}
	}
	assert.Equal(t, 1, user, "the reply is in the inbox")
	assert.Positive(t, after, "the agent used the answer")
	x, err = c.GetExecution(ctx, waiting.ID)
	require.NoError(t, err)
	assert.True(t, x.Status.IsTerminal(), "it ran to the end: %s", x.Status)

	// Start, then cancel (twice: idempotent).
	id, err := c.Execute(ctx, agents.Items[2].ID, api.ExecuteRequest{Instructions: "Check the portal", Name: "from the test", Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	x, err = c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusStarting, x.Status)
	assert.Equal(t, "pending", x.StatusWord())
	assert.Equal(t, "from the test", x.Title)
	assert.Equal(t, "v", x.Metadata["k"])
	require.NoError(t, c.Cancel(ctx, id))
	require.NoError(t, c.Cancel(ctx, id), "cancel is idempotent")
	x, err = c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, x.Status)
	assert.Equal(t, api.KindInvalid, api.KindOf(c.Reply(ctx, id, "too late")), "an ended session takes no message")

	// Routine runs: the schedule's sessions, some skipped.
	runs, err := c.ListExecutions(ctx, api.ExecutionQuery{Kind: archastro.KindRoutineRun, PageSize: 10})
	require.NoError(t, err)
	require.Len(t, runs.Items, 10)
	require.NotEmpty(t, runs.Next, "runs page by cursor")
	more, err := c.ListExecutions(ctx, api.ExecutionQuery{Kind: archastro.KindRoutineRun, PageSize: 10, Cursor: runs.Next})
	require.NoError(t, err)
	require.NotEmpty(t, more.Items)
	assert.True(t, more.Items[0].CreatedAt.Before(runs.Items[9].CreatedAt) || more.Items[0].CreatedAt.Equal(runs.Items[9].CreatedAt))
	assert.NotEqual(t, runs.Items[0].ID, more.Items[0].ID)
	ended, err := c.ListExecutions(ctx, api.ExecutionQuery{Kind: archastro.KindRoutineRun, Statuses: []api.Status{api.StatusCancelled}})
	require.NoError(t, err)
	var skipped api.Execution
	for _, r := range ended.Items {
		if r.PlatformStatus == "skipped" {
			skipped = r
		}
	}
	require.NotEmpty(t, skipped.ID, "some routine runs were skipped")
	assert.True(t, skipped.Status.IsTerminal())
	assert.NotEmpty(t, skipped.StatusReason)
	got, err := c.GetExecution(ctx, skipped.ID)
	require.NoError(t, err)
	assert.Equal(t, "skipped", got.StatusWord())
	jrn, err := c.Activities(ctx, runs.Items[0].ID, api.ActivityQuery{})
	require.NoError(t, err)
	assert.NotEmpty(t, jrn, "a run's journal is its feed")
	assert.Equal(t, api.KindUnsupported, api.KindOf(c.Cancel(ctx, runs.Items[0].ID)))

	// Both kinds together.
	all, err := c.ListExecutions(ctx, api.ExecutionQuery{})
	require.NoError(t, err)
	kinds := map[string]int{}
	for _, x := range all.Items {
		kinds[x.Kind]++
	}
	assert.Positive(t, kinds[archastro.KindSession])
	assert.Positive(t, kinds[archastro.KindRoutineRun])

	// The stream replays the state and closes when the session ends.
	var seen []api.Status
	require.NoError(t, c.Watch(ctx, id, func(x api.Execution) bool { seen = append(seen, x.Status); return true }))
	assert.Equal(t, []api.Status{api.StatusCancelled}, seen)

	// 404, both ways.
	_, err = c.GetExecution(ctx, "ase_missing")
	assert.Equal(t, api.KindNotFound, api.KindOf(err))
	_, err = c.GetExecution(ctx, "arr_missing")
	assert.Equal(t, api.KindNotFound, api.KindOf(err))
}

// The session list serves at most 100, with no total; the client says so.
func TestTheCap(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{Seed: 5, Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: 130}}, archastrosim.HandlerOptions{})
	c := f.client()
	p, err := c.ListExecutions(ctx, api.ExecutionQuery{Kind: archastro.KindSession, Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	assert.Len(t, p.Items, 100)
	assert.True(t, p.Capped)
	assert.True(t, p.TotalUnknown)
	assert.False(t, p.HasMore())

	var body struct {
		Data []map[string]any `json:"data"`
	}
	f.do("GET", "/api/v1/agent_sessions?limit=500", nil).json(t, &body)
	assert.Len(t, body.Data, 100, "a larger limit is capped")
	f.do("GET", "/api/v1/agent_sessions", nil).json(t, &body)
	assert.Len(t, body.Data, 25, "the default limit")
}

// A session runs, waits, resumes on a message, as the stream shows.
func TestStreamFollowsASession(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, sim.Config{Seed: 3}, archastrosim.HandlerOptions{})
	c := f.client()
	agents, err := c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	id, err := c.Execute(ctx, agents.Items[0].ID, api.ExecuteRequest{Instructions: "go"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var seen []api.Status
	go func() {
		for ctx.Err() == nil {
			f.clk.Advance(2 * time.Second)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	err = c.Watch(ctx, id, func(x api.Execution) bool {
		if len(seen) == 0 || seen[len(seen)-1] != x.Status {
			seen = append(seen, x.Status)
		}
		if x.Status == api.StatusPausedByAgent {
			_ = c.Reply(context.Background(), id, "yes")
		}
		return true
	})
	require.NoError(t, err)
	require.NotEmpty(t, seen)
	assert.Equal(t, api.StatusStarting, seen[0], "the current state first")
	assert.True(t, seen[len(seen)-1].IsTerminal(), "it closes when the session ends: %v", seen)
}
