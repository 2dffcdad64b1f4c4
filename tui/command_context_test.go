package tui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// {{.Context}} is the execution's context: the one shown, or in a fleet
// the execution's own.
func TestACustomCommandKnowsTheContext(t *testing.T) {
	cmds := []Command{{Name: "where", Key: "W", Run: []string{"echo", "{{.ID}} in {{.Context}}"}, Safe: true}}
	h := newHarness(t, 120, 40) // the context "test"
	require.NoError(t, h.m.AddCommands(cmds))
	execs, q := fleet()
	h.snapshot(execs, q)
	h.selectExec("aaaa1111-run")
	_, cmd := h.m.Update(keyPress("W"))
	drain(h.m, cmd) // to its end, however loaded the machine
	assert.Contains(t, h.view(), "where: aaaa1111-run in test")

	r := newFleetRig(t, false)
	require.NoError(t, r.m.AddCommands(cmds))
	fe, fq := fleetExecs()
	r.merged(fe, fq, bothLive()...)
	r.selectExec("ops44444-ok")
	_, cmd = r.m.Update(keyPress("W"))
	drain(r.m, cmd)
	assert.Contains(t, r.view(), "where: ops44444-ok in ops", "in a fleet, the execution's own context")
}
