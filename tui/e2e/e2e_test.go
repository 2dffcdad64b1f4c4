// Package e2e runs the real agentop binary in tmux against `agentop sim`:
// the fleet appears, the operator jumps to a waiting execution, types a
// reply and sends it, the execution leaves paused_by_agent (checked through
// the API), and q exits and restores the terminal.
//
// It needs tmux; .ci/run installs it. Without tmux the test is skipped with
// a message (set AGENTOP_E2E=require to make that a failure instead).
package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
)

const apiKey = "e2e-test-key"

func TestOperatorAnswersAWaitingAgent(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("AGENTOP_E2E") == "require" {
			t.Fatal("tmux is required (AGENTOP_E2E=require) but not installed")
		}
		t.Skip("tmux not installed; the end-to-end test needs it (.ci/run installs it)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	bin := build(t, ctx, dir)

	// The simulator, on a free loopback port.
	addr := freeAddr(t)
	startSim(t, ctx, bin, "--addr", addr, "--api-key", apiKey, "--seed", "7")
	baseURL := "http://" + addr
	client, err := asteroid.New(asteroid.Options{BaseURL: baseURL, APIKey: apiKey})
	require.NoError(t, err)
	eventually(t, 15*time.Second, "the simulator to answer", func() bool {
		_, err := client.ListAgents(ctx, api.AgentQuery{})
		return err == nil
	})

	// The dashboard, in tmux, on its own server socket.
	tm := newTmux(t)
	t.Cleanup(tm.kill)
	env := fmt.Sprintf("env -u NO_COLOR ASTEROID_BASE_URL=%s ASTEROID_API_KEY=%s XDG_CONFIG_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color",
		baseURL, apiKey, filepath.Join(dir, "config"), filepath.Join(dir, "state"))
	tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36",
		env+" "+bin+"; echo AGENTOP-EXITED $?; sleep 120")

	// The fleet appears, with someone waiting (the demo scenario seeds one).
	tm.waitFor(20*time.Second, "NEEDS YOU", "Executions", "paused_by_agent")
	waiting, err := client.ListExecutions(ctx, api.ExecutionQuery{Statuses: []api.Status{api.StatusPausedByAgent}})
	require.NoError(t, err)
	require.NotEmpty(t, waiting.Items, "the simulator has an agent waiting")

	// Jump to it and answer.
	screen := tm.jumpToQuestion()
	// The feed's title names the selected execution: "Activity · <agent> <id8> ·".
	m := regexp.MustCompile(`Activity · .* ([0-9a-f]{8}) · `).FindStringSubmatch(screen)
	require.NotNil(t, m, "a selected execution:\n%s", screen)
	target := ""
	for _, e := range waiting.Items {
		if strings.HasPrefix(e.ID, m[1]) {
			target = e.ID
		}
	}
	require.NotEmpty(t, target, "the selected execution %s is one of those waiting:\n%s", m[1], screen)
	tm.keys("i")
	tm.waitFor(5*time.Second, "enter send")
	const answer = "Use the operating account, thanks"
	tm.run("send-keys", "-t", "e2e", "-l", answer)
	tm.waitFor(5*time.Second, answer)
	tm.keys("Enter")

	// The reply reached the platform and the agent carried on.
	eventually(t, 20*time.Second, "the execution to leave paused_by_agent", func() bool {
		e, err := client.GetExecution(ctx, target)
		return err == nil && e.Status != api.StatusPausedByAgent
	})
	acts, err := client.Activities(ctx, target, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
	require.NoError(t, err)
	found := false
	for _, a := range acts {
		if a.Kind == api.KindUserMessage && strings.Contains(a.Message, answer) {
			found = true
		}
	}
	require.True(t, found, "the reply is echoed in the execution's feed")
	tm.waitFor(10*time.Second, "Delivered ✓")

	// q leaves (the reply box gave the keyboard back on delivery), and the
	// terminal is restored: the alternate screen is gone.
	tm.keys("q")
	screen = tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
	require.NotContains(t, screen, "NEEDS YOU", "the dashboard no longer covers the terminal")
}

// build compiles the module's binary into dir.
func build(t *testing.T, ctx context.Context, dir string) string {
	t.Helper()
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	require.NoError(t, err)
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	bin := filepath.Join(dir, "agentop")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func eventually(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", d, what)
}

// tmux drives a tmux server of the test's own.
type tmux struct {
	t      *testing.T
	socket string
}

func (x tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", x.socket}, args...)...).CombinedOutput()
	require.NoError(x.t, err, "tmux %v: %s", args, out)
	return string(out)
}

func (x tmux) keys(k string) { x.t.Helper(); x.run("send-keys", "-t", "e2e", k) }

// screen captures the pane; an error (the server still starting, a busy
// machine) reads as an empty screen, and waitFor tries again.
func (x tmux) screen() string {
	out, err := exec.Command("tmux", "-L", x.socket, "capture-pane", "-p", "-t", "e2e").CombinedOutput()
	if err != nil {
		return "tmux capture-pane: " + string(out)
	}
	return string(out)
}

// jumpToQuestion presses ! until the selected execution waits for an
// answer (an approval waits too, and ! goes through both, oldest first),
// and returns the screen.
func (x tmux) jumpToQuestion() string {
	x.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		x.keys("!")
		for wait := time.Now().Add(2 * time.Second); time.Now().Before(wait); time.Sleep(100 * time.Millisecond) {
			if s := x.screen(); strings.Contains(s, " asks · waiting ") {
				return s
			} else if strings.Contains(s, " asks for approval · waiting ") {
				break
			}
		}
	}
	return x.waitFor(time.Second, " asks · waiting ")
}

// waitFor waits until the screen shows every one of want, and returns it.
func (x tmux) waitFor(d time.Duration, want ...string) string {
	x.t.Helper()
	deadline := time.Now().Add(d)
	var s string
	for time.Now().Before(deadline) {
		s = x.screen()
		all := true
		for _, w := range want {
			all = all && strings.Contains(s, w)
		}
		if all {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.t.Fatalf("screen never showed %q; last screen:\n%s", want, s)
	return ""
}

// startSim runs `agentop sim ARGS…` from bin until the test ends, with its
// output kept (and shown when the test fails).
func startSim(t *testing.T, ctx context.Context, bin string, args ...string) *lockedBuffer {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, append([]string{"sim"}, args...)...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("simulator output:\n%s", out.String())
		}
	})
	return out
}

// newTmux is a tmux of its own for t: a server socket named after the
// process and the test, so concurrent runs never share a session.
func newTmux(t *testing.T) tmux {
	return tmux{t: t, socket: fmt.Sprintf("agentop-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))}
}

func (x tmux) kill() { _ = exec.Command("tmux", "-L", x.socket, "kill-server").Run() }
