package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/views/executions"
	"github.com/agentop/agentop/tui/theme"
)

// benchFleetModel is a 160×48 fleet dashboard of k contexts sharing n
// executions between them, rows applied as the program would.
func benchFleetModel(b *testing.B, n, k int) *Model {
	b.Helper()
	none, _ := theme.Lookup("none")
	contexts := make([]FleetContext, k)
	states := make([]poller.ContextState, k)
	for i := range contexts {
		name := fmt.Sprintf("ctx-%d", i)
		contexts[i] = FleetContext{Name: name, Platform: "asteroid", Backend: newFakeBackend()}
		states[i] = poller.ContextState{Context: name, Platform: "asteroid", State: poller.Live, LastSuccess: t0}
	}
	m := New(context.Background(), Options{Fleet: contexts, Theme: none, Now: func() time.Time { return t0 }}, nil)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	execs, q := benchFleet(n)
	for i := range execs {
		execs[i].Context = contexts[i%k].Name
	}
	snap := poller.NewSnapshot(1, t0, execs, 0, q)
	snap.Contexts = states
	_, cmd := m.Update(PollMsg{poller.SnapshotEvent{Snapshot: snap}})
	drain(m, cmd)
	if ex := m.viewNamed(executions.Name).(*executions.View); ex.Rows() != n {
		b.Fatalf("bench model not ready: %d rows", ex.Rows())
	}
	return m
}

// BenchmarkFleetFrame is the once-a-second tick and its frame on a fleet
// dashboard (the header states every context; the table has a CONTEXT
// column), 10,000 executions over 1 and 8 contexts.
func BenchmarkFleetFrame(b *testing.B) {
	for _, k := range []int{1, 8} {
		b.Run(fmt.Sprintf("contexts=%d", k), func(b *testing.B) {
			m := benchFleetModel(b, 10_000, k)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.tickArmed = false
				m.Update(tickMsg(t0.Add(time.Duration(i) * time.Second)))
				_ = m.View()
			}
		})
	}
}
