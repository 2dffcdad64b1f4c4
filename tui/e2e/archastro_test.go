package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro"
)

// TestOperatorAnswersAnArchAstroSession: `agentop --platform archastro`
// against `agentop sim --platform archastro` shows the sessions and the
// NEEDS YOU badge; ! and a typed reply reach the waiting session (seen
// through the platform's API) and it resumes.
func TestOperatorAnswersAnArchAstroSession(t *testing.T) {
	needTmux(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	bin := build(t, ctx, dir)
	const key = "sk_e2e_archastro_key"

	addr := freeAddr(t)
	startSim(t, ctx, bin, "--platform", "archastro", "--addr", addr, "--api-key", key, "--seed", "7")
	baseURL := "http://" + addr
	client, err := archastro.New(archastro.Options{BaseURL: baseURL, APIKey: key})
	require.NoError(t, err)
	eventually(t, 15*time.Second, "the simulator to answer", func() bool {
		_, err := client.ListAgents(ctx, api.AgentQuery{})
		return err == nil
	})

	tm := newTmux(t)
	t.Cleanup(tm.kill)
	env := fmt.Sprintf("env -u NO_COLOR -u AGENTOP_PLATFORM ARCHASTRO_BASE_URL=%s ARCHASTRO_API_KEY=%s XDG_CONFIG_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color",
		baseURL, key, filepath.Join(dir, "config"), filepath.Join(dir, "state"))
	tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "36",
		env+" "+bin+" --platform archastro; echo AGENTOP-EXITED $?; sleep 120")

	// The sessions and routine runs appear (with their kind), the waiting
	// session under the platform's own word.
	tm.waitFor(20*time.Second, "NEEDS YOU", "Executions", "ase_", "? waiting ", "KIND", "routine run")
	waiting, err := client.ListExecutions(ctx, api.ExecutionQuery{Kind: archastro.KindSession, Statuses: []api.Status{api.StatusPausedByAgent}})
	require.NoError(t, err)
	require.NotEmpty(t, waiting.Items, "a session waits")

	tm.keys("!")
	screen := tm.waitFor(10*time.Second, " asks · waiting ")
	m := regexp.MustCompile(`Activity · .* (ase_[0-9a-f]{4}) · `).FindStringSubmatch(screen)
	require.NotNil(t, m, "a selected session:\n%s", screen)
	target := ""
	for _, e := range waiting.Items {
		if strings.HasPrefix(e.ID, m[1]) {
			target = e.ID
		}
	}
	require.NotEmpty(t, target, "the selected session %s is one of those waiting:\n%s", m[1], screen)
	q, err := client.Interaction(ctx, waiting.Items[0], time.Now())
	require.NoError(t, err)
	require.False(t, q.Fallback, "a concrete question")

	tm.keys("i")
	tm.waitFor(5*time.Second, "enter send")
	const answer = "split it into two claims, thanks"
	tm.run("send-keys", "-t", "e2e", "-l", answer)
	tm.waitFor(5*time.Second, answer)
	tm.keys("Enter")

	// The message is in the session's inbox and the session resumed.
	eventually(t, 20*time.Second, "the session to leave waiting", func() bool {
		e, err := client.GetExecution(ctx, target)
		return err == nil && e.Status != api.StatusPausedByAgent
	})
	acts, err := client.Activities(ctx, target, api.ActivityQuery{})
	require.NoError(t, err)
	found := false
	for _, a := range acts {
		if a.Kind == api.KindUserMessage && strings.Contains(a.Message, answer) {
			found = true
		}
	}
	require.True(t, found, "the reply is in the session's inbox")
	tm.waitFor(10*time.Second, "Delivered ✓")

	tm.keys("q")
	tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
}
