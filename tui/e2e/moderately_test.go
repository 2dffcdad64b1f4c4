package e2e

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/moderately"
	"github.com/agentop/agentop/api/moderately/moderatelysim"
)

// TestModeratelyDashboard drives the real binary against `agentop sim
// --platform moderately`: the executions appear, the feed follows an
// execution's live-tail steps as they come, a start from the execute form
// shows up on the platform, cancel asks first, and the configuration
// versions have a view.
func TestModeratelyDashboard(t *testing.T) {
	needTmux(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	dir := t.TempDir()
	bin := build(t, ctx, dir)

	addr := freeAddr(t)
	simOut := startSim(t, ctx, bin, "--platform", "moderately", "--addr", addr, "--api-key", apiKey, "--seed", "7", "--speed", "2")
	baseURL, team := "http://"+addr, moderatelysim.TeamID(7)
	client, err := moderately.New(moderately.Options{BaseURL: baseURL, APIKey: apiKey, TeamID: team})
	require.NoError(t, err)
	eventually(t, 15*time.Second, "the simulator to answer", func() bool {
		_, err := client.ListAgents(ctx, api.AgentQuery{})
		return err == nil
	})
	eventually(t, 5*time.Second, "the export line to name the team", func() bool {
		return strings.Contains(simOut.String(), "MODERATELY_TEAM_ID="+team)
	})

	tm := newTmux(t)
	t.Cleanup(tm.kill)
	env := fmt.Sprintf("env -u NO_COLOR AGENTOP_PLATFORM=moderately MODERATELY_BASE_URL=%s MODERATELY_API_KEY=%s MODERATELY_TEAM_ID=%s XDG_CONFIG_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color",
		baseURL, apiKey, team, filepath.Join(dir, "config"), filepath.Join(dir, "state"))
	tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "40",
		env+" "+bin+"; echo AGENTOP-EXITED $?; sleep 120")

	// The executions appear; the newest running one is followed.
	screen := tm.waitFor(20*time.Second, "Executions", "running", "· follow")
	require.NotContains(t, screen, apiKey)

	// The feed follows the steps live: its count grows, with code and
	// observation steps among them.
	title := regexp.MustCompile(`Activity · .* ([0-9a-f]{8}) · (\d+) · follow`)
	m := title.FindStringSubmatch(screen)
	require.NotNil(t, m, "a followed execution:\n%s", screen)
	id8, n := m[1], atoi(t, m[2])
	var grown string
	eventually(t, 40*time.Second, "the feed of "+id8+" to grow", func() bool {
		grown = tm.screen()
		g := title.FindStringSubmatch(grown)
		return g != nil && g[1] == id8 && atoi(t, g[2]) > n
	})
	require.Regexp(t, `Code: |Observation: `, grown, "live-tail steps are in the feed")

	// A start from the execute form shows up on the platform.
	tm.keys("e")
	tm.waitFor(5*time.Second, "Execute an agent")
	tm.keys("C-s")
	screen = tm.waitFor(10*time.Second, "Started ")
	started := regexp.MustCompile(`Started (.*): execution ([0-9a-f]{8})`).FindStringSubmatch(screen)
	require.NotNil(t, started, "the start is confirmed:\n%s", screen)
	var runID string
	eventually(t, 10*time.Second, "the started execution on the platform", func() bool {
		p, err := client.ListExecutions(ctx, api.ExecutionQuery{Kind: moderately.KindAgent, PageSize: 20})
		if err != nil {
			return false
		}
		for _, e := range p.Items {
			if strings.HasPrefix(e.ID, started[2]) {
				runID = e.ID
				return true
			}
		}
		return false
	})
	tm.waitFor(10*time.Second, started[2])

	// Cancel asks first; only the answer cancels.
	// Select it by filtering the list on its id.
	tm.keys("/")
	tm.run("send-keys", "-t", "e2e", "-l", started[2])
	tm.keys("Enter")
	tm.waitFor(10*time.Second, "Activity · "+started[1]+" "+started[2])
	tm.keys("x")
	tm.waitFor(5*time.Second, "Cancel execution?", "· "+started[2]+" ·")
	e, err := client.GetExecution(ctx, runID)
	require.NoError(t, err)
	require.False(t, e.Status.IsTerminal(), "nothing is cancelled before the answer: %s", e.Status)
	tm.keys("y")
	eventually(t, 15*time.Second, "the execution to be cancelled", func() bool {
		e, err := client.GetExecution(ctx, runID)
		return err == nil && e.Status == api.StatusCancelled
	})
	tm.waitFor(10*time.Second, "Execution cancelled")

	// The configuration versions are a view of their own.
	tm.keys("6")
	tm.waitFor(10*time.Second, "Configuration versions", "current")

	tm.keys("q")
	tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
}

// lockedBuffer is a buffer the simulator writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}
