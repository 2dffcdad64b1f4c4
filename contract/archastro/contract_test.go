// Package archastro_contract runs the official ArchAstro TypeScript SDK
// (@archastro/sdk 0.19.0 from npm, pinned in package-lock.json) unmodified
// against agentop's ArchAstro simulator. It needs node and `npm ci` in
// this directory; without them it skips, unless AGENTOP_CONTRACT=require.
package archastro_contract

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
)

func TestOfficialSDK(t *testing.T) {
	node, err := exec.LookPath("node")
	_, missing := os.Stat("node_modules/@archastro/sdk/package.json")
	if err != nil || missing != nil {
		if os.Getenv("AGENTOP_CONTRACT") == "require" {
			t.Fatalf("the ArchAstro contract test needs node and `npm ci` in contract/archastro (node: %v, sdk: %v)", err, missing)
		}
		t.Skip("node or node_modules/@archastro/sdk missing: run `npm ci` in contract/archastro")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := archastrosim.Start(ctx, archastrosim.Config{Addr: "127.0.0.1:0", Sim: sim.Config{Seed: 3, Scenario: sim.Scenario{Kind: sim.ScenarioIdle}, StartRate: -1}})
	require.NoError(t, err)
	defer srv.Close()

	cmd := exec.CommandContext(ctx, node, "client.mjs")
	cmd.Env = append(os.Environ(), "ARCHASTRO_BASE_URL="+srv.URL, "ARCHASTRO_API_KEY="+srv.APIKey)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	require.NoError(t, err, "the SDK script failed")
	var got struct {
		Listed          int      `json:"listed"`
		WaitingStatuses []string `json:"waitingStatuses"`
		WaitingID       string   `json:"waitingId"`
		GotStatus       string   `json:"gotStatus"`
		RepliedStatus   string   `json:"repliedStatus"`
		InboxLast       string   `json:"inboxLast"`
		Agents          int      `json:"agents"`
		TotalEntries    int      `json:"totalEntries"`
		CreatedStatus   string   `json:"createdStatus"`
		CreatedName     string   `json:"createdName"`
		CancelledStatus string   `json:"cancelledStatus"`
		CancelledAgain  string   `json:"cancelledAgain"`
		Feed            int      `json:"feed"`
		FeedFirst       string   `json:"feedFirst"`
		OlderFirst      string   `json:"olderFirst"`
		RunStatuses     []string `json:"runStatuses"`
		RunID           bool     `json:"runId"`
		Journal         int      `json:"journal"`
		Stream          []string `json:"stream"`
		NotFound        string   `json:"notFound"`
	}
	require.NoError(t, json.Unmarshal(stdout, &got), string(stdout))

	assert.Positive(t, got.Listed, "list")
	assert.Equal(t, []string{"waiting"}, got.WaitingStatuses, "list with status[] and exclude_system")
	assert.Equal(t, "waiting", got.GotStatus, "get")
	assert.Equal(t, "running", got.RepliedStatus, "message on a waiting session resumes it")
	assert.Equal(t, "Use 424242", got.InboxLast, "the message is in the inbox")
	assert.Equal(t, 10, got.Agents)
	assert.Equal(t, 10, got.TotalEntries)
	assert.Equal(t, "pending", got.CreatedStatus, "create")
	assert.Equal(t, "from the sdk", got.CreatedName)
	assert.Equal(t, "cancelled", got.CancelledStatus, "cancel")
	assert.Equal(t, "cancelled", got.CancelledAgain, "cancel is idempotent")
	assert.Equal(t, 5, got.Feed, "the feed")
	assert.NotEqual(t, got.FeedFirst, got.OlderFirst, "before_cursor pages to older entries")
	assert.Contains(t, got.RunStatuses, "skipped", "routine runs, some skipped")
	assert.True(t, got.RunID)
	assert.Positive(t, got.Journal)
	assert.Equal(t, []string{"session_update:cancelled"}, got.Stream, "the stream replays the state and closes at the end")
	assert.Equal(t, "ApiError 404 not_found", got.NotFound, "a 404")

	x, err := srv.Engine.Execution(got.WaitingID[len("ase_"):])
	require.NoError(t, err)
	assert.Equal(t, "running", string(x.Status), "the SDK's reply reached the engine")
}
