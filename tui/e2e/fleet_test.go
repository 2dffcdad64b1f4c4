package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/platform"
)

// fleetSim is one simulator of the fleet test, with a client of its own.
type fleetSim struct {
	context string
	spec    platform.Spec
	url     string
	client  api.Backend
}

// startFleetSim serves `agentop sim` of spec with seed on a free port.
func startFleetSim(r *rig, context string, spec platform.Spec, seed int) *fleetSim {
	r.t.Helper()
	addr := freeAddr(r.t)
	cmd := exec.CommandContext(r.ctx, r.bin, "sim", "--platform", spec.Name, "--addr", addr, "--api-key", apiKey, "--seed", strconv.Itoa(seed))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(r.t, cmd.Start())
	r.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if r.t.Failed() {
			r.t.Logf("simulator %s output:\n%s", context, out.String())
		}
	})
	s := &fleetSim{context: context, spec: spec, url: "http://" + addr}
	c, err := spec.New(platform.Options{BaseURL: s.url, APIKey: apiKey, Timeout: 10 * time.Second})
	require.NoError(r.t, err)
	s.client = c
	eventually(r.t, 15*time.Second, "simulator "+context+" to answer", func() bool {
		_, err := c.ListAgents(r.ctx, api.AgentQuery{})
		return err == nil
	})
	return s
}

// waitingIDs lists the executions waiting for an answer in a simulator.
func (s *fleetSim) waitingIDs(r *rig) []string {
	r.t.Helper()
	page, err := s.client.ListExecutions(r.ctx, api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}, Page: 1, PageSize: 100})
	require.NoError(r.t, err)
	var out []string
	for _, e := range page.Items {
		out = append(out, e.ID)
	}
	return out
}

// secondPlatform is the platform of the fleet's second context: the first
// registered platform other than Asteroid (else Asteroid again: a second
// account).
func secondPlatform() platform.Spec {
	for _, s := range platform.All() {
		if s.Name != "asteroid" {
			return s
		}
	}
	return platform.MustLookup("asteroid")
}

// TestFleetDashboardAnswersAcrossPlatforms: two simulators in one config
// with all-contexts: true; the dashboard lists the executions of both, the
// NEEDS YOU badge counts the questions of both, and a reply sent from the
// inbox reaches the simulator the question came from, and only it.
func TestFleetDashboardAnswersAcrossPlatforms(t *testing.T) {
	r := newRig(t, 120*time.Second)
	support := startFleetSim(r, "support", platform.MustLookup("asteroid"), 3)
	ops := startFleetSim(r, "ops", secondPlatform(), 11)
	sims := []*fleetSim{support, ops}

	cfgDir := filepath.Join(r.dir, "config", "agentop")
	require.NoError(t, os.MkdirAll(cfgDir, 0o700))
	var cfg strings.Builder
	cfg.WriteString("all-contexts: true\ncontexts:\n")
	for _, s := range sims {
		fmt.Fprintf(&cfg, "  %s:\n    platform: %s\n    base-url: %s\n    api-key-env: KEY_%s\n", s.context, s.spec.Name, s.url, strings.ToUpper(s.context))
	}
	require.NoError(t, os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte(cfg.String()), 0o600))
	env := strings.Join([]string{"env -u NO_COLOR -u ASTEROID_BASE_URL -u ASTEROID_API_KEY",
		"KEY_SUPPORT=" + apiKey, "KEY_OPS=" + apiKey,
		"XDG_CONFIG_HOME=" + filepath.Join(r.dir, "config"), "XDG_STATE_HOME=" + filepath.Join(r.dir, "state"),
		"TERM=xterm-256color"}, " ")
	r.tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "160", "-y", "40",
		env+" "+r.bin+"; echo AGENTOP-EXITED $?; sleep 600")

	// Rows of both contexts, and their states in the header.
	screen := r.tm.waitFor(30*time.Second, "CONTEXT", "support", "ops", "NEEDS YOU")
	eventually(t, 20*time.Second, "rows of both contexts", func() bool {
		s := r.tm.screen()
		// │, the mark column, the status glyph, the platform glyph, the context.
		return regexp.MustCompile(`│.? ?\S \S+ support `).MatchString(s) && regexp.MustCompile(`│.? ?\S \S+ ops `).MatchString(s)
	})

	// The badge counts the questions of both simulators.
	eventually(t, 20*time.Second, "NEEDS YOU to count both contexts' questions", func() bool {
		n := len(support.waitingIDs(r)) + len(ops.waitingIDs(r))
		return len(ops.waitingIDs(r)) > 0 && len(support.waitingIDs(r)) > 0 && strings.Contains(r.tm.screen(), fmt.Sprintf("NEEDS YOU %d", n))
	})

	// From the inbox, answer the oldest question, wherever it is.
	r.tm.keys("5")
	r.tm.waitFor(10*time.Second, "Needs you")
	r.tm.keys("Enter")
	screen = r.tm.waitFor(10*time.Second, " asks · waiting ", "enter send")
	m := regexp.MustCompile(`Activity · .* ([0-9a-zA-Z_-]{8}) · `).FindStringSubmatch(screen)
	require.NotNil(t, m, "a selected execution:\n%s", screen)
	var target string
	var owner, other *fleetSim
	for _, s := range sims {
		for _, id := range s.waitingIDs(r) {
			if strings.HasPrefix(id, m[1]) {
				target, owner = id, s
			}
		}
	}
	require.NotNil(t, owner, "the execution answered (%s) is waiting in one of the simulators:\n%s", m[1], screen)
	other = support
	if owner == support {
		other = ops
	}
	t.Logf("answering %s of %s (%s); the other context is on %s", target, owner.context, owner.spec.Name, other.spec.Name)
	const answer = "Go ahead with the second option"
	r.tm.run("send-keys", "-t", "e2e", "-l", answer)
	r.tm.waitFor(5*time.Second, answer)
	r.tm.keys("Enter")

	eventually(t, 20*time.Second, "the reply to reach "+owner.context, func() bool {
		acts, err := owner.client.Activities(r.ctx, target, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
		if err != nil {
			return false
		}
		for _, a := range acts {
			if a.Kind == api.KindUserMessage && strings.Contains(a.Message, answer) {
				return true
			}
		}
		return false
	})
	_, err := other.client.GetExecution(r.ctx, target)
	require.Equal(t, api.KindNotFound, api.KindOf(err), "the other context has no such execution: nothing went there")
	r.tm.waitFor(15*time.Second, "Delivered ✓")

	r.tm.keys("q")
	r.tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
}
