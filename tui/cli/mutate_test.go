package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
)

// agentNamed returns the simulated agent with the given name.
func (f *fleet) agentNamed(t *testing.T, name string) sim.Agent {
	t.Helper()
	page, err := f.e.Agents(api.AgentQuery{PageSize: 100})
	require.NoError(t, err)
	for _, a := range page.Items {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no agent %q", name)
	return sim.Agent{}
}

func TestExecute(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}
	agent := f.agentNamed(t, "Permit Status Tracker")

	dir := t.TempDir()
	inputs := filepath.Join(dir, "vars.json")
	require.NoError(t, os.WriteFile(inputs, []byte(`{"city": "Oakland", "count": 3, "month": "file"}`), 0o600))
	upload := filepath.Join(dir, "permit.pdf")
	require.NoError(t, os.WriteFile(upload, []byte("%PDF-1.4 test"), 0o600))

	var out ExecuteOutput
	decode(t, i.run(t, "execute", "permit status tracker", "--inputs-file", inputs, "--input", "month=2026-02",
		"--meta", "ticket=OPS-42", "--file", upload, "-o", "json"), &out)
	assert.Equal(t, agent.ID, out.AgentID)
	x, err := f.e.Execution(out.ExecutionID)
	require.NoError(t, err)
	assert.Equal(t, agent.ID, x.AgentID)
	assert.Equal(t, "Oakland", x.Inputs["city"])
	assert.EqualValues(t, 3, x.Inputs["count"], "typed values come from the file")
	assert.Equal(t, "2026-02", x.Inputs["month"], "--input wins over the file")
	assert.Equal(t, "OPS-42", x.Metadata["ticket"])
	require.Len(t, x.ContextFiles(), 1)
	assert.Equal(t, "permit.pdf", x.ContextFiles()[0].Name)

	// Plain output is the id alone, for $(…).
	r := inv{env: f.env(t), stdin: `{"from": "stdin"}`}.run(t, "execute", agent.ID, "--inputs-file", "-")
	require.Equal(t, 0, r.code, r)
	id := strings.TrimSpace(r.out)
	x, err = f.e.Execution(id)
	require.NoError(t, err)
	assert.Equal(t, "stdin", x.Inputs["from"])

	for _, bad := range [][]string{
		{"execute", agent.ID, "--profile", "p", "--pool", "q"},
		{"execute", agent.ID, "--input", "novalue"},
		{"execute", agent.ID, "--meta", "=x"},
		{"execute", agent.ID, "--input", "a=1", "--input", "a=2"},
		{"execute", agent.ID, "--file", dir},
		{"execute", agent.ID, "--inputs-file", upload},
		{"execute", agent.ID, "--version", "-2"},
		{"execute"},
	} {
		r := i.run(t, bad...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", bad, r)
	}
	r = i.run(t, "execute", "No Such Agent")
	assert.Equal(t, exitNotFound, r.code, r)
	r = i.run(t, "execute", agent.ID, "--profile", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "execute agent "+agent.ID+": invalid request (HTTP 400)")
}

func TestReply(t *testing.T) {
	f := newFleet(t)
	waiting := f.execution(t, api.StatusPausedByAgent)
	i := inv{env: f.env(t)}

	var out ActionOutput
	decode(t, i.run(t, "reply", waiting.ID, "Use the payroll account", "-o", "json"), &out)
	assert.Equal(t, ActionOutput{Action: "reply", Target: "execution", ID: waiting.ID}, out)
	acts, err := f.e.Activities(waiting.ID, api.ActivityQuery{Order: api.SortDesc, Limit: 5})
	require.NoError(t, err)
	assert.True(t, hasMessage(acts, "Use the payroll account"))

	// From stdin: "-", or no MESSAGE with stdin not a terminal.
	r := inv{env: f.env(t), stdin: "line one\nline two\n"}.run(t, "reply", waiting.ID, "-")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "Sent the reply to execution "+waiting.ID+".\n", r.out)
	r = inv{env: f.env(t), stdin: "piped answer\n"}.run(t, "reply", waiting.ID)
	require.Equal(t, 0, r.code, r)
	acts, err = f.e.Activities(waiting.ID, api.ActivityQuery{Order: api.SortDesc, Limit: 10})
	require.NoError(t, err)
	assert.True(t, hasMessage(acts, "line one\nline two"))
	assert.True(t, hasMessage(acts, "piped answer"))

	r = inv{env: f.env(t), stdin: "  \n"}.run(t, "reply", waiting.ID)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "the message is empty")
	r = i.run(t, "reply", waiting.ID, "   ")
	assert.Equal(t, exitUsage, r.code, r)
	r = inv{env: f.env(t), term: &fakeTerm{stdin: true}}.run(t, "reply", waiting.ID)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "missing MESSAGE")

	done := f.execution(t, api.StatusCompleted)
	r = i.run(t, "reply", done.ID, "too late")
	assert.Equal(t, exitError, r.code, r)
}

func hasMessage(acts []sim.Activity, msg string) bool {
	for _, a := range acts {
		if a.Kind == api.KindUserMessage && a.Message == msg {
			return true
		}
	}
	return false
}

func TestPauseResumeCancel(t *testing.T) {
	f := newFleet(t)
	running := f.execution(t, api.StatusRunning)
	i := inv{env: f.env(t)}
	status := func() api.Status {
		x, err := f.e.Execution(running.ID)
		require.NoError(t, err)
		return x.Status
	}

	r := i.run(t, "pause", running.ID)
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "Paused execution "+running.ID+".\n", r.out)
	assert.Equal(t, api.StatusPaused, status())

	var out ActionOutput
	decode(t, i.run(t, "resume", running.ID, "-o", "json"), &out)
	assert.Equal(t, ActionOutput{Action: "resume", Target: "execution", ID: running.ID}, out)
	assert.Equal(t, api.StatusRunning, status())

	// Pausing twice is refused by the server: an API error.
	require.Equal(t, 0, i.run(t, "pause", running.ID).code)
	r = i.run(t, "pause", running.ID)
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "agentop: pause execution "+running.ID+": invalid request (HTTP 400)")

	// Cancel without a terminal needs --yes.
	r = i.run(t, "cancel", running.ID)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "needs confirmation: pass --yes")
	assert.Equal(t, api.StatusPaused, status())

	// On a terminal, the question names the execution; the default is no.
	tty := &fakeTerm{stdin: true}
	r = inv{env: f.env(t), term: tty, stdin: "\n"}.run(t, "cancel", running.ID)
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, "Cancel execution "+running.ID+" ("+running.AgentName+", paused)? [y/N] ")
	assert.Contains(t, r.err, "not confirmed; nothing was changed")
	assert.Equal(t, api.StatusPaused, status())

	r = inv{env: f.env(t), term: tty, stdin: "y\n"}.run(t, "cancel", running.ID)
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "Cancelled execution "+running.ID+".\n", r.out)
	assert.Equal(t, api.StatusCancelled, status())

	other := f.execution(t, api.StatusRunning)
	r = i.run(t, "cancel", other.ID, "--yes", "-o", "json")
	decode(t, r, &out)
	assert.Equal(t, "cancel", out.Action)

	r = i.run(t, "resume", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, exitNotFound, r.code, r)
}

func TestReadOnlyRefusesMutations(t *testing.T) {
	f := newFleet(t)
	running := f.execution(t, api.StatusRunning)
	env := f.env(t)
	for _, args := range [][]string{
		{"--read-only", "pause", running.ID},
		{"--read-only", "resume", running.ID},
		{"--read-only", "cancel", running.ID, "--yes"},
		{"--read-only", "reply", running.ID, "hi"},
		{"--read-only", "execute", running.AgentID},
		{"--read-only", "profiles", "create", "--name", "x"},
		{"--read-only", "profiles", "update", "x", "--name", "y"},
		{"--read-only", "profiles", "delete", "x", "--yes"},
	} {
		r := inv{env: env}.run(t, args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r)
		assert.Contains(t, r.err, "refused in read-only mode (set by --read-only)")
	}
	x, err := f.e.Execution(running.ID)
	require.NoError(t, err)
	assert.Equal(t, api.StatusRunning, x.Status)

	// Reads still work.
	assert.Equal(t, 0, inv{env: env}.run(t, "--read-only", "executions", "get", running.ID).code)

	// read-only from the config file.
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte("read-only: true\n"), 0o600))
	r := inv{env: env}.run(t, "--config", cfgPath, "pause", running.ID)
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "pause: refused in read-only mode (set by read-only)")
	r = inv{env: env}.run(t, "--config", cfgPath, "--read-only=false", "pause", running.ID)
	assert.Equal(t, 0, r.code, r)
}
