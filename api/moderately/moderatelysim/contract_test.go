package moderatelysim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/moderately"
	"github.com/agentop/agentop/api/sim/simhttp"
)

var ctx = context.Background()

func TestAgentsAndVersions(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	p, err := f.c.ListAgents(ctx, api.AgentQuery{PageSize: 100})
	require.NoError(t, err)
	assert.Len(t, p.Items, 8, "two of the ten agents run as pipelines")
	assert.Equal(t, 8, p.Total)
	for _, a := range p.Items {
		assert.Equal(t, f.team, a.OrganizationID)
	}
	found, err := f.c.ListAgents(ctx, api.AgentQuery{Search: strings.ToLower(p.Items[0].Name[:6])})
	require.NoError(t, err)
	assert.Contains(t, found.Items, p.Items[0], "nameLike")

	second, err := f.c.ListAgents(ctx, api.AgentQuery{Page: 2, PageSize: 5})
	require.NoError(t, err)
	assert.Len(t, second.Items, 3)
	assert.False(t, second.HasMore())

	vs, err := f.c.AgentVersions(ctx, p.Items[0].ID)
	require.NoError(t, err)
	require.NotEmpty(t, vs)
	assert.True(t, vs[0].Current, "newest first, and it is current")
	for _, v := range vs {
		assert.Equal(t, p.Items[0].ID, v.AgentID)
	}
}

func TestListingsPageWithTotalsAndNameTheAgent(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	first, err := f.c.ListExecutions(ctx, api.ExecutionQuery{PageSize: 7})
	require.NoError(t, err)
	require.NotEmpty(t, first.Items)
	seen := map[string]bool{}
	kinds := map[string]int{}
	for page := 1; ; page++ {
		p, err := f.c.ListExecutions(ctx, api.ExecutionQuery{Page: page, PageSize: 7})
		require.NoError(t, err)
		for _, e := range p.Items {
			assert.False(t, seen[e.ID], "listed twice: %s", e.ID)
			seen[e.ID] = true
			kinds[e.Kind]++
			assert.NotEmpty(t, e.AgentName, "%s %s has a name", e.Kind, e.ID)
			assert.NotEmpty(t, e.Title)
		}
		if !p.HasMore() {
			break
		}
	}
	assert.Len(t, seen, first.Total, "the pages cover the total")
	assert.Positive(t, kinds[moderately.KindAgent])
	assert.Positive(t, kinds[moderately.KindPipeline])

	active, err := f.c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses, PageSize: 100})
	require.NoError(t, err)
	require.NotEmpty(t, active.Items)
	for _, e := range active.Items {
		assert.False(t, e.Status.IsTerminal(), e.ID)
	}
	one := active.Items[0]
	byAgent, err := f.c.ListExecutions(ctx, api.ExecutionQuery{Kind: moderately.KindAgent, AgentID: agentOf(t, f, active.Items), PageSize: 100})
	require.NoError(t, err)
	for _, e := range byAgent.Items {
		assert.Equal(t, byAgent.Items[0].AgentID, e.AgentID)
	}
	got, err := f.c.GetExecution(ctx, one.ID)
	require.NoError(t, err)
	assert.Equal(t, one.ID, got.ID)
	assert.Equal(t, one.Kind, got.Kind)
}

// agentOf returns the agent of the first agent execution in list.
func agentOf(t *testing.T, f *fixture, list []api.Execution) string {
	for _, e := range list {
		if e.Kind == moderately.KindAgent {
			return e.AgentID
		}
	}
	p, err := f.c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	return p.Items[0].ID
}

func TestAStartedExecutionRunsThroughStepsAndEnds(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	agents, err := f.c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	a := agents.Items[0]
	id, err := f.c.Execute(ctx, a.ID, api.ExecuteRequest{Instructions: "Check the portal for new invoices"})
	require.NoError(t, err)
	e, err := f.c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusStarting, e.Status)
	assert.Equal(t, "pending", e.StatusWord())
	assert.Equal(t, a.ID, e.AgentID)
	assert.Equal(t, a.Name, e.AgentName)
	assert.Equal(t, "Check the portal for new invoices", e.Title)

	seen := map[string]bool{}
	var texts []string
	var last []api.Activity
	for range 400 {
		f.clk.Advance(5 * time.Second)
		acts, err := f.c.Activities(ctx, id, api.ActivityQuery{})
		require.NoError(t, err)
		for _, x := range last {
			assert.Contains(t, acts, x, "an entry read before is read again the same")
		}
		for _, x := range acts {
			if !seen[x.ID] {
				seen[x.ID] = true
				texts = append(texts, x.Text)
			}
		}
		last = acts
		if e, err = f.c.GetExecution(ctx, id); err == nil && e.Status.IsTerminal() {
			break
		}
	}
	require.True(t, e.Status.IsTerminal(), "ended: %s", e.Status)
	acts, err := f.c.Activities(ctx, id, api.ActivityQuery{})
	require.NoError(t, err)
	ids := map[string]int{}
	thoughts := map[string]int{}
	var kinds []api.ActivityKind
	for _, x := range acts {
		ids[x.ID]++
		kinds = append(kinds, x.Kind)
		if x.Kind == api.KindReasoning && x.ActionName == "thought" {
			thoughts[x.Message]++
		}
	}
	for id, n := range ids {
		assert.Equal(t, 1, n, "entry %s shown twice", id)
	}
	for text, n := range thoughts {
		assert.Equal(t, 1, n, "thought %q is both a step and in thoughts[], and shown once", text)
	}
	assert.NotEmpty(t, thoughts)
	assert.Contains(t, kinds, api.KindActionStarted, "code steps")
	assert.Contains(t, kinds, api.KindActionCompleted, "observation steps")
	assert.Contains(t, kinds, api.KindStatusChanged, "the end")
	assert.Len(t, seen, len(acts), "every entry seen while it ran has the id it has at the end")
	if e.Status == api.StatusCompleted {
		assert.Contains(t, kinds, api.KindTerminal, "a final answer")
	}
}

func TestCancelBothKinds(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	active, err := f.c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses, PageSize: 100})
	require.NoError(t, err)
	var agentRun, pipeRun string
	for _, e := range active.Items {
		switch {
		case e.Kind == moderately.KindAgent && agentRun == "":
			agentRun = e.ID
		case e.Kind == moderately.KindPipeline && pipeRun == "":
			pipeRun = e.ID
		}
	}
	require.NotEmpty(t, pipeRun, "the seed has a pipeline running")
	require.NotEmpty(t, agentRun)
	require.NoError(t, api.CancelExecution(ctx, f.c, agentRun, ""))
	e, err := f.c.GetExecution(ctx, agentRun)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, e.Status)

	require.NoError(t, api.CancelExecution(ctx, f.c, pipeRun, "wrong input files"))
	e, err = f.c.GetExecution(ctx, pipeRun)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, e.Status)
	assert.Equal(t, "wrong input files", e.StatusReason)

	err = f.c.Cancel(ctx, agentRun)
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "already cancelled")
	acts, err := f.c.Activities(ctx, pipeRun, api.ActivityQuery{})
	require.NoError(t, err)
	require.NotEmpty(t, acts)
	assert.Equal(t, "Execution cancelled: wrong input files", acts[len(acts)-1].Text)
}

func TestWhoamiReplyAndErrors(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	u, err := f.c.UserContext(ctx)
	require.NoError(t, err)
	assert.Equal(t, f.e.User().ID, u.UserID)
	assert.Equal(t, api.KindUnsupported, api.KindOf(f.c.Reply(ctx, "x", "hi")))

	_, err = f.c.GetExecution(ctx, "no-such-run")
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Contains(t, err.Error(), "Agent execution not found.", "the nested error message reaches the user")

	bad, err := moderately.New(moderately.Options{BaseURL: f.srv.URL, APIKey: "wrong", TeamID: f.team})
	require.NoError(t, err)
	_, err = bad.ListAgents(ctx, api.AgentQuery{})
	assert.Equal(t, api.KindUnauthorized, api.KindOf(err))
	other, err := moderately.New(moderately.Options{BaseURL: f.srv.URL, APIKey: f.key, TeamID: "team_other"})
	require.NoError(t, err)
	_, err = other.ListAgents(ctx, api.AgentQuery{})
	assert.Equal(t, api.KindForbidden, api.KindOf(err))
}

func TestFaultsReachTheClientInTheNestedShape(t *testing.T) {
	f := newFixture(t, simhttp.Faults{ErrorRate: 1})
	_, err := f.c.ListAgents(ctx, api.AgentQuery{})
	require.Equal(t, api.KindServer, api.KindOf(err))
	f = newFixture(t, simhttp.Faults{RateLimitRate: 1, RetryAfter: 3 * time.Second})
	_, err = f.c.ListExecutions(ctx, api.ExecutionQuery{})
	require.Equal(t, api.KindRateLimited, api.KindOf(err))
	assert.Equal(t, 3*time.Second, api.RetryAfterOf(err))
}
