package tui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A saved filter is a section: the table's title names it for as long as
// the filter is that one (typed by hand too), and not once it is edited.
func TestTheTableNamesTheSavedFilterItShows(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) {
		o.Filters = map[string]string{"asking": "status:paused", "invoices": "agent:invoice"}
	})
	execs, q := fleet()
	h.snapshot(execs, q)
	h.keys(":")
	h.typeText("invoices")
	h.keys("enter")
	require.Equal(t, "agent:invoice", h.filter())
	assert.Contains(t, h.view(), "Executions 2 of 5 · :invoices /agent:invoice")

	h.keys("esc")
	require.Equal(t, "", h.filter())
	assert.NotContains(t, rowOf(h, "─ Executions"), ":invoices")

	h.keys("/")
	h.typeText("status:paused")
	h.keys("enter")
	assert.Contains(t, h.view(), ":asking /status:paused", "the same filter typed by hand is the section")
	h.keys("/")
	h.typeText(" !agent:supplier")
	h.keys("enter")
	title := rowOf(h, "─ Executions")
	assert.Contains(t, title, "/status:paused !agent:supplier")
	assert.NotContains(t, title, ":asking", "an edited filter is no longer the section")
}

// In a fleet a section can be a context's (ctx:), with the other fields.
func TestASavedFilterCanNameAContext(t *testing.T) {
	r := newFleetRig(t, false)
	r.m.ctx.Filters = map[string]string{"ops-done": "ctx:ops status:completed"}
	execs, q := fleetExecs()
	r.merged(execs, q, bothLive()...)
	r.keys(":")
	r.typeText("ops-done")
	r.keys("enter")
	assert.Equal(t, 1, r.exec().Rows())
	v := r.view()
	assert.Contains(t, v, ":ops-done /ctx:ops status:completed")
	assert.Contains(t, v, "ops44444")
}
