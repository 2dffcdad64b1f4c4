package prefactorcontract

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/prefactor"
	"github.com/agentop/agentop/api/prefactor/prefactorsim"
	"github.com/agentop/agentop/api/sim"
)

// needSDK skips unless the pinned SDK is installed (npm ci) and node runs;
// AGENTOP_CONTRACT=require makes either a failure.
func needSDK(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	_, statErr := os.Stat(filepath.Join("node_modules", "@prefactor", "core", "package.json"))
	if err == nil && statErr == nil {
		return node
	}
	msg := "the contract needs node and @prefactor/core (cd contract/prefactor && npm ci)"
	if os.Getenv("AGENTOP_CONTRACT") == "require" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestTheOfficialSDKFillsTheSimulator: a run written by @prefactor/core
// 0.2.9 reads back through agentop's client as one instance with a span
// tree (agent → llm, failing tool, approval), all closed, the run complete.
func TestTheOfficialSDKFillsTheSimulator(t *testing.T) {
	node := needSDK(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := prefactorsim.Start(ctx, prefactorsim.Config{Sim: sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}})
	require.NoError(t, err)
	defer srv.Close()

	cmd := exec.CommandContext(ctx, node, "write_run.mjs")
	cmd.Env = append(os.Environ(), "PREFACTOR_API_URL="+srv.URL, "PREFACTOR_API_TOKEN="+srv.APIKey, "PREFACTOR_AGENT_ID=agent_contract")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.NotContains(t, string(out), "Error", "the SDK logged no failure: %s", out)

	c, err := prefactor.New(prefactor.Options{BaseURL: srv.URL, Token: srv.APIKey})
	require.NoError(t, err)
	page, err := c.ListExecutions(ctx, api.ExecutionQuery{AgentID: "agent_contract"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "one instance")
	inst := page.Items[0]
	assert.Equal(t, api.StatusCompleted, inst.Status)
	assert.Equal(t, "Contract agent", inst.AgentName)

	acts, err := c.Activities(ctx, inst.ID, api.ActivityQuery{Order: api.SortAsc})
	require.NoError(t, err)
	byName := map[string]api.Activity{}
	for _, a := range acts {
		byName[a.ActionName] = a
	}
	require.Len(t, acts, 4, "agent, llm, tool, approval: %+v", acts)
	root := byName["agent"]
	require.NotEmpty(t, root.ID)
	assert.Empty(t, root.ParentID)
	assert.Equal(t, "complete", root.State, "the agent span was finished in place")
	for _, name := range []string{"llm", "tool", "hitl:human-approval"} {
		assert.Equal(t, root.ID, byName[name].ParentID, "%s is a child of the agent span", name)
	}
	assert.Equal(t, "failed", byName["tool"].State)
	assert.Equal(t, "customer service unavailable", byName["tool"].Message)
	assert.Equal(t, "complete", byName["hitl:human-approval"].State)
}
