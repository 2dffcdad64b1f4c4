package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
	"github.com/agentop/agentop/tui/config"
)

// fleetEnv writes a config with a context per fleet (named "a", "b" …),
// each with its own key variable, and returns the environment.
func fleetEnv(t *testing.T, urls ...string) map[string]string {
	t.Helper()
	var b strings.Builder
	b.WriteString("contexts:\n")
	env := map[string]string{"HOME": t.TempDir()}
	for i, u := range urls {
		name := string(rune('a' + i))
		b.WriteString("  " + name + ":\n    base-url: " + u + "\n    api-key-env: KEY_" + strings.ToUpper(name) + "\n")
		env["KEY_"+strings.ToUpper(name)] = testKey
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	env["AGENTOP_CONFIG"] = path
	return env
}

func TestExecutionsListAllContexts(t *testing.T) {
	f1, f2 := newFleet(t), newFleet(t)
	env := fleetEnv(t, f1.url, f2.url)
	one := inv{env: map[string]string{"HOME": t.TempDir(), envBaseURL: f1.url, envAPIKey: testKey}}

	var single []ExecutionOutput
	decode(t, one.run(t, "executions", "list", "--limit", "500", "-o", "json"), &single)
	var merged []FleetExecutionOutput
	decode(t, inv{env: env}.run(t, "executions", "list", "-A", "--limit", "500", "-o", "json"), &merged)
	require.Len(t, merged, 2*len(single), "both contexts' executions")
	perContext := map[string]int{}
	for i, e := range merged {
		perContext[e.Context]++
		assert.Equal(t, "asteroid", e.Platform)
		if i > 0 {
			assert.False(t, e.CreatedAt.After(merged[i-1].CreatedAt), "newest first across contexts")
		}
	}
	assert.Equal(t, map[string]int{"a": len(single), "b": len(single)}, perContext)

	r := inv{env: env, term: &fakeTerm{width: 160}}.run(t, "executions", "list", "--all-contexts", "--limit", "5")
	require.Equal(t, 0, r.code, r)
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	assert.True(t, strings.HasPrefix(lines[0], "CONTEXT"), lines[0])
	assert.Len(t, lines, 6, "header and --limit rows over the whole fleet")

	// all-contexts: true in the file does the same without the flag.
	cfg, _ := os.ReadFile(env["AGENTOP_CONFIG"])
	require.NoError(t, os.WriteFile(env["AGENTOP_CONFIG"], append(cfg, "all-contexts: true\n"...), 0o600))
	decode(t, inv{env: env}.run(t, "executions", "list", "--limit", "500", "-o", "json"), &merged)
	assert.Len(t, merged, 2*len(single))
}

// TestAContextThatFailsIsReportedAndTheRestShown: a wrong key in one
// context warns, exits 1, and still prints the other context's rows.
func TestAContextThatFailsIsReportedAndTheRestShown(t *testing.T) {
	f1, f2 := newFleet(t), newFleet(t)
	env := fleetEnv(t, f1.url, f2.url)
	env["KEY_B"] = "sk-wrong-key"
	r := inv{env: env}.run(t, "executions", "list", "-A", "-o", "json")
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "context b: list executions: unauthorized")
	assert.Contains(t, r.err, "1 of 2 contexts could not be read")
	assert.Contains(t, r.out, `"context": "a"`)
	assert.NotContains(t, r.out, `"context": "b"`)
	assert.NotContains(t, r.out+r.err, "sk-wrong-key")
}

func TestAgentsListAllContexts(t *testing.T) {
	f1, f2 := newFleet(t), newFleet(t)
	var agents []FleetAgentOutput
	decode(t, inv{env: fleetEnv(t, f1.url, f2.url)}.run(t, "agents", "list", "-A", "-o", "json"), &agents)
	require.NotEmpty(t, agents)
	assert.Equal(t, "a", agents[0].Context)
	assert.Equal(t, "b", agents[len(agents)-1].Context)
}

func TestWaitForInteractionAnywhere(t *testing.T) {
	idle, busy := newFleet(t), newFleet(t)
	// Only the second context has an agent waiting.
	page, err := idle.e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}, PageSize: 100})
	require.NoError(t, err)
	for _, e := range page.Items {
		require.NoError(t, idle.e.SetStatus(e.ID, api.StatusCancelled))
	}
	waiting := busy.execution(t, api.StatusPausedByAgent)

	var out WaitOutput
	decode(t, inv{env: fleetEnv(t, idle.url, busy.url)}.run(t, "wait", "--for", "interaction", "-A", "-o", "json"), &out)
	assert.Equal(t, outcomeAsked, out.Outcome)
	assert.Equal(t, "b", out.Context)
	assert.Equal(t, "asteroid", out.Platform)
	require.NotNil(t, out.Question)
	assert.NotEmpty(t, out.Question.Text)
	assert.NotEmpty(t, out.ExecutionID)
	assert.Equal(t, "agentop --context b reply "+out.ExecutionID+" MESSAGE", out.Next, "the next step names the context")
	_ = waiting

	r := inv{env: fleetEnv(t, idle.url)}.run(t, "wait", "--for", "interaction", "-A", "--timeout", "1ms")
	assert.Equal(t, exitTimeout, r.code, r)
	assert.Contains(t, r.err, "no agent asked in any context")

	r = inv{env: fleetEnv(t, idle.url)}.run(t, "wait", "--for", "result", "-A")
	assert.Equal(t, exitUsage, r.code, r)
}

func TestAllContextsRefusedWhereItCannotApply(t *testing.T) {
	f := newFleet(t)
	r := inv{env: fleetEnv(t, f.url)}.run(t, "executions", "get", "x", "-A")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "--all-contexts works with executions list")
	r = inv{env: fleetEnv(t, f.url)}.run(t, "executions", "list", "-A", "--base-url", "https://x.example")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "--base-url picks one deployment")
}

func TestDemoFleetIsOneSimulatorPerPlatformWithoutSharedIDs(t *testing.T) {
	a := newApp(IO{Out: io.Discard, Err: io.Discard}, config.MapEnv(nil))
	defer a.close()
	members, err := a.demoFleet(t.Context())
	require.NoError(t, err)
	require.Len(t, members, len(platform.All()), "one context per platform")
	seen := map[string]string{}
	asking, answerable := 0, 0
	for _, m := range members {
		assert.Equal(t, m.Platform, m.Context, "each context is named after its platform")
		page, err := m.Backend.ListExecutions(t.Context(), api.ExecutionQuery{PageSize: 100, Page: 1})
		require.NoError(t, err)
		require.NotEmpty(t, page.Items)
		waiting := false
		for _, e := range page.Items {
			if other, dup := seen[e.ID]; dup {
				t.Fatalf("execution %s is in both %s and %s", e.ID, other, m.Context)
			}
			seen[e.ID] = m.Context
			waiting = waiting || e.Status.AwaitsHuman()
		}
		if m.Backend.Capabilities().Reply {
			answerable++
			if waiting {
				asking++
			}
		}
	}
	assert.Equal(t, answerable, asking, "every platform of the demo fleet that takes replies has an agent asking from the start")
	assert.GreaterOrEqual(t, asking, min(2, answerable))
}

func TestDemoFleetSharesARunningSim(t *testing.T) {
	addr, srv := runningSim(t, 0)
	var errb syncBuffer
	a := newApp(IO{Out: io.Discard, Err: &errb}, config.MapEnv(nil))
	a.simAddr = addr
	defer a.close()
	members, err := a.demoFleet(t.Context())
	require.NoError(t, err)
	require.Equal(t, platform.Default, members[0].Context)
	waiting, err := srv.Engine.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}, PageSize: 1})
	require.NoError(t, err)
	require.NotEmpty(t, waiting.Items)
	id := waiting.Items[0].ID
	require.NoError(t, members[0].Backend.Cancel(t.Context(), id))
	e, err := srv.Engine.Execution(id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, e.Status, "the default platform's context is the running agentop sim")
	assert.Contains(t, errb.String(), "is the agentop sim at http://"+addr)
}
