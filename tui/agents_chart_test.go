package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// The agents view (2) has the room the agents pane lacks below 170
// columns: each agent's runs ended over the last six hours and the share
// that succeeded, and it sorts by that share.
func TestTheAgentsViewChartsTheLastHours(t *testing.T) {
	h := newHarness(t, 120, 30)
	execs, q := fleet()
	bad := mkExec("ffff6666-bad", "Supplier portal checker", api.StatusCompleted, 30*time.Minute)
	bad.Result = &api.Result{Outcome: "failure"} // completed, but failed at its task
	execs = append(execs, bad)
	h.snapshot(execs, q)
	h.keys("2")
	v := h.view()
	assert.Contains(t, v, "ENDED 6H")
	assert.Contains(t, v, "OK 6H")
	// Supplier portal checker: one run ended an hour ago (success), one
	// half an hour ago (failed at its task).
	row := rowOf(h, "Supplier portal checker")
	assert.Contains(t, row, "····██", "one cell an hour, oldest first")
	assert.Contains(t, row, "50%")
	// Invoice downloader: one failed two hours ago.
	row = rowOf(h, "Invoice downloader")
	assert.Contains(t, row, "···█··")
	assert.Contains(t, row, "0%")
	assert.Contains(t, rowOf(h, "Insurance quote filler"), "—", "nothing ended: no rate")

	for range 6 { // attention → name → active → failed → runs → last run → success
		h.keys("s")
	}
	v = h.view()
	require.Contains(t, v, "by success ↓")
	sup, inv, ins := strings.Index(v, "Supplier portal checker"), strings.Index(v, "Invoice downloader"), strings.Index(v, "Insurance quote filler")
	assert.True(t, sup < inv && inv < ins, "50%%, then 0%%, then none ended: %d %d %d", sup, inv, ins)
}
