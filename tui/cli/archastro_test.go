package cli

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
)

const archastroKey = "sk_test_archastro_0123456789-SECRET"

// archastroFleet serves the demo fleet as ArchAstro on a manual clock and
// returns the engine and an environment pointing at it.
func archastroFleet(t *testing.T) (*sim.Engine, map[string]string) {
	t.Helper()
	clk := sim.NewManualClock(simStart)
	e, err := sim.New(sim.Config{Seed: 1, Clock: clk, Scenario: sim.Scenario{Kind: sim.ScenarioIdle}, StartRate: -1, PrivateKey: sharedKey(t)})
	require.NoError(t, err)
	srv := httptest.NewServer(archastrosim.NewHandler(e, archastrosim.HandlerOptions{APIKey: archastroKey}))
	t.Cleanup(srv.Close)
	return e, map[string]string{"HOME": t.TempDir(), "AGENTOP_PLATFORM": "archastro",
		"ARCHASTRO_BASE_URL": srv.URL, "ARCHASTRO_API_KEY": archastroKey}
}

// Every command works on ArchAstro, or refuses in one line with exit 2.
func TestArchAstroCommands(t *testing.T) {
	e, env := archastroFleet(t)
	i := inv{env: env}

	var list []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "-o", "json"), &list)
	kinds := map[string]int{}
	var waiting ExecutionOutput
	for _, x := range list {
		kinds[x.Kind]++
		if x.Status == string(api.StatusPausedByAgent) {
			waiting = x
		}
	}
	assert.Positive(t, kinds["session"])
	assert.Positive(t, kinds["routine_run"])
	require.NotEmpty(t, waiting.ID, "a session waits for an answer")
	assert.Equal(t, "waiting", waiting.PlatformStatus)

	r := i.run(t, "executions", "list")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, strings.SplitN(r.out, "\n", 2)[0], "KIND", "both kinds are listed: the table says which")

	var got ExecutionOutput
	decode(t, i.run(t, "executions", "get", waiting.ID, "-o", "json"), &got)
	assert.Equal(t, waiting.ID, got.ID)
	r = i.run(t, "activities", waiting.ID)
	require.Equal(t, 0, r.code, r)

	r = i.run(t, "reply", waiting.ID, "Use the payroll account")
	require.Equal(t, 0, r.code, r)
	x, err := e.Execution(strings.TrimPrefix(waiting.ID, "ase_"))
	require.NoError(t, err)
	assert.Equal(t, api.StatusRunning, x.Status, "the reply reached the session and it resumed")

	var agents []AgentOutput
	decode(t, i.run(t, "agents", "list", "-o", "json"), &agents)
	require.Len(t, agents, 10)

	r = i.run(t, "execute", agents[0].ID)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "pass --instructions")
	var started ExecuteOutput
	decode(t, i.run(t, "execute", agents[0].ID, "--instructions", "Check the portal", "--name", "cli test", "-o", "json"), &started)
	require.True(t, strings.HasPrefix(started.ExecutionID, "ase_"))
	decode(t, i.run(t, "executions", "get", started.ExecutionID, "-o", "json"), &got)
	assert.Equal(t, "cli test", got.Title)
	r = i.run(t, "cancel", started.ExecutionID, "--yes")
	require.Equal(t, 0, r.code, r)
	decode(t, i.run(t, "executions", "get", started.ExecutionID, "-o", "json"), &got)
	assert.Equal(t, "cancelled", got.Status)

	for _, args := range [][]string{
		{"pause", waiting.ID}, {"resume", waiting.ID}, {"files", waiting.ID}, {"recording", waiting.ID},
		{"profiles", "list"}, {"pools", "list"},
	} {
		r := i.run(t, args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(r.err), "\n")+1, "%v: one line: %q", args, r.err)
		assert.Contains(t, r.err, "archastro does not support this", args)
		assert.NotContains(t, r.out+r.err, archastroKey)
	}
	var routine string
	for _, x := range list {
		if x.Kind == "routine_run" && !x.Terminal {
			routine = x.ID
		}
	}
	if routine != "" {
		r = i.run(t, "cancel", routine, "--yes")
		assert.Equal(t, exitUsage, r.code, r)
		assert.Contains(t, r.err, "archastro does not support this")
	}
}

// config view shows the JWT only as set or not set.
func TestArchAstroConfigView(t *testing.T) {
	env := map[string]string{"HOME": t.TempDir(), "ARCHASTRO_API_KEY": "pk_live_x", "ARCHASTRO_JWT": "eyJ.very.SECRET"}
	var out ConfigOutput
	r := inv{env: env}.run(t, "--platform", "archastro", "config", "view", "-o", "json")
	decode(t, r, &out)
	assert.Equal(t, SettingOutput[string]{Value: "set", Source: "env", Origin: "$ARCHASTRO_JWT"}, out.Extra["jwt"])
	assert.NotContains(t, r.out, "eyJ.very.SECRET")
	r = inv{env: env}.run(t, "--platform", "archastro", "config", "view")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `jwt\s+set\s+env \$ARCHASTRO_JWT`, r.out)
	assert.NotContains(t, r.out, "eyJ.very.SECRET")

	delete(env, "ARCHASTRO_JWT")
	decode(t, inv{env: env}.run(t, "--platform", "archastro", "config", "view", "-o", "json"), &out)
	assert.Equal(t, "not set", out.Extra["jwt"].Value)

	r = inv{env: env}.run(t, "--platform", "archastro", "agents", "list")
	assert.Equal(t, exitUsage, r.code, "a pk_ key without its JWT is a configuration error: %s", r)
	assert.Contains(t, r.err, "needs the user's JWT")
}

// --demo --platform archastro runs on ArchAstro's simulator.
func TestArchAstroDemo(t *testing.T) {
	var list []ExecutionOutput
	r := inv{}.run(t, "--demo", "--platform", "archastro", "executions", "list", "-o", "json")
	decode(t, r, &list)
	require.NotEmpty(t, list)
	assert.True(t, strings.HasPrefix(list[0].ID, "ase_") || strings.HasPrefix(list[0].ID, "arr_"))
	assert.Contains(t, r.err, "of ArchAstro")
}

// A listing that stops at the platform's cap says so.
func TestArchAstroCapIsSaid(t *testing.T) {
	clk := sim.NewManualClock(simStart)
	e, err := sim.New(sim.Config{Seed: 1, Clock: clk, Scenario: sim.Scenario{Kind: sim.ScenarioBusy, N: 120}, StartRate: -1, PrivateKey: sharedKey(t)})
	require.NoError(t, err)
	srv := httptest.NewServer(archastrosim.NewHandler(e, archastrosim.HandlerOptions{APIKey: archastroKey}))
	t.Cleanup(srv.Close)
	env := map[string]string{"HOME": t.TempDir(), "ARCHASTRO_BASE_URL": srv.URL, "ARCHASTRO_API_KEY": archastroKey}
	var list []ExecutionOutput
	r := inv{env: env}.run(t, "--platform", "archastro", "executions", "list", "--status", "running,starting", "--limit", "500", "-o", "json")
	decode(t, r, &list)
	assert.Contains(t, r.err, "archastro lists at most 100 and cannot page past them")
	r = inv{env: env}.run(t, "--platform", "archastro", "executions", "list", "--limit", "20", "-o", "json")
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.err, "cannot page past them", "the 20 asked for were listed")
}
