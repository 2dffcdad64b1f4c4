package cli

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/tui/config"
)

// stubEnv points agentop at url with the test key.
func stubEnv(t *testing.T, url string) map[string]string {
	return map[string]string{"HOME": t.TempDir(), envBaseURL: url, envAPIKey: testKey}
}

// closedURL is an address nothing listens on.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	return url
}

func TestExitCodes(t *testing.T) {
	f := newFleet(t)
	failing := stub(t, map[string]http.HandlerFunc{
		"GET /agents": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusInternalServerError, map[string]any{"code": 500, "message": "database on fire"})
		},
		"GET /executions/forbidden": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusForbidden, map[string]any{"code": 403, "message": "not your organization"})
		},
	})
	wrongKey := f.env(t)
	wrongKey[envAPIKey] = "sk-wrong"

	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		err  string
	}{
		{"ok", f.env(t), []string{"agents", "list"}, exitOK, ""},
		{"server error", stubEnv(t, failing), []string{"agents", "list"}, exitError,
			"agentop: list agents: server error (HTTP 500): database on fire\n"},
		{"network error", stubEnv(t, closedURL(t)), []string{"agents", "list"}, exitError, "agentop: list agents: network error"},
		{"usage", f.env(t), []string{"agents", "list", "--limit", "0"}, exitUsage, "agentop: --limit must be at least 1"},
		{"not found", f.env(t), []string{"executions", "get", "00000000-0000-4000-8000-000000000000"}, exitNotFound,
			"agentop: get execution 00000000-0000-4000-8000-000000000000: not found (HTTP 404)"},
		{"no key", map[string]string{"HOME": t.TempDir()}, []string{"executions", "list"}, exitAuth,
			"agentop: no API key: set ASTEROID_API_KEY (or a context with api-key-env / api-key-command in "},
		{"wrong key", wrongKey, []string{"executions", "list"}, exitAuth, "agentop: list executions: unauthorized (HTTP 401)"},
		{"forbidden", stubEnv(t, failing), []string{"executions", "get", "forbidden"}, exitAuth,
			"agentop: get execution forbidden: forbidden (HTTP 403): not your organization\n"},
		{"insecure", stubEnv(t, "http://agents.example.com"), []string{"agents", "list"}, exitUsage,
			"agentop: connect to http://agents.example.com: connect: insecure connection refused: refusing to send the API key over plain http to agents.example.com"},
		{"bad base URL", stubEnv(t, "ftp://x"), []string{"agents", "list"}, exitUsage, "agentop: connect to ftp://x: invalid request: the base URL must be an http(s) origin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := inv{env: tc.env}.run(t, tc.args...)
			assert.Equal(t, tc.code, r.code, r)
			if tc.err == "" {
				assert.Empty(t, r.err)
				return
			}
			assert.True(t, strings.HasPrefix(r.err, tc.err), r.err)
			assert.Equal(t, 1, strings.Count(r.err, "\n"), "one line: %s", r.err)
		})
	}

	// The no-key message says how to fix it.
	r := inv{}.run(t, "executions", "list")
	assert.Contains(t, r.err, "or add --demo to use the built-in simulator")
	r = inv{env: stubEnv(t, "http://agents.example.com")}.run(t, "agents", "list")
	assert.Contains(t, r.err, "pass --insecure if you mean it")
}

func TestKeyCommandFailureIsAnAuthError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("current-context: a\ncontexts:\n  a:\n    api-key-command: echo "+testKey+"; exit 1\n"), 0o600))
	r := inv{env: map[string]string{"HOME": t.TempDir(), config.EnvConfig: path}}.run(t, "agents", "list")
	assert.Equal(t, exitAuth, r.code, r)
	assert.Equal(t, "agentop: API key: api-key-command \"echo "+testKey+"; exit 1\" failed: exit status 1\n",
		strings.ReplaceAll(r.err, "[redacted]", testKey), "names the command, not its output")
}

// TestKeyNeverPrinted runs failures whose server text echoes the key, with a
// debug log, and checks the key appears nowhere.
func TestKeyNeverPrinted(t *testing.T) {
	echo := stub(t, map[string]http.HandlerFunc{
		"GET *": func(w http.ResponseWriter, r *http.Request) {
			key := r.Header.Get(wire.APIKeyHeader)
			switch {
			case strings.HasSuffix(r.URL.Path, "/agents"):
				jsonReply(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "invalid key " + key})
			case strings.HasSuffix(r.URL.Path, "/activities"):
				w.Header().Set("Location", "https://elsewhere.example.com/steal?k="+key)
				w.WriteHeader(http.StatusFound)
			default:
				jsonReply(w, http.StatusInternalServerError, map[string]any{"code": 500, "message": "boom " + key + " " + key[:10]})
			}
		},
	})
	logFile := filepath.Join(t.TempDir(), "debug.log")
	env := stubEnv(t, echo)
	for _, args := range [][]string{
		{"agents", "list"},
		{"executions", "list"},
		{"executions", "get", "x"},
		{"activities", "x"},
		{"wait", "x", "--for", "result", "--timeout", "1ms"},
		{"config", "view"},
		{"config", "view", "-o", "json"},
		{"reply", "x", testKey},
	} {
		r := inv{env: env}.run(t, append([]string{"--debug=" + logFile}, args...)...)
		assert.NotZero(t, r.code+len(r.out), "%v", args)
		assert.NotContains(t, r.out, testKey, "%v stdout", args)
		assert.NotContains(t, r.err, testKey, "%v stderr", args)
	}
	log, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(log), `"path":"/agents/v2/agents"`, "the debug log records requests")
	assert.NotContains(t, string(log), testKey)

	// A key the client refuses is not quoted either.
	bad := stubEnv(t, echo)
	bad[envAPIKey] = "sk-\x1bbad-" + testKey
	r := inv{env: bad}.run(t, "agents", "list")
	assert.Equal(t, exitUsage, r.code, r)
	assert.NotContains(t, r.err, testKey)
}

func TestPlatformTextIsSanitised(t *testing.T) {
	evil := "evil\x1b]52;c;ZXZpbA==\x07name\x1b[2J\u202e"
	url := stub(t, map[string]http.HandlerFunc{
		"GET /agents": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusOK, wire.Page[wire.Agent]{
				Items: []wire.Agent{{ID: "a1", Name: wire.String(evil), Description: "line one\nline\rtwo \x1b[31mred"}},
				Page:  1, PageSize: 50, Total: 1,
			})
		},
		"GET /executions/x": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusOK, wire.Execution{ID: "x\x1b[1m", AgentName: wire.String(evil), Status: "running\x07",
				ExecutionResult: &wire.ExecutionResult{Outcome: "ok", Reasoning: wire.String("multi\nline\x1b]8;;http://x\x07 reasoning")}})
		},
		"GET /executions/bad": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusInternalServerError, map[string]any{"code": 500, "message": "oops\x1b]0;pwned\x07"})
		},
	})
	env := stubEnv(t, url)
	for _, args := range [][]string{{"agents", "list"}, {"executions", "get", "x"}, {"executions", "get", "bad"}} {
		r := inv{env: env}.run(t, args...)
		for _, s := range []string{r.out, r.err} {
			assert.NotContains(t, s, "\x1b", "%v", args)
			assert.NotContains(t, s, "\x07", "%v", args)
			assert.NotContains(t, s, "\u202e", "%v", args)
		}
	}
	r := inv{env: env}.run(t, "agents", "list")
	assert.Contains(t, r.out, "evil")
	assert.Contains(t, r.out, "line one line two red", "one line per row")
	r = inv{env: env}.run(t, "executions", "get", "x")
	assert.Regexp(t, `(?m)^Reasoning:\s+multi$`, r.out, "details keep line breaks, without escapes")

	// JSON carries the text verbatim and escaped, which is inert.
	r = inv{env: env}.run(t, "agents", "list", "-o", "json")
	assert.NotContains(t, r.out, "\x1b")
	assert.Contains(t, r.out, `evil\u001b]52;c;ZXZpbA==\u0007name`)
}

func TestTablesFitTheWidth(t *testing.T) {
	f := newFleet(t)
	done := f.execution(t, api.StatusCompleted)
	profiles, err := f.e.Profiles("")
	require.NoError(t, err)
	for _, width := range []int{40, 60, 80} {
		env := f.env(t)
		env["COLUMNS"] = strconv.Itoa(width)
		for _, args := range [][]string{
			{"agents", "list"}, {"executions", "list"}, {"executions", "get", done.ID}, {"activities", done.ID},
			{"files", done.ID}, {"profiles", "list"}, {"profiles", "get", profiles[0].ID}, {"pools", "list"}, {"config", "view"},
		} {
			r := inv{env: env}.run(t, args...)
			require.Equal(t, 0, r.code, "%v: %s", args, r)
			for _, line := range strings.Split(strings.TrimRight(r.out, "\n"), "\n") {
				assert.LessOrEqual(t, ansi.StringWidth(line), width, "%v at %d: %q", args, width, line)
			}
		}
	}
	// The terminal's width wins over COLUMNS; without either, 120.
	env := f.env(t)
	env["COLUMNS"] = "200"
	r := inv{env: env, term: &fakeTerm{stdout: true, width: 50}}.run(t, "executions", "list")
	for _, line := range strings.Split(strings.TrimRight(r.out, "\n"), "\n") {
		assert.LessOrEqual(t, ansi.StringWidth(line), 50)
	}
	r = inv{env: f.env(t)}.run(t, "agents", "list")
	assert.Contains(t, r.out, "Signs in to the Northwind", "descriptions have room at 120")
}

func TestColourOnlyOnATerminal(t *testing.T) {
	f := newFleet(t)
	tty := &fakeTerm{stdout: true, width: 160}
	r := inv{env: f.env(t), term: tty}.run(t, "executions", "list", "--status", "paused_by_agent")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.out, "\x1b[", "styled on a terminal")

	env := f.env(t)
	env["NO_COLOR"] = "1"
	r = inv{env: env, term: tty}.run(t, "executions", "list", "--status", "paused_by_agent")
	assert.NotContains(t, r.out, "\x1b[", "NO_COLOR")

	r = inv{env: f.env(t)}.run(t, "executions", "list", "--status", "paused_by_agent")
	assert.NotContains(t, r.out, "\x1b[", "not a terminal")

	r = inv{env: f.env(t), term: tty}.run(t, "--theme", "none", "executions", "list")
	assert.NotContains(t, r.out, "\x1b[3", "the none theme has no colours")
}
