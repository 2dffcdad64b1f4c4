package cli

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/prefactor/prefactorsim"
	"github.com/agentop/agentop/api/sim"
)

// pfFleet is a simulated Prefactor deployment on a manual clock.
type pfFleet struct {
	e   *sim.Engine
	clk *sim.ManualClock
	env map[string]string
}

func newPrefactorFleet(t *testing.T) *pfFleet {
	t.Helper()
	clk := sim.NewManualClock(simStart)
	e, err := sim.New(sim.Config{Seed: 7, Clock: clk, Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: 10}, Speed: 20, PrivateKey: sharedKey(t)})
	require.NoError(t, err)
	srv := httptest.NewServer(prefactorsim.NewHandler(e, prefactorsim.HandlerOptions{APIKey: testKey, ApproveAfter: time.Hour}))
	t.Cleanup(srv.Close)
	return &pfFleet{e: e, clk: clk, env: map[string]string{"HOME": t.TempDir(), "AGENTOP_PLATFORM": "prefactor",
		"PREFACTOR_BASE_URL": srv.URL, "PREFACTOR_API_TOKEN": testKey}}
}

// waiting advances the clock until some run waits for an approval.
func (f *pfFleet) waiting(t *testing.T) sim.Execution {
	t.Helper()
	for range 400 {
		f.clk.Advance(5 * time.Second)
		page, err := f.e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}, PageSize: 1})
		require.NoError(t, err)
		if len(page.Items) > 0 {
			return page.Items[0]
		}
	}
	t.Fatal("no run asked for an approval")
	return sim.Execution{}
}

func TestPrefactorInstancesAndSpanTree(t *testing.T) {
	f := newPrefactorFleet(t)
	f.clk.Advance(20 * time.Second)
	i := inv{env: f.env}
	var list []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "--status", "running,starting,paused_by_agent", "-o", "json"), &list)
	require.NotEmpty(t, list)
	id := list[0].ID

	var one ExecutionOutput
	decode(t, i.run(t, "executions", "get", id, "-o", "json"), &one)
	assert.Equal(t, id, one.ID)

	var acts []ActivityOutput
	decode(t, i.run(t, "activities", id, "-o", "json", "--limit", "200"), &acts)
	require.NotEmpty(t, acts)
	ids := map[string]bool{}
	for _, a := range acts {
		ids[a.ID] = true
	}
	roots := 0
	for _, a := range acts {
		assert.NotEmpty(t, a.State, "every span has its state")
		if a.ParentID == "" {
			roots++
			continue
		}
		assert.True(t, ids[a.ParentID], "span %s's parent %s is in the feed", a.ID, a.ParentID)
	}
	assert.Equal(t, 1, roots)

	r := i.run(t, "activities", id)
	assert.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.out, "agent")

	r = i.run(t, "agents", "list")
	require.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.out, "STATUS")
	assert.Contains(t, r.out, "dormant")
	var agents []AgentOutput
	decode(t, i.run(t, "agents", "list", "-o", "json"), &agents)
	require.NotEmpty(t, agents)
	assert.NotEmpty(t, agents[0].Status)
}

func TestPrefactorWaitPrintsAnApprovalAndReplyRefuses(t *testing.T) {
	f := newPrefactorFleet(t)
	x := f.waiting(t)
	i := inv{env: f.env}
	var id string
	var list []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "--status", "paused_by_agent", "-o", "json"), &list)
	for _, e := range list {
		if e.AgentID == x.AgentID {
			id = e.ID
		}
	}
	require.NotEmpty(t, id, "the waiting instance is listed as waiting: %+v", list)

	r := i.run(t, "wait", id, "--for", "interaction")
	require.Equal(t, 0, r.code, r.String())
	assert.NotEmpty(t, r.out)
	assert.Contains(t, r.err, "answer in #agent-approvals (Slack)")
	var w WaitOutput
	decode(t, i.run(t, "wait", id, "--for", "interaction", "-o", "json"), &w)
	require.NotNil(t, w.Question)
	assert.True(t, w.Question.ReadOnly)
	assert.Equal(t, "#agent-approvals (Slack)", w.Question.AnswerWhere)

	r = i.run(t, "reply", id, "approve")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, "prefactor does not support this")
}

func TestPrefactorCancelNeedsAReason(t *testing.T) {
	f := newPrefactorFleet(t)
	f.clk.Advance(20 * time.Second)
	i := inv{env: f.env}
	var list []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "--status", "running", "-o", "json"), &list)
	require.NotEmpty(t, list)
	id := list[0].ID

	r := i.run(t, "cancel", id, "--yes")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, "prefactor needs a reason to cancel: add --reason TEXT")

	r = i.run(t, "cancel", id, "--yes", "--reason", "runaway token spend")
	require.Equal(t, 0, r.code, r.String())
	var one ExecutionOutput
	decode(t, i.run(t, "executions", "get", id, "-o", "json"), &one)
	assert.Equal(t, "cancelled", one.Status)
	assert.Contains(t, i.run(t, "executions", "get", id).out, "runaway token spend")
}

// On a platform whose cancel takes no reason, --reason is refused before
// anything is sent (TestAsteroidRefusesACancelReason); nothing is cancelled.
func TestCancelReasonNotTakenIsRefused(t *testing.T) {
	f := newFleet(t, sim.ScenarioDemo)
	x := f.execution(t, api.StatusRunning)
	r := inv{env: f.env(t)}.run(t, "cancel", x.ID, "--yes", "--reason", "because")
	require.Equal(t, exitUsage, r.code, r.String())
	got, err := f.e.Execution(x.ID)
	require.NoError(t, err)
	assert.False(t, got.Status.IsTerminal(), "not cancelled")
}

// Environments and deployments are read-only listings on Prefactor, in a
// table and as JSON; platforms without them refuse with exit 2.
func TestPrefactorEnvironmentsAndDeployments(t *testing.T) {
	f := newPrefactorFleet(t)
	i := inv{env: f.env}
	var envs []EnvironmentOutput
	decode(t, i.run(t, "environments", "list", "-o", "json"), &envs)
	require.Len(t, envs, 2)
	assert.ElementsMatch(t, []string{"production", "staging"}, []string{envs[0].Name, envs[1].Name})
	r := i.run(t, "environments", "list")
	require.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.out, "staging")

	var agents []AgentOutput
	decode(t, i.run(t, "agents", "list", "-o", "json"), &agents)
	require.NotEmpty(t, agents)
	var deps []DeploymentOutput
	decode(t, i.run(t, "deployments", "list", "-o", "json"), &deps)
	require.Len(t, deps, len(agents), "each agent deployed once")
	assert.Equal(t, "production", deps[0].EnvironmentName)
	assert.Equal(t, "active", deps[0].Status)
	decode(t, i.run(t, "deployments", "list", "--agent", agents[0].Name, "-o", "json"), &deps)
	require.Len(t, deps, 1)
	assert.Equal(t, agents[0].ID, deps[0].AgentID)
	assert.Equal(t, agents[0].Name, deps[0].AgentName)
	r = i.run(t, "deployments", "list")
	require.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.out, "ENVIRONMENT")
	assert.Contains(t, r.out, agents[0].Name, "agents by name")
	assert.Contains(t, r.out, "production")

	a := newFleet(t)
	for _, cmd := range []string{"environments", "deployments"} {
		r = inv{env: a.env(t)}.run(t, cmd, "list")
		assert.Equal(t, exitUsage, r.code, r.String())
		assert.Equal(t, "agentop: "+cmd+" list: asteroid does not support this\n", r.err)
	}
}
