package tui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
)

// deployedCatalog is a platform's catalog with agent statuses,
// environments and deployments (as Prefactor has them).
func deployedCatalog() PollMsg {
	return PollMsg{poller.CatalogEvent{
		Agents: []api.Agent{{ID: "agent_1", Name: "Refund bot", Status: "active"}, {ID: "agent_2", Name: "Triage\x1b[31m", Status: "dormant"}},
		Environments: []api.Environment{
			{ID: "env_prod", Name: "production", OrganizationID: "acct_1"},
			{ID: "env_stage", Name: "staging", OrganizationID: "acct_1"},
		},
		Deployments: []api.Deployment{
			{ID: "dep_1", AgentID: "agent_1", EnvironmentID: "env_prod", Status: "active"},
			{ID: "dep_2", AgentID: "agent_2", EnvironmentID: "env_prod", Status: "retired"},
			{ID: "dep_3", AgentID: "agent_1", EnvironmentID: "env_stage", Status: "active"},
		},
	}}
}

// TestEnvironmentsAndDeploymentsAreBrowseViews: where the platform has
// deployments, two read-only views list environments (with their agents)
// and deployments (agent, environment, status); elsewhere they are absent.
func TestEnvironmentsAndDeploymentsAreBrowseViews(t *testing.T) {
	h := newHarness(t, 120, 30, func(o *Options) {
		o.Backend.(*fakeBackend).caps = api.Capabilities{Cancel: true, Deployments: true}
	})
	h.send(deployedCatalog())
	v := h.view()
	assert.Contains(t, v, "8 Environments", "a tab")
	assert.Contains(t, v, "9 Deployments", "a tab")

	h.keys("8")
	require.Equal(t, "environments", h.viewName())
	v = h.view()
	assert.Contains(t, v, "Environments 2 · by name")
	assert.Regexp(t, `production\s+2\s+env_prod`, v, "production has two agents")
	assert.Regexp(t, `staging\s+1\s+env_stage`, v)
	h.keys("enter")
	v = h.view()
	assert.Contains(t, v, "Environment production")
	assert.Contains(t, v, "Agents deployed (2)")
	assert.Contains(t, v, "Refund bot")
	assert.NotContains(t, v, "\x1b[31m", "names are sanitised")
	h.keys("esc")

	h.keys("9")
	require.Equal(t, "deployments", h.viewName())
	v = h.view()
	assert.Contains(t, v, "Deployments 3")
	assert.Regexp(t, `Refund bot\s+production\s+active`, v)
	assert.Regexp(t, `Refund bot\s+staging\s+active`, v)
	assert.Regexp(t, `Triage\s+production\s+retired`, v, "the platform's status of each")
	h.keys("/")
	h.typeText("retired")
	h.keys("enter")
	assert.Contains(t, h.view(), "Deployments 1 · /retired")
	h.keys("enter")
	assert.Equal(t, "executions", h.viewName(), "enter shows the agent's executions")
	assert.Equal(t, "agent_2", h.agentFilter())

	other := newHarness(t, 120, 30)
	other.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "a", Name: "x"}}}})
	v = other.view()
	assert.NotContains(t, v, "Environments", "hidden where the platform has none")
	assert.NotContains(t, v, "Deployments")
}

// TestAgentsShowThePlatformsStatus: the agents view has a STATUS column
// where agents have a status, and none where they do not.
func TestAgentsShowThePlatformsStatus(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.send(deployedCatalog())
	h.snapshot(nil, nil) // the agents' rows are built with a snapshot
	h.keys("2")
	require.Equal(t, "agents", h.viewName())
	v := h.view()
	assert.Regexp(t, `NAME\s+STATUS\s+ACTIVE`, v)
	assert.Regexp(t, `Refund bot\s+active\s+0`, v)
	assert.Regexp(t, `Triage\s+dormant\s+0`, v)
	h.keys("/")
	h.typeText("dormant")
	h.keys("enter")
	assert.Contains(t, h.view(), "Agents 1 · /dormant", "the status is filterable")

	plain := newHarness(t, 120, 30)
	plain.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "a", Name: "Invoice filer"}}}})
	plain.snapshot(nil, nil)
	plain.keys("2")
	v = plain.view()
	assert.Regexp(t, `NAME\s+ACTIVE`, v, "no STATUS column where agents have none")
	assert.Contains(t, v, "Invoice filer")
	assert.NotContains(t, v, "STATUS")
}
