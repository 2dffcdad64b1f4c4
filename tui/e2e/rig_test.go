package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
)

// needTmux skips the test without tmux, or fails it when AGENTOP_E2E=require.
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("AGENTOP_E2E") == "require" {
			t.Fatal("tmux is required (AGENTOP_E2E=require) but not installed")
		}
		t.Skip("tmux not installed; the end-to-end tests need it (.ci/run installs it)")
	}
}

// soakFor reads AGENTOP_SOAK (a duration) for the tests that can run
// longer than CI's bounded run; def when unset.
func soakFor(t *testing.T, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv("AGENTOP_SOAK")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	require.NoError(t, err, "AGENTOP_SOAK")
	return d
}

// rig is one test's binary, simulator and tmux server.
type rig struct {
	t       *testing.T
	ctx     context.Context
	dir     string
	bin     string
	baseURL string
	client  *asteroid.Client
	tm      tmux
	// platform, when set, runs the binary with --platform and the
	// platform's own variables (vars) instead of ASTEROID_*.
	platform string
	vars     []string
}

func newRig(t *testing.T, d time.Duration) *rig {
	t.Helper()
	needTmux(t)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	dir := t.TempDir()
	r := &rig{t: t, ctx: ctx, dir: dir, bin: build(t, ctx, dir)}
	r.tm = newTmux(t)
	t.Cleanup(r.tm.kill)
	return r
}

// sim starts `agentop sim` on a free port with args, and waits for it.
func (r *rig) sim(args ...string) {
	r.t.Helper()
	addr := freeAddr(r.t)
	cmd := exec.CommandContext(r.ctx, r.bin, append([]string{"sim", "--addr", addr, "--api-key", apiKey}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(r.t, cmd.Start())
	r.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if r.t.Failed() {
			r.t.Logf("simulator output:\n%s", out.String())
		}
	})
	r.serve("http://" + addr)
}

// serve points the rig at a server already listening at baseURL.
func (r *rig) serve(baseURL string) {
	r.t.Helper()
	r.baseURL = baseURL
	c, err := asteroid.New(asteroid.Options{BaseURL: baseURL, APIKey: apiKey, Timeout: 10 * time.Second})
	require.NoError(r.t, err)
	r.client = c
	eventually(r.t, 15*time.Second, "the server to answer", func() bool {
		_, err := c.ListAgents(r.ctx, api.AgentQuery{})
		return err == nil
	})
}

// env is the environment the binary runs with: the rig's server and key,
// private config and state directories, a colour terminal.
func (r *rig) env(extra ...string) string {
	return strings.Join(append(append([]string{"env -u NO_COLOR -u AGENTOP_PLATFORM", "TERM=xterm-256color"}, r.vars0()...), extra...), " ")
}

// vars0 is the rig's variables: the platform's address and key, private
// config and state directories.
func (r *rig) vars0() []string {
	v := r.vars
	if v == nil {
		v = []string{"ASTEROID_BASE_URL=" + r.baseURL, "ASTEROID_API_KEY=" + apiKey}
	}
	return append(append([]string{}, v...),
		"XDG_CONFIG_HOME="+filepath.Join(r.dir, "config"), "XDG_STATE_HOME="+filepath.Join(r.dir, "state"))
}

// command is the binary with the rig's platform flag and args.
func (r *rig) command(args ...string) string {
	cmd := r.bin
	if r.platform != "" {
		cmd += " --platform " + r.platform
	}
	return strings.Join(append([]string{cmd}, args...), " ")
}

// dashboard starts the dashboard in a new tmux session "e2e" of w×h; when it
// exits the pane shows AGENTOP-EXITED and its status.
func (r *rig) dashboard(w, h int, extraEnv ...string) {
	r.t.Helper()
	r.tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		r.env(extraEnv...)+" "+r.command()+"; echo AGENTOP-EXITED $?; sleep 600")
}

// restart runs the dashboard again in the same pane (its state directory
// kept), after the last one ended.
func (r *rig) restart(extraEnv ...string) {
	r.t.Helper()
	r.tm.run("respawn-pane", "-k", "-t", "e2e", r.env(extraEnv...)+" "+r.command()+"; echo AGENTOP-EXITED $?; sleep 600")
}

// joined is the screen with wrapped lines joined.
func (r *rig) joined() string {
	r.t.Helper()
	return r.tm.run("capture-pane", "-p", "-J", "-t", "e2e")
}

// pid is the dashboard's process id: the child of the pane's shell.
func (r *rig) pid() int {
	r.t.Helper()
	shell := strings.TrimSpace(r.tm.run("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	var pid int
	eventually(r.t, 10*time.Second, "the dashboard's process", func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%s/task/%s/children", shell, shell))
		if err != nil {
			return false
		}
		for _, f := range strings.Fields(string(b)) {
			if comm, _ := os.ReadFile("/proc/" + f + "/comm"); strings.TrimSpace(string(comm)) == "agentop" {
				pid, _ = strconv.Atoi(f)
				return true
			}
		}
		return false
	})
	return pid
}

// rssKiB is a process's resident memory.
func rssKiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}

// alive reports whether pid still runs (and is not a zombie).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err == nil && !strings.Contains(string(b), ") Z ")
}
