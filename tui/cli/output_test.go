package cli

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/asteroid/wire"
)

// TestJSONOutputEscapesTerminalControls: encoding/json leaves C1 controls
// and bidi overrides raw; -o json must not hand them to the terminal.
func TestJSONOutputEscapesTerminalControls(t *testing.T) {
	name := "a\u009b2Jb\u202ec\u200fd\u2066e\u061cf\ufeffg\u007fh\u0085i"
	url := stub(t, map[string]http.HandlerFunc{
		"GET /agents": func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, http.StatusOK, wire.Page[wire.Agent]{Items: []wire.Agent{{ID: "a1", Name: wire.String(name)}}, Page: 1, PageSize: 50, Total: 1})
		},
	})
	r := inv{env: stubEnv(t, url)}.run(t, "agents", "list", "-o", "json")
	require.Equal(t, 0, r.code, r)
	for _, c := range "\u009b\u202e\u200f\u2066\u061c\ufeff\u007f\u0085" {
		assert.NotContains(t, r.out, string(c))
	}
	assert.Contains(t, r.out, `"a\u009b2Jb\u202ec\u200fd\u2066e\u061cf\ufeffg\u007fh\u0085i"`)
	var agents []AgentOutput
	require.NoError(t, json.Unmarshal([]byte(r.out), &agents))
	require.Len(t, agents, 1)
	assert.Equal(t, name, agents[0].Name, "the escapes stand for the same text")

	assert.Equal(t, []byte(`{"a":"plain ✓"}`), escapeForTerminal([]byte(`{"a":"plain ✓"}`)))
	// Raw JSON kept from the platform may hold bytes that are not UTF-8; a
	// lone 0x9b is CSI to an 8-bit terminal (found by TestHostilePlatform).
	assert.Equal(t, []byte(`{"a":"x\ufffdy\ufffd"}`), escapeForTerminal([]byte("{\"a\":\"x\x9by\xff\"}")))
}

// TestShortSecretsAreNotRedacted: blanking short credential values garbles
// messages; the API key is blanked whatever its length.
func TestShortSecretsAreNotRedacted(t *testing.T) {
	var s secrets
	s.add("sk-1")                  // the API key: always, however short
	s.addValue("1234")             // too short to be worth blanking
	s.addValue("correct-horse")    // blanked
	s.addValue("correct-horse-xl") // holds the one above: blanked whole
	s.addValue("")
	assert.Equal(t, []string{"correct-horse-xl", "correct-horse", "sk-1"}, s.all())
	assert.Equal(t, "agentop: PIN 1234 for [redacted] and [redacted] with [redacted]",
		errorLine(assertErr("PIN 1234 for correct-horse and correct-horse-xl with sk-1"), s.all()...))
}

type assertErr string

func (e assertErr) Error() string { return string(e) }

// TestInputLimits: files and stdin are read through a bound, and stdin once.
func TestInputLimits(t *testing.T) {
	f := newFleet(t)
	env := f.env(t)

	r := inv{env: env, stdin: strings.Repeat("x", maxSecret+1)}.run(t, "profiles", "create", "--name", "x", "--credential", "pw=-")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "stdin is larger than 64.0 KB")

	// file:- is stdin too: it cannot be read twice.
	r = inv{env: env, stdin: "secret-one\n"}.run(t, "profiles", "create", "--name", "x", "--credential", "a=-", "--credential", "b=file:-")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "--credential b: only one value can be read from stdin")

	r = inv{env: env}.run(t, "execute", "x", "--file", t.TempDir())
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "is a directory")

	if runtime.GOOS != "windows" {
		// /dev/zero has no size to check first: reading stops at the limit.
		done := make(chan error, 1)
		go func() { _, err := readFile("/dev/zero", 1<<10); done <- err }()
		select {
		case err := <-done:
			assert.EqualError(t, err, "/dev/zero is larger than 1.0 KB")
		case <-time.After(10 * time.Second):
			t.Fatal("reading /dev/zero did not stop")
		}
	}
}

// TestUnknownStatusIsAskedForWithAWarning: platforms add statuses; only a
// value that cannot be a status is refused.
func TestUnknownStatusIsAskedForWithAWarning(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	url := stub(t, map[string]http.HandlerFunc{
		"GET /executions": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			asked = r.URL.Query()["status"]
			mu.Unlock()
			jsonReply(w, http.StatusOK, wire.Page[wire.Execution]{Items: []wire.Execution{}, Page: 1, PageSize: 50})
		},
	})
	r := inv{env: stubEnv(t, url)}.run(t, "executions", "list", "--status", "Queued,running", "--status", "queued", "-o", "json")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, `agentop: warning: "queued" is not a status agentop knows (paused_by_agent, awaiting_confirmation, running, starting, paused, completed, failed, cancelled); asking the platform for it anyway`+"\n", r.err)
	mu.Lock()
	assert.Equal(t, []string{"queued", "running"}, asked)
	mu.Unlock()

	r = inv{env: stubEnv(t, url)}.run(t, "executions", "list", "--status", "paused-by-agent")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, `"paused-by-agent" is not a status (want lower_snake_case`)
}
