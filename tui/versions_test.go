package tui

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
)

// TestConfigurationVersionsAreABrowseView: on a platform that versions
// agent configurations the versions view lists them by agent, newest first,
// and shows one's instructions; elsewhere it is not there.
func TestConfigurationVersionsAreABrowseView(t *testing.T) {
	h := newHarness(t, 120, 30, func(o *Options) {
		o.Backend.(*fakeBackend).caps = api.Capabilities{Execute: true, Cancel: true, Versions: true}
	})
	h.send(PollMsg{poller.CatalogEvent{
		Agents: []api.Agent{{ID: "agt_1", Name: "Research Assistant"}},
		Versions: []api.AgentVersion{
			{ID: "acv_2", AgentID: "agt_1", Number: 2, Current: true, Summary: "Answer with citations.", CreatedAt: t0.Add(-24 * time.Hour)},
			{ID: "acv_1", AgentID: "agt_1", Number: 1, Summary: "Answer briefly.", CreatedAt: t0.Add(-72 * time.Hour)},
		},
	}})
	assert.Contains(t, h.view(), "6 Versions", "a tab")
	h.keys("6")
	require.Equal(t, "versions", h.viewName())
	v := h.view()
	assert.Contains(t, v, "Configuration versions 2")
	assert.Regexp(t, `Research Assistant\s+2\s+current`, v, "the agent's name, newest first, the current one marked")
	assert.Regexp(t, `Research Assistant\s+1\s+\S`, v)
	h.keys("enter")
	v = h.view()
	assert.Contains(t, v, "Research Assistant · version 2")
	assert.Contains(t, v, "Answer with citations.")
	assert.Contains(t, v, "yes (new executions run it)")

	other := newHarness(t, 120, 30)
	other.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "a", Name: "x"}}}})
	assert.NotContains(t, other.view(), "Versions", "hidden where the platform has none")
}
