package prefactorsim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/prefactor"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

const token = "pf_test_token_0123456789"

type rig struct {
	e   *sim.Engine
	clk *sim.ManualClock
	srv *httptest.Server
	c   *prefactor.Client
}

func newRig(t *testing.T, after time.Duration, faults simhttp.Faults) *rig {
	clk := sim.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	e, err := sim.New(sim.Config{Seed: 7, Clock: clk, Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: 12}, Speed: 20})
	require.NoError(t, err)
	srv := httptest.NewServer(NewHandler(e, HandlerOptions{APIKey: token, ApproveAfter: after, Faults: faults, Seed: 7}))
	t.Cleanup(srv.Close)
	c, err := prefactor.New(prefactor.Options{BaseURL: srv.URL, Token: token})
	require.NoError(t, err)
	return &rig{e: e, clk: clk, srv: srv, c: c}
}

// The client reads the façade's fleet: agents, open instances across
// agents, one instance and its span tree.
func TestClientReadsTheFleet(t *testing.T) {
	r := newRig(t, 0, simhttp.Faults{})
	ctx := context.Background()
	r.clk.Advance(30 * time.Second)
	agents, err := r.c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	require.NotEmpty(t, agents.Items)
	for _, a := range agents.Items {
		assert.Contains(t, []string{"active", "dormant"}, a.Status)
	}
	page, err := r.c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	want, err := r.e.Executions(api.ExecutionQuery{Statuses: api.ActiveStatuses, PageSize: 100})
	require.NoError(t, err)
	require.Len(t, page.Items, want.Total, "every open run, across agents")
	assert.False(t, page.Capped)
	for i := 1; i < len(page.Items); i++ {
		assert.False(t, page.Items[i].CreatedAt.After(page.Items[i-1].CreatedAt), "newest first")
	}
	x := page.Items[0]
	got, err := r.c.GetExecution(ctx, x.ID)
	require.NoError(t, err)
	assert.Equal(t, x.AgentID, got.AgentID)
	assert.NotEmpty(t, got.AgentName)

	acts, err := r.c.Activities(ctx, x.ID, api.ActivityQuery{Order: api.SortAsc, Limit: 500})
	require.NoError(t, err)
	require.NotEmpty(t, acts)
	ids := map[string]bool{}
	for _, a := range acts {
		ids[a.ID] = true
	}
	roots := 0
	for _, a := range acts {
		if a.ParentID == "" {
			roots++
			assert.Equal(t, "agent", a.ActionName)
			continue
		}
		assert.True(t, ids[a.ParentID], "the parent of %s is in the feed", a.ID)
		assert.NotContains(t, string(a.Raw), "jane.doe@example.com", "sensitive values never leave the adapter")
	}
	assert.Equal(t, 1, roots, "one tree per instance")
}

// An approval opens, shows as a read-only question, and resolves in Slack;
// its span turns complete in place.
func TestApprovalsAreReadOnlyAndResolve(t *testing.T) {
	r := newRig(t, time.Minute, simhttp.Faults{})
	ctx := context.Background()
	var waiting api.Execution
	for range 400 {
		r.clk.Advance(5 * time.Second)
		page, err := r.c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses})
		require.NoError(t, err)
		for _, e := range page.Items {
			if e.Status == api.StatusPausedByAgent {
				waiting = e
			}
		}
		if waiting.ID != "" {
			break
		}
	}
	require.NotEmpty(t, waiting.ID, "some run asks for an approval")
	assert.Equal(t, "active", waiting.StatusWord())
	q, err := r.c.Interaction(ctx, waiting, time.Now())
	require.NoError(t, err)
	assert.True(t, q.ReadOnly)
	assert.Equal(t, "#agent-approvals (Slack)", q.AnswerWhere)
	assert.NotEmpty(t, q.Question)
	assert.False(t, q.Fallback)
	assert.ErrorIs(t, r.c.Reply(ctx, waiting.ID, "yes"), api.ErrUnsupported)

	r.clk.Advance(2 * time.Minute)
	acts, err := r.c.Activities(ctx, waiting.ID, api.ActivityQuery{Limit: 500})
	require.NoError(t, err)
	var approval api.Activity
	for _, a := range acts {
		if a.ID == q.ActivityID {
			approval = a
		}
	}
	require.Equal(t, q.ActivityID, approval.ID, "the same span, updated in place")
	assert.Equal(t, "complete", approval.State)
	assert.Contains(t, string(approval.Raw), `"decision":"approved"`)
}

func TestTerminateKeepsTheReason(t *testing.T) {
	r := newRig(t, 0, simhttp.Faults{})
	ctx := context.Background()
	r.clk.Advance(10 * time.Second)
	page, err := r.c.ListExecutions(ctx, api.ExecutionQuery{Statuses: api.ActiveStatuses})
	require.NoError(t, err)
	require.NotEmpty(t, page.Items)
	id := page.Items[0].ID
	require.NoError(t, api.CancelExecution(ctx, r.c, id, "runaway token spend"))
	e, err := r.c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, e.Status)
	assert.Equal(t, "terminated", e.StatusWord())
	assert.Equal(t, "runaway token spend", e.StatusReason)
	err = api.CancelExecution(ctx, r.c, id, "again")
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "only active instances")
	assert.Contains(t, err.Error(), "only active agent instances")

	// Without a reason the façade refuses too (a client that skipped the check).
	resp := post(t, r.srv.URL+"/api/v1/agent_instance/"+page.Items[1].ID+"/terminate", `{}`)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	// Listing needs agent_id, as on Prefactor.
	req, _ := http.NewRequest("GET", r.srv.URL+"/api/v1/agent_instance", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusUnprocessableEntity, resp2.StatusCode)
}

func post(t *testing.T, url, body string) *http.Response {
	req, _ := http.NewRequest("POST", url, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func decode(t *testing.T, resp *http.Response) map[string]any {
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}

// The writes of an instrumented agent, as @prefactor/core 0.2.9 sends them
// (wire/prefactor-requests.txt C), fill the façade; the client reads them
// back as an instance with a span tree.
func TestAcceptsTheAgentWrites(t *testing.T) {
	r := newRig(t, 0, simhttp.Faults{})
	ctx := context.Background()
	reg := decode(t, post(t, r.srv.URL+"/api/v1/agent_instance/register",
		`{"agent_id": "agent_1", "agent_schema_version": {"external_identifier": "schema-2", "span_type_schemas": [{"name": "agent", "params_schema": {"type": "object"}}]}, "agent_version": {"description": "", "external_identifier": "v2.0.0", "name": "Demo agent"}}`))
	inst := reg["details"].(map[string]any)["id"].(string)
	assert.Equal(t, http.StatusOK, post(t, r.srv.URL+"/api/v1/agent_instance/"+inst+"/start", `{}`).StatusCode)
	root := decode(t, post(t, r.srv.URL+"/api/v1/agent_spans",
		`{"details": {"agent_instance_id": "`+inst+`", "finished_at": null, "parent_span_id": null, "payload": {"inputs": {"task": "triage"}, "name": "agent", "status": "active"}, "schema_name": "agent", "started_at": "2026-03-01T09:00:01.000Z", "status": "active"}}`))
	rootID := root["details"].(map[string]any)["id"].(string)
	post(t, r.srv.URL+"/api/v1/agent_spans",
		`{"details": {"agent_instance_id": "`+inst+`", "finished_at": "2026-03-01T09:00:03.000Z", "parent_span_id": "`+rootID+`", "payload": {"error": null, "inputs": {"prompt": {"$sensitive": true, "labels": ["pii"], "value": "secret words"}}, "name": "llm", "outputs": {"text": "hello"}, "token_usage": {"completion_tokens": 2, "prompt_tokens": 3, "total_tokens": 5}}, "result_payload": {"text": "hello"}, "schema_name": "llm", "started_at": "2026-03-01T09:00:02.000Z", "status": "complete"}}`)

	e, err := r.c.GetExecution(ctx, inst)
	require.NoError(t, err)
	assert.Equal(t, api.StatusRunning, e.Status)
	assert.Equal(t, "Demo agent", e.AgentName)
	acts, err := r.c.Activities(ctx, inst, api.ActivityQuery{Order: api.SortAsc})
	require.NoError(t, err)
	require.Len(t, acts, 2)
	assert.Equal(t, rootID, acts[1].ParentID)
	assert.Equal(t, "active", acts[0].State)
	assert.NotContains(t, string(acts[1].Raw), "secret words")

	post(t, r.srv.URL+"/api/v1/agent_spans/"+rootID+"/finish", `{"result_payload": {"ok": true}, "status": "complete", "timestamp": "2026-03-01T09:00:04.000Z"}`)
	post(t, r.srv.URL+"/api/v1/agent_instance/"+inst+"/finish", `{}`)
	acts, err = r.c.Activities(ctx, inst, api.ActivityQuery{Order: api.SortAsc})
	require.NoError(t, err)
	assert.Equal(t, "complete", acts[0].State, "the root span turned complete in place")
	assert.Equal(t, 3*time.Second, acts[0].Duration)
	e, err = r.c.GetExecution(ctx, inst)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCompleted, e.Status)
	page, err := r.c.ListExecutions(ctx, api.ExecutionQuery{AgentID: "agent_1"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
}

func TestFaultsReachTheClientAsErrors(t *testing.T) {
	r := newRig(t, 0, simhttp.Faults{ErrorRate: 1})
	_, err := r.c.ListAgents(context.Background(), api.AgentQuery{})
	assert.Equal(t, api.KindServer, api.KindOf(err))
	r2 := newRig(t, 0, simhttp.Faults{})
	bad, _ := prefactor.New(prefactor.Options{BaseURL: r2.srv.URL, Token: "wrong"})
	_, err = bad.UserContext(context.Background())
	assert.Equal(t, api.KindUnauthorized, api.KindOf(err))
}

// Environments and deployments are read through the general api.Deployer:
// every agent deployed once, to an environment the account has.
func TestClientReadsDeployments(t *testing.T) {
	r := newRig(t, 0, simhttp.Faults{})
	ctx := context.Background()
	var be api.Backend = r.c
	require.True(t, be.Capabilities().Deployments)
	d, ok := be.(api.Deployer)
	require.True(t, ok)
	envs, err := d.Environments(ctx, "")
	require.NoError(t, err)
	names := map[string]string{}
	for _, e := range envs {
		names[e.ID] = e.Name
		assert.NotEmpty(t, e.OrganizationID)
	}
	assert.Equal(t, map[string]string{"env_01production": "production", "env_02staging": "staging"}, names)
	agents, err := r.c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	deps, err := d.Deployments(ctx, "")
	require.NoError(t, err)
	require.Len(t, deps, len(agents.Items), "every agent's deployment")
	for _, dep := range deps {
		assert.Contains(t, names, dep.EnvironmentID)
		assert.Equal(t, "active", dep.Status)
	}
	one, err := d.Deployments(ctx, agents.Items[0].ID)
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Equal(t, agents.Items[0].ID, one[0].AgentID)
}
