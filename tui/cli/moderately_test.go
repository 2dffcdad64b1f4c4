package cli

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/moderately/moderatelysim"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/tui/config"
)

// modFleet is the fleet served as Moderately AI on a manual clock.
type modFleet struct {
	e    *sim.Engine
	clk  *sim.ManualClock
	url  string
	team string
}

func newModFleet(t *testing.T) *modFleet {
	t.Helper()
	clk := sim.NewManualClock(simStart)
	e, err := sim.New(sim.Config{Seed: 1, Clock: clk, StartRate: -1, AutoAnswer: true, PrivateKey: sharedKey(t)})
	require.NoError(t, err)
	f := &modFleet{e: e, clk: clk, team: "team_cli"}
	srv := httptest.NewServer(moderatelysim.NewHandler(e, moderatelysim.HandlerOptions{APIKey: testKey, TeamID: f.team}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *modFleet) env(t *testing.T) map[string]string {
	return map[string]string{"HOME": t.TempDir(), config.EnvPlatform: "moderately",
		"MODERATELY_BASE_URL": f.url, "MODERATELY_API_KEY": testKey, "MODERATELY_TEAM_ID": f.team}
}

// active returns an active execution of the kind asked for ("pipeline" or "agent").
func (f *modFleet) active(t *testing.T, kind string) ExecutionOutput {
	t.Helper()
	var out []ExecutionOutput
	decode(t, inv{env: f.env(t)}.run(t, "executions", "list", "--kind", kind, "--status", "running,starting,paused", "-o", "json"), &out)
	require.NotEmpty(t, out, "no active %s", kind)
	return out[0]
}

func TestModeratelyExecutionsListAndGet(t *testing.T) {
	f := newModFleet(t)
	i := inv{env: f.env(t)}
	r := i.run(t, "executions", "list")
	require.Equal(t, 0, r.code, r.String())
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	assert.Regexp(t, `^ID\s+KIND\s+AGENT\s+STATUS`, lines[0], "a platform with kinds of run gets a KIND column")
	assert.Contains(t, r.out, "pipeline")
	assert.Contains(t, r.out, " agent ")
	assert.NotContains(t, r.err, testKey)

	var pipes []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "--kind", "pipeline", "-o", "json"), &pipes)
	require.NotEmpty(t, pipes)
	for _, p := range pipes {
		assert.Equal(t, "pipeline", p.Kind)
		assert.NotEmpty(t, p.Title)
	}

	run := f.active(t, "agent")
	r = i.run(t, "executions", "get", run.ID)
	require.Equal(t, 0, r.code, r.String())
	assert.Regexp(t, `Kind:\s+agent`, r.out)
	assert.Regexp(t, `Title:\s+\S`, r.out)
	assert.Contains(t, r.out, run.AgentName, "the agent is resolved through the configuration version")
}

func TestModeratelyExecuteWithInstructionsAndFollowItsSteps(t *testing.T) {
	f := newModFleet(t)
	i := inv{env: f.env(t), sleep: func(ctx context.Context, d time.Duration) error {
		f.clk.Advance(d)
		return ctx.Err()
	}}
	r := i.run(t, "execute", "Invoice Downloader — Northwind Supply", "--instructions", "Fetch November's invoices")
	require.Equal(t, 0, r.code, r.String())
	id := strings.TrimSpace(r.out)
	r = i.run(t, "executions", "get", id)
	require.Equal(t, 0, r.code, r.String())
	assert.Regexp(t, `Title:\s+Fetch November's invoices`, r.out)
	assert.Contains(t, r.out, "(the platform says pending)")

	r = i.run(t, "activities", id, "--follow", "--interval", "5s")
	require.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.out, "Code: ", "code steps")
	assert.Contains(t, r.out, "Observation: ", "observation steps")
	assert.Regexp(t, `Execution (completed|failed|cancelled)`, r.out, "followed to the end")
	seen := map[string]bool{}
	for _, l := range strings.Split(r.out, "\n") {
		if strings.Contains(l, "Code: ") {
			assert.False(t, seen[l], "a step printed twice: %s", l)
			seen[l] = true
		}
	}
}

func TestModeratelyCancelWithReasonAndReplyIsRefused(t *testing.T) {
	f := newModFleet(t)
	i := inv{env: f.env(t)}
	page, err := f.e.Agents(api.AgentQuery{Search: "Permit Status Tracker"})
	require.NoError(t, err)
	_, err = f.e.Execute(page.Items[0].ID, sim.ExecuteRequest{}) // served as a pipeline
	require.NoError(t, err)
	pipe := f.active(t, "pipeline")
	r := i.run(t, "cancel", pipe.ID, "--yes", "--reason", "wrong input files")
	require.Equal(t, 0, r.code, r.String())
	var got ExecutionOutput
	decode(t, i.run(t, "executions", "get", pipe.ID, "-o", "json"), &got)
	assert.Equal(t, "cancelled", got.Status)
	assert.Equal(t, "wrong input files", got.StatusReason)

	run := f.active(t, "agent")
	r = i.run(t, "cancel", run.ID, "--yes")
	require.Equal(t, 0, r.code, r.String())
	x, err := f.e.Execution(run.ID)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, x.Status)

	r = i.run(t, "reply", run.ID, "hello")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Equal(t, "agentop: reply: moderately does not support this\n", r.err)

	r = i.run(t, "execute", "Permit Status Tracker")
	assert.Equal(t, exitNotFound, r.code, "a pipeline is not an agent: %s", r.String())
}

func TestAsteroidRefusesACancelReason(t *testing.T) {
	f := newFleet(t)
	run := f.execution(t, api.StatusRunning)
	r := inv{env: f.env(t)}.run(t, "cancel", run.ID, "--yes", "--reason", "because")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, "--reason: asteroid does not take a cancel reason")
	r = inv{env: f.env(t)}.run(t, "execute", run.AgentID, "--instructions", "do it")
	assert.Equal(t, exitUsage, r.code, r.String())
}

func TestSimStepCasingBelongsToModerately(t *testing.T) {
	r := inv{}.run(t, "sim", "--step-casing", "snake")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, "--step-casing: the asteroid simulator has no such option")
	r = inv{}.run(t, "sim", "--platform", "moderately", "--step-casing", "odd")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, `"odd" is not one of mixed, camel, snake`)
}

func TestModeratelyAgentVersionsAndKinds(t *testing.T) {
	f := newModFleet(t)
	i := inv{env: f.env(t)}
	r := i.run(t, "agents", "versions", "Invoice Downloader — Northwind Supply")
	require.Equal(t, 0, r.code, r.String())
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	require.Greater(t, len(lines), 1)
	assert.Regexp(t, `^VERSION\s+CURRENT\s+ID`, lines[0])
	assert.Regexp(t, `^\s*\d+\s+current\s+acv_`, lines[1], "newest first, and current")
	var vs []AgentVersionOutput
	decode(t, i.run(t, "agents", "versions", "Invoice Downloader — Northwind Supply", "-o", "json"), &vs)
	for n, v := range vs {
		assert.Equal(t, vs[0].Number-n, v.Number)
		assert.Equal(t, n == 0, v.Current)
	}

	r = i.run(t, "executions", "list", "--kind", "session")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, `--kind: moderately has no "session" runs (agent, pipeline)`)

	a := newFleet(t)
	r = inv{env: a.env(t)}.run(t, "agents", "versions", "Permit Status Tracker")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Equal(t, "agentop: agents versions: asteroid does not support this\n", r.err)
	r = inv{env: a.env(t)}.run(t, "executions", "list", "--kind", "pipeline")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, "--kind: asteroid has one kind of run")
}

// TestModeratelyTeamFromAContext: a context's team-id scopes the requests,
// and a missing team is a clear configuration error.
func TestModeratelyTeamFromAContext(t *testing.T) {
	f := newModFleet(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg := "current-context: mod\ncontexts:\n  mod:\n    platform: moderately\n    base-url: " + f.url +
		"\n    api-key-env: MOD_KEY\n    team-id: " + f.team + "\n"
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	env := map[string]string{"HOME": t.TempDir(), config.EnvConfig: path, "MOD_KEY": testKey}
	r := inv{env: env}.run(t, "agents", "list")
	require.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.out, "Invoice Downloader")

	env = f.env(t)
	delete(env, "MODERATELY_TEAM_ID")
	r = inv{env: env}.run(t, "agents", "list")
	assert.Equal(t, exitUsage, r.code, r.String())
	assert.Contains(t, r.err, "a team id is needed: set MODERATELY_TEAM_ID, or team-id in the context")
}
