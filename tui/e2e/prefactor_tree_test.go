package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/prefactor"
)

// pfWrite posts a write as @prefactor/core does and returns details.id.
func pfWrite(t *testing.T, base, path, body string) string {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/api/v1"+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, path)
	var out struct {
		Details struct {
			ID string `json:"id"`
		} `json:"details"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out.Details.ID
}

// lineWith is the index of the first screen line containing s, or -1.
func lineWith(screen, s string) int {
	for i, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

// TestPrefactorSpanTree: an instrumented agent (this test, writing as
// @prefactor/core does) fills the simulator; the dashboard shows its
// instance's spans as a tree, folds and unfolds it with z, turns a span
// complete in place when it finishes, and terminates the instance with a
// reason typed into the cancel form.
func TestPrefactorSpanTree(t *testing.T) {
	needTmux(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	dir := t.TempDir()
	bin := build(t, ctx, dir)
	addr := freeAddr(t)
	startSim(t, ctx, bin, "--platform", "prefactor", "--addr", addr, "--api-key", apiKey, "--scenario", "idle")
	base := "http://" + addr
	c, err := prefactor.New(prefactor.Options{BaseURL: base, Token: apiKey, Timeout: 10 * time.Second})
	require.NoError(t, err)
	eventually(t, 15*time.Second, "the simulator to answer", func() bool {
		_, err := c.UserContext(ctx)
		return err == nil
	})

	// The agent registers, starts and opens its spans.
	inst := pfWrite(t, base, "/agent_instance/register",
		`{"agent_id":"agent_e2e","agent_version":{"name":"Treewalker","external_identifier":"v1","description":""},"agent_schema_version":{"external_identifier":"s1"}}`)
	pfWrite(t, base, "/agent_instance/"+inst+"/start", `{}`)
	now := time.Now().UTC()
	stamp := func(d time.Duration) string { return now.Add(d).Format("2006-01-02T15:04:05.000Z") }
	root := pfWrite(t, base, "/agent_spans", `{"details":{"agent_instance_id":"`+inst+`","schema_name":"agent","status":"active","payload":{"name":"triage","inputs":{"ticket":42}},"parent_span_id":null,"started_at":"`+stamp(0)+`","finished_at":null}}`)
	pfWrite(t, base, "/agent_spans", `{"details":{"agent_instance_id":"`+inst+`","schema_name":"llm","status":"complete","payload":{"name":"plan","inputs":{"prompt":"plan"},"outputs":{"text":"look it up"}},"parent_span_id":"`+root+`","started_at":"`+stamp(time.Second)+`","finished_at":"`+stamp(2*time.Second)+`"}}`)
	tool := pfWrite(t, base, "/agent_spans", `{"details":{"agent_instance_id":"`+inst+`","schema_name":"tool","status":"active","payload":{"name":"lookup_customer","inputs":{"id":42}},"parent_span_id":"`+root+`","started_at":"`+stamp(3*time.Second)+`","finished_at":null}}`)

	env := []string{"env -u NO_COLOR", "AGENTOP_PLATFORM=prefactor", "PREFACTOR_BASE_URL=" + base, "PREFACTOR_API_TOKEN=" + apiKey,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"), "TERM=xterm-256color"}
	tm := newTmux(t)
	t.Cleanup(tm.kill)
	tm.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "160", "-y", "44",
		strings.Join(env, " ")+" "+bin+"; echo AGENTOP-EXITED $?; sleep 120")

	// Its instance shows; narrow the table to it and open its feed.
	tm.waitFor(30*time.Second, "Executions", "Treewalker")
	tm.keys("/")
	tm.run("send-keys", "-t", "e2e", "-l", "Treewalker")
	tm.keys("Enter")
	screen := tm.waitFor(20*time.Second, "▾ ● agent triage", "✓ llm plan", "● tool lookup_customer")
	require.Greater(t, lineWith(screen, "✓ llm plan"), lineWith(screen, "▾ ● agent triage"), "children under their parent:\n%s", screen)
	tm.keys("Enter") // the feed takes the keyboard
	tm.keys("g")     // its first row: the agent span

	// z folds the agent span's subtree, and z again unfolds it.
	tm.keys("z")
	screen = tm.waitFor(10*time.Second, "▸ ● agent triage")
	require.Equal(t, -1, lineWith(screen, "● tool lookup_customer"), "folded away:\n%s", screen)
	tm.keys("z")
	screen = tm.waitFor(10*time.Second, "▾ ● agent triage", "● tool lookup_customer")
	at := lineWith(screen, "● tool lookup_customer")

	// The tool span finishes: the same row turns complete, in place.
	pfWrite(t, base, "/agent_spans/"+tool+"/finish", `{"status":"complete","result_payload":{"found":true},"timestamp":"`+stamp(4500*time.Millisecond)+`"}`)
	screen = tm.waitFor(30*time.Second, "✓ tool lookup_customer")
	require.Equal(t, at, lineWith(screen, "✓ tool lookup_customer"), "updated in place, not appended:\n%s", screen)
	require.Equal(t, -1, lineWith(screen, "● tool lookup_customer"), "no second row:\n%s", screen)
	require.Contains(t, strings.Split(screen, "\n")[at], "1.5s", "with its duration")

	// Terminate from the dashboard: x asks for the reason.
	tm.keys("x") // the execution's actions work from its feed too
	tm.waitFor(10*time.Second, "Cancel execution?", "Reason")
	tm.run("send-keys", "-t", "e2e", "-l", "stuck in a loop")
	tm.keys("Tab")
	tm.keys("Enter")
	tm.waitFor(15*time.Second, "Cancelled")
	e, err := c.GetExecution(ctx, inst)
	require.NoError(t, err)
	require.Equal(t, "terminated", e.StatusWord())
	require.Equal(t, "stuck in a loop", e.StatusReason)
	require.Equal(t, api.StatusCancelled, e.Status)

	tm.keys("q")
	tm.waitFor(10*time.Second, "AGENTOP-EXITED 0")
}
