package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/config"
)

// completions runs the shell's completion request for args and returns the
// candidates (value and description) it printed.
func completions(t *testing.T, i inv, args ...string) [][2]string {
	t.Helper()
	r := i.run(t, append([]string{"__complete"}, args...)...)
	require.Equal(t, 0, r.code, r)
	assert.NotContains(t, r.out, "agentop:", "an error in the completion")
	assert.NotContains(t, r.err, "agentop:", "no warnings, notices or errors")
	lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
	require.NotEmpty(t, lines)
	require.True(t, strings.HasPrefix(lines[len(lines)-1], ":"), "the directive ends it: %s", r.out)
	var out [][2]string
	for _, l := range lines[:len(lines)-1] {
		v, d, _ := strings.Cut(l, "\t")
		out = append(out, [2]string{v, d})
	}
	return out
}

func values(cs [][2]string) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c[0])
	}
	return out
}

func TestCompletesExecutionIDs(t *testing.T) {
	f := newFleet(t)
	env, log := f.recorded(t)
	i := inv{env: env}
	waiting := f.execution(t, api.StatusPausedByAgent)

	got := completions(t, i, "pause", "")
	require.NotEmpty(t, got)
	assert.Equal(t, waiting.ID, got[0][0], "the execution waiting for a person first")
	assert.Equal(t, waiting.AgentName+" · paused_by_agent", got[0][1])
	active := 0
	for _, c := range got {
		if strings.HasSuffix(c[1], "running") || strings.HasSuffix(c[1], "paused_by_agent") {
			active++
		}
	}
	assert.Equal(t, 4, active, "the idle fleet's active executions")
	for j, c := range got[:active] {
		assert.False(t, strings.HasSuffix(c[1], "completed") || strings.HasSuffix(c[1], "failed"), "active ones first: %d %v", j, c)
	}
	assert.LessOrEqual(t, len(got), completionLimit)

	// What was typed is a filter on the server; ids already given are left out.
	got = completions(t, i, "cancel", waiting.ID[:6])
	assert.Equal(t, []string{waiting.ID}, values(got))
	assert.Empty(t, completions(t, i, "cancel", waiting.ID, waiting.ID[:6]))
	assert.Empty(t, completions(t, i, "executions", "get", waiting.ID, ""), "get takes one")
	assert.Equal(t, []string{waiting.ID}, values(completions(t, i, "wait", waiting.ID[:6])))
	for _, req := range log.all() {
		if strings.Contains(req, "/executions?") {
			assert.Contains(t, req, "pageSize=50", "one page, never the whole fleet: %s", req)
		}
	}
}

func TestCompletesNamesProfilesPoolsAndContexts(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	assert.Equal(t, []string{"Permit Status Tracker"}, values(completions(t, i, "execute", "Perm")))
	assert.Contains(t, values(completions(t, i, "executions", "list", "--agent", "")), "Freight Rate Shopper")
	assert.Contains(t, values(completions(t, i, "cancel", "--agent", "Ban")), "Bank Statement Exporter")
	assert.Equal(t, []string{"ops-general"}, values(completions(t, i, "execute", "x", "--profile", "ops")))
	assert.Contains(t, values(completions(t, i, "profiles", "delete", "")), "ap-team-eu")
	assert.Equal(t, []string{"eu-finance"}, values(completions(t, i, "execute", "x", "--pool", "eu")))
	assert.Equal(t, []string{"us-ops"}, values(completions(t, i, "pools", "get", "us")))

	// Contexts come from the config file.
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("contexts:\n  prod:\n    base-url: https://a.example\n  lab:\n    base-url: https://b.example\n"), 0o600))
	env := f.env(t)
	env[config.EnvConfig] = path
	assert.ElementsMatch(t, []string{"prod", "lab"}, values(completions(t, inv{env: env}, "--context", "")))
}

func TestCompletionIsQuietAndQuick(t *testing.T) {
	// No key: nothing, and no error in the completion.
	assert.Empty(t, completions(t, inv{}, "pause", ""))

	// The platform fails: nothing.
	failing := stub(t, map[string]http.HandlerFunc{"GET *": func(w http.ResponseWriter, _ *http.Request) {
		jsonReply(w, http.StatusInternalServerError, map[string]any{"code": 500, "message": "database on fire"})
	}})
	env := map[string]string{"HOME": t.TempDir(), envBaseURL: failing, envAPIKey: testKey}
	assert.Empty(t, completions(t, inv{env: env}, "pause", ""))

	// The platform hangs: nothing once the completion's time is up.
	defer func(d time.Duration) { completionTimeout = d }(completionTimeout)
	completionTimeout = 50 * time.Millisecond
	hanging := stub(t, map[string]http.HandlerFunc{"GET *": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }})
	env[envBaseURL] = hanging
	assert.Empty(t, completions(t, inv{env: env}, "execute", ""))
}
