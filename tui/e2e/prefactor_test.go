package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/prefactor"
)

// TestPrefactorInstancesAndATerminate: against `agentop sim --platform
// prefactor`, the dashboard shows the instances across agents; an
// instance terminated with a reason (agentop cancel --reason, the real
// binary) shows terminated on the dashboard and keeps its reason.
func TestPrefactorInstancesAndATerminate(t *testing.T) {
	needTmux(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	bin := build(t, ctx, dir)
	addr := freeAddr(t)
	startSim(t, ctx, bin, "--platform", "prefactor", "--addr", addr, "--api-key", apiKey, "--seed", "7")
	baseURL := "http://" + addr
	c, err := prefactor.New(prefactor.Options{BaseURL: baseURL, Token: apiKey, Timeout: 10 * time.Second})
	require.NoError(t, err)
	var running api.Execution
	eventually(t, 20*time.Second, "a running instance", func() bool {
		page, err := c.ListExecutions(ctx, api.ExecutionQuery{Statuses: []api.Status{api.StatusRunning}})
		if err != nil || len(page.Items) == 0 {
			return false
		}
		running = page.Items[0]
		return true
	})

	env := []string{"env -u NO_COLOR", "AGENTOP_PLATFORM=prefactor", "PREFACTOR_BASE_URL=" + baseURL, "PREFACTOR_API_TOKEN=" + apiKey,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"), "TERM=xterm-256color"}
	tm := newTmux(t)
	t.Cleanup(tm.kill)
	tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "160", "-y", "40",
		strings.Join(env, " ")+" "+bin+"; echo AGENTOP-EXITED $?; sleep 120")

	// The instances appear, across agents, with the running one listed.
	short := running.ID[:8]
	tm.waitFor(30*time.Second, "Executions", running.AgentName, short)

	// Terminate it with a reason, through the real binary.
	cli := exec.CommandContext(ctx, bin, "cancel", running.ID, "--reason", "runaway token spend", "--yes")
	cli.Env = append(cli.Environ(), "AGENTOP_PLATFORM=prefactor", "PREFACTOR_BASE_URL="+baseURL, "PREFACTOR_API_TOKEN="+apiKey,
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	out, err := cli.CombinedOutput()
	require.NoError(t, err, "%s", out)
	// Without a reason the CLI refuses before sending anything (exit 2).
	noReason := exec.CommandContext(ctx, bin, "cancel", running.ID, "--yes")
	noReason.Env = cli.Env
	out, err = noReason.CombinedOutput()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, "%s", out)
	require.Equal(t, 2, ee.ExitCode(), "%s", out)
	require.Contains(t, string(out), "needs a reason to cancel: add --reason TEXT")

	e, err := c.GetExecution(ctx, running.ID)
	require.NoError(t, err)
	require.Equal(t, "terminated", e.StatusWord())
	require.Equal(t, "runaway token spend", e.StatusReason)

	// The dashboard shows it ended: the header counts one cancelled, and
	// its row (filtered to its id) says terminated, the platform's word.
	// It ended elsewhere (the CLI): the operator refreshes, as they would,
	// rather than wait for the slow platform's next resolving sweep.
	tm.keys("C-r")
	tm.waitFor(40*time.Second, "⊘ 1")
	tm.keys("/")
	tm.run("send-keys", "-t", "e2e", "-l", short)
	screen := ""
	defer func() {
		if t.Failed() {
			t.Logf("screen:\n%s", screen)
		}
	}()
	eventually(t, 40*time.Second, "the terminated instance's row to say terminated", func() bool {
		screen = tm.run("capture-pane", "-p", "-J", "-t", "e2e")
		for _, line := range strings.Split(screen, "\n") {
			if strings.Contains(line, short) && strings.Contains(line, "terminated") {
				return true
			}
		}
		return false
	})
	tm.keys("Enter") // keep the filter, leave the filter box
	tm.keys("q")
	tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
}
