package tui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/overlay"
)

// withArchAstroCaps gives the harness ArchAstro's capabilities: sessions
// and routine runs, instructions, no pause, resume, profiles or pools.
func withArchAstroCaps(t *testing.T) optFn {
	c, err := archastro.New(archastro.Options{APIKey: "sk_test"})
	require.NoError(t, err)
	return func(o *Options) { o.Backend.(*fakeBackend).caps = c.Capabilities() }
}

func TestArchAstroDashboard(t *testing.T) {
	h := newHarness(t, 140, 40, withArchAstroCaps(t))
	waiting := mkExec("ase_1111aaaa", "Expense report submitter", api.StatusPausedByAgent, 3*60e9)
	waiting.Kind, waiting.PlatformStatus = archastro.KindSession, "waiting"
	run := mkExec("arr_2222bbbb", "Supplier portal checker", api.StatusRunning, 2*60e9)
	run.Kind = archastro.KindRoutineRun
	skipped := mkExec("arr_3333cccc", "Supplier portal checker", api.StatusCancelled, 50*60e9)
	skipped.Kind, skipped.PlatformStatus = archastro.KindRoutineRun, "skipped"
	h.snapshot([]api.Execution{waiting, run, skipped}, map[string]api.InteractionRequest{
		waiting.ID: {ExecutionID: waiting.ID, AgentName: waiting.AgentName, Question: "Submit or split?", AskedAt: t0},
	})
	v := h.view()
	assert.Contains(t, v, "KIND", "both kinds are listed: the table says which")
	assert.Contains(t, v, "routine run")
	assert.Contains(t, v, "session")
	assert.Contains(t, v, "waiting", "the platform's own word")
	assert.Contains(t, v, "skipped")
	assert.NotContains(t, v, "Profiles", "no profiles view")
	assert.NotContains(t, v, "Pools", "no pools view")
	assert.NotContains(t, v, "pause")
	assert.NotContains(t, v, "resume")

	// The execute form asks for instructions (and a name), not inputs.
	h.send(PollMsg{poller.CatalogEvent{Agents: []api.Agent{{ID: "agi_1", Name: "Expense report submitter"}}}})
	h.keys("e")
	require.IsType(t, &overlay.Form{}, h.overlay())
	v = h.view()
	assert.Contains(t, v, "Instructions")
	assert.NotContains(t, v, "Inputs")
	assert.NotContains(t, v, "Version")
	h.keys("ctrl+s")
	assert.Contains(t, h.view(), "instructions are required")
	require.Empty(t, h.backend.executed)
	h.keys("tab")
	h.typeText("Summarise the week")
	h.keys("tab")
	h.typeText("weekly")
	h.keys("ctrl+s")
	require.Len(t, h.backend.executed, 1)
	assert.Equal(t, "Summarise the week", h.backend.executed[0].Instructions)
	assert.Equal(t, "weekly", h.backend.executed[0].Name)
}
