package tui

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/poller"
)

// TestAPartialPictureIsSaid: when the platform listed only part of the
// active executions (a cap), the header says so rather than looking whole.
func TestAPartialPictureIsSaid(t *testing.T) {
	h := newHarness(t, 140, 30)
	execs, questions := fleet()
	h.snapshot(execs, questions)
	assert.NotContains(t, h.view(), "partial")

	h.seq++
	snap := poller.NewSnapshot(h.seq, t0, slices.Clone(execs), 0, questions)
	snap.Partial = true
	h.send(PollMsg{poller.SnapshotEvent{Snapshot: snap}})
	assert.Contains(t, h.view(), "◐ partial: the platform lists only some")
}
