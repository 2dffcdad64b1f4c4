package moderately

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

const specVersion = `[{"agentConfigurationVersionId":"9Y7p4h7n9ZuVBdq39rVgg","agentId":"agent_123abc","instructions":"You are a research assistant.","versionNumber":3,"isCurrent":true,"createdAt":"2024-01-10T10:00:00.000Z"}]`

func TestListExecutionsSendsTheSpecNamesAndResolvesTheAgentOnce(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-executions", 200, spec(t, "agent-executions.list.json"))
	f.json("GET /agent-configuration-versions", 200, specVersion)
	f.json("GET /agents", 200, items(1, spec(t, "agents.create.json")))
	c := f.client(t)

	p, err := c.ListExecutions(context.Background(), api.ExecutionQuery{Kind: KindAgent, AgentID: "agt_1",
		Statuses: []api.Status{api.StatusRunning, api.StatusStarting, api.StatusPausedByAgent}, Page: 1, PageSize: 50})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	e := p.Items[0]
	assert.Equal(t, "OAR8F-m0VWvvMFOtKA9nE", e.ID)
	assert.Equal(t, KindAgent, e.Kind)
	assert.Equal(t, api.StatusStarting, e.Status)
	assert.Equal(t, "pending", e.StatusWord(), "the platform's word is shown")
	assert.Equal(t, "Query about FDA regulations for Class II medical devices", e.Title)
	assert.Equal(t, "agent_123abc", e.AgentID, "resolved through the configuration version")
	assert.Equal(t, 3, e.AgentVersion)
	assert.Equal(t, 1, p.Total)

	reqs := f.requests()
	require.Len(t, reqs, 3)
	list := reqs[0]
	assert.Equal(t, "/agent-executions", list.Path)
	assert.Equal(t, "team_1", list.Query.Get("teamIds"))
	assert.Equal(t, "50", list.Query.Get("pageSize"))
	assert.Equal(t, "agt_1", list.Query.Get("agentIds"))
	assert.Equal(t, "running,pending", list.Query.Get("statuses"), "paused_by_agent has no Moderately word")
	assert.Empty(t, list.Query.Get("page_size"), "the SDK's snake_case names are not sent")
	assert.Equal(t, "9Y7p4h7n9ZuVBdq39rVgg", reqs[1].Query.Get("agentConfigurationVersionIds"))
	assert.Equal(t, "agent_123abc", reqs[2].Query.Get("agentIds"))
	for _, r := range reqs {
		assert.Equal(t, "Bearer mod-test-key-123", r.Header.Get("Authorization"))
		assert.Equal(t, "team_1", r.Query.Get("teamIds"), r.Path)
	}

	f.reset()
	_, err = c.ListExecutions(context.Background(), api.ExecutionQuery{Kind: KindAgent})
	require.NoError(t, err)
	assert.Len(t, f.requests(), 1, "the agent is cached: one request a page")
}

func TestListBothKindsMergesNewestFirstWithTotals(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-executions", 200, items(7, `{"agentExecutionId":"a1","status":"running","createdAt":"2024-01-15T10:00:00Z"}`))
	f.json("GET /pipeline-executions", 200, items(5, spec(t, "pipeline-executions.create.json")))
	c := f.client(t)
	p, err := c.ListExecutions(context.Background(), api.ExecutionQuery{PageSize: 10})
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	assert.Equal(t, "pipelineexec_101abc", p.Items[0].ID, "10:45 is newer than 10:00")
	assert.Equal(t, KindPipeline, p.Items[0].Kind)
	assert.Equal(t, "0/5", p.Items[0].Metadata["progress"])
	assert.Equal(t, 12, p.Total)
	var pipe seen
	for _, r := range f.requests() {
		if r.Path == "/pipeline-executions" {
			pipe = r
		}
	}
	assert.Equal(t, "10", pipe.Query.Get("pageSize"))
	assert.Equal(t, "desc", pipe.Query.Get("orderDirection"))
}

func TestListOnlyStatusesThePlatformLacksSendsNothing(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	p, err := c.ListExecutions(context.Background(), api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}})
	require.NoError(t, err)
	assert.Empty(t, p.Items)
	assert.Empty(t, f.requests())
	_, err = c.ListExecutions(context.Background(), api.ExecutionQuery{LabelIDs: []string{"x"}})
	assert.Equal(t, api.KindUnsupported, api.KindOf(err))
}

func TestGetFallsBackToPipelines(t *testing.T) {
	f := newFake(t)
	f.json("GET /pipeline-executions/pipelineexec_101abc", 200, spec(t, "pipeline-executions.create.json"))
	c := f.client(t)
	e, err := c.GetExecution(context.Background(), "pipelineexec_101abc")
	require.NoError(t, err)
	assert.Equal(t, KindPipeline, e.Kind)
	assert.Equal(t, "Analyze 2 documents with comprehensive analysis", e.Title)

	_, err = c.GetExecution(context.Background(), "nope")
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.Contains(t, err.Error(), "no route", "the nested error message is read")
}

func TestStatuses(t *testing.T) {
	for word, want := range map[string]api.Status{"pending": api.StatusStarting, "running": api.StatusRunning, "paused": api.StatusPaused,
		"completed": api.StatusCompleted, "failed": api.StatusFailed, "cancelled": api.StatusCancelled, "exploding": "exploding"} {
		got, _ := statusOf(word)
		assert.Equal(t, want, got, word)
	}
	assert.True(t, api.Status("paused").CanCancel())
}

func TestExecuteResolvesTheCurrentVersionOnceAndSendsTheSpecBody(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-configuration-versions", 200, specVersion)
	f.json("POST /agent-executions", 201, spec(t, "agent-executions.create.json"))
	c := f.client(t)
	id, err := c.Execute(context.Background(), "agent_123abc", api.ExecuteRequest{Instructions: "Query about FDA regulations"})
	require.NoError(t, err)
	assert.Equal(t, "OAR8F-m0VWvvMFOtKA9nE", id)
	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "agent_123abc", reqs[0].Query.Get("agentIds"))
	assert.Equal(t, "true", reqs[0].Query.Get("isCurrent"))
	var body map[string]any
	require.NoError(t, json.Unmarshal([]byte(reqs[1].Body), &body))
	assert.Equal(t, map[string]any{"agentConfigurationVersionId": "9Y7p4h7n9ZuVBdq39rVgg",
		"agentInput": map[string]any{"message": "Query about FDA regulations"}, "agentInputSummary": "Query about FDA regulations"}, body)
	assert.Equal(t, "application/json", reqs[1].Header.Get("Content-Type"))
	assert.Equal(t, "team_1", reqs[1].Query.Get("teamIds"))

	f.reset()
	_, err = c.Execute(context.Background(), "agent_123abc", api.ExecuteRequest{Inputs: map[string]any{"q": 1}})
	require.NoError(t, err)
	assert.Len(t, f.requests(), 1, "the current version is cached")

	_, err = c.Execute(context.Background(), "agent_123abc", api.ExecuteRequest{Kind: KindPipeline})
	assert.Equal(t, api.KindUnsupported, api.KindOf(err))
}

func TestExecuteWithoutACurrentVersionSaysSo(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-configuration-versions", 200, `[]`)
	_, err := f.client(t).Execute(context.Background(), "agt_9", api.ExecuteRequest{})
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Contains(t, err.Error(), "agent agt_9 has no current configuration version")
}

func TestCancelAgentExecution(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-executions/aexec_1", 200, `{"agentExecutionId":"aexec_1","status":"running"}`)
	f.json("POST /agent-executions/aexec_1/cancel", 200, `{"agentExecutionId":"aexec_1","status":"cancelled"}`)
	c := f.client(t)
	require.NoError(t, api.CancelExecution(context.Background(), c, "aexec_1", "dropped: agent cancel takes none"))
	reqs := f.requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "POST /agent-executions/aexec_1/cancel", last.Method+" "+last.Path)
	assert.Empty(t, last.Body, "the SDK sends an empty body")
	assert.Equal(t, "team_1", last.Query.Get("teamIds"))
}

func TestCancelOnADeploymentWithoutTheEndpointIsUnsupported(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		f := newFake(t)
		f.json("GET /agent-executions/aexec_1", 200, `{"agentExecutionId":"aexec_1","status":"running"}`)
		f.json("POST /agent-executions/aexec_1/cancel", status, `{"error":{"code":"X","message":"Cannot POST"}}`)
		err := f.client(t).Cancel(context.Background(), "aexec_1")
		require.Equal(t, api.KindUnsupported, api.KindOf(err), status)
		assert.Contains(t, err.Error(), "not supported by this deployment")
	}
	f := newFake(t)
	err := f.client(t).Cancel(context.Background(), "missing")
	assert.ErrorIs(t, err, api.ErrNotFound, "an execution that does not exist is not found, not unsupported")
}

func TestCancelPipelineWithReason(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-executions", 200, items(0))
	f.json("GET /pipeline-executions", 200, items(1, spec(t, "pipeline-executions.create.json")))
	f.json("POST /pipeline-executions/pipelineexec_101abc/cancel", 200, spec(t, "pipeline-executions.create.json"))
	c := f.client(t)
	_, err := c.ListExecutions(context.Background(), api.ExecutionQuery{})
	require.NoError(t, err)
	f.reset()
	require.NoError(t, api.CancelExecution(context.Background(), c, "pipelineexec_101abc", "wrong documents"))
	reqs := f.requests()
	require.Len(t, reqs, 1, "the kind is known from the listing")
	assert.JSONEq(t, `{"reason":"wrong documents"}`, reqs[0].Body)
	require.NoError(t, c.Cancel(context.Background(), "pipelineexec_101abc"))
	assert.Empty(t, f.requests()[1].Body, "no reason, no body")
	assert.Equal(t, api.Optional, c.Capabilities().CancelReason)
}

func TestAgentsAndVersionsAndWhoami(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents", 200, items(31, spec(t, "agents.create.json")))
	f.json("GET /agent-configuration-versions", 200, `[`+spec(t, "agent-configuration-versions.create.json")+`]`)
	f.json("GET /authentication/whoami", 200, `{"userId":"usr_42"}`)
	c := f.client(t)
	p, err := c.ListAgents(context.Background(), api.AgentQuery{Search: "Research", Page: 2, PageSize: 10, SortField: "name", SortDirection: api.SortAsc})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	assert.Equal(t, "Research Assistant", p.Items[0].Name)
	assert.Equal(t, 31, p.Total)
	assert.True(t, p.HasMore())
	q := f.requests()[0].Query
	assert.Equal(t, "Research", q.Get("nameLike"))
	assert.Equal(t, "2", q.Get("page"))
	assert.Equal(t, "name", q.Get("orderBy"))
	assert.Equal(t, "asc", q.Get("orderDirection"))

	vs, err := c.AgentVersions(context.Background(), "agent_123abc")
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, "acv_789xyz", vs[0].ID)
	assert.Contains(t, vs[0].Summary, "research assistant")

	u, err := c.UserContext(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "usr_42", u.UserID)
	assert.Equal(t, "team_1", u.Organizations[0].ID)
}

func TestCapabilities(t *testing.T) {
	c, err := New(Options{APIKey: "k", TeamID: "team_1"})
	require.NoError(t, err)
	caps := c.Capabilities()
	assert.False(t, caps.Reply || caps.Pause || caps.Resume || caps.Profiles || caps.Pools || caps.Files)
	assert.True(t, caps.For(KindAgent).Execute)
	assert.False(t, caps.For(KindPipeline).Execute)
	assert.True(t, caps.For(KindPipeline).Cancel)
	err = c.Reply(context.Background(), "x", "hi")
	assert.Equal(t, api.KindUnsupported, api.KindOf(err))
	assert.Contains(t, err.Error(), "moderately does not support this")
}

func TestOnlyTheConfiguredOriginGetsTheKey(t *testing.T) {
	_, err := New(Options{BaseURL: "http://api.example.com", APIKey: "k", TeamID: "team_1"})
	assert.Equal(t, api.KindInsecure, api.KindOf(err))
	_, err = New(Options{APIKey: "k"})
	assert.ErrorContains(t, err, "a team id is needed: set MODERATELY_TEAM_ID", "the team is required, as by the vendor's SDK")
	f := newFake(t)
	f.json("GET /authentication/whoami", 401, `{"error":{"code":"UNAUTHORIZED","message":"bad token mod-test-key-123"}}`)
	_, err = f.client(t).UserContext(context.Background())
	assert.Equal(t, api.KindUnauthorized, api.KindOf(err))
	assert.NotContains(t, err.Error(), "mod-test-key-123")
}

func TestPipelinesFilterByPipeline(t *testing.T) {
	f := newFake(t)
	f.json("GET /pipeline-executions", 200, items(1, spec(t, "pipeline-executions.create.json")))
	c := f.client(t)
	_, err := c.ListExecutions(context.Background(), api.ExecutionQuery{Kind: KindPipeline, AgentID: "pipe_1"})
	require.NoError(t, err)
	assert.Equal(t, "pipe_1", f.requests()[0].Query.Get("pipelineIds"))
	assert.Equal(t, time.Second, c.PollHints().MinTail)
}

func TestAWholeIDIsFoundByTheExactFilter(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-executions", 200, items(1, `{"agentExecutionId":"OAR8F-m0VWvvMFOtKA9nE","status":"running"}`))
	f.json("GET /pipeline-executions", 200, items(0))
	c := f.client(t)
	p, err := c.ListExecutions(context.Background(), api.ExecutionQuery{ExecutionID: "OAR8F-m0VWvvMFOtKA9nE", PageSize: 100})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	assert.Equal(t, 1, p.Total)
	reqs := f.requests()
	require.Len(t, reqs, 2, "one request a kind")
	assert.Equal(t, "OAR8F-m0VWvvMFOtKA9nE", reqs[0].Query.Get("agentExecutionIds"))
	assert.Equal(t, "OAR8F-m0VWvvMFOtKA9nE", reqs[1].Query.Get("pipelineExecutionIds"))

	f.reset()
	p, err = c.ListExecutions(context.Background(), api.ExecutionQuery{ExecutionID: "m0vw", PageSize: 100})
	require.NoError(t, err)
	assert.Len(t, p.Items, 1, "a part of an id is matched on the page")
	assert.Len(t, f.requests(), 4, "the exact filter first, then the pages")
}
