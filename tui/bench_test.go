package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/theme"
)

// benchFleet builds n executions over 40 agents with every status present;
// a tenth are running (their duration ticks), a few wait for a human.
func benchFleet(n int) ([]api.Execution, map[string]api.InteractionRequest) {
	statuses := []api.Status{api.StatusRunning, api.StatusCompleted, api.StatusCompleted, api.StatusFailed,
		api.StatusCompleted, api.StatusCancelled, api.StatusCompleted, api.StatusStarting, api.StatusCompleted, api.StatusPaused}
	execs := make([]api.Execution, n)
	q := map[string]api.InteractionRequest{}
	for i := range execs {
		st := statuses[i%len(statuses)]
		if i%97 == 0 {
			st = api.StatusPausedByAgent
		}
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		execs[i] = api.Execution{ID: id, AgentID: fmt.Sprintf("agent-%02d", i%40), AgentName: fmt.Sprintf("Agent number %02d", i%40),
			Status: st, CreatedAt: t0.Add(-time.Duration(i) * time.Minute), ProfileName: "prod-eu"}
		if st == api.StatusPausedByAgent {
			q[id] = api.InteractionRequest{ExecutionID: id, AgentName: execs[i].AgentName, Question: "Which account should I use?", AskedAt: t0}
		}
	}
	return execs, q
}

// benchModel is a 160×48 dashboard showing n executions, the first one's
// feed holding feedLines entries, rows applied as the program would.
func benchModel(b *testing.B, n, feedLines int) *Model {
	b.Helper()
	none, _ := theme.Lookup("none")
	m := New(context.Background(), Options{Backend: newFakeBackend(), Theme: none, Now: func() time.Time { return t0 },
		FeedLimit: max(feedLines, 1)}, nil)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	execs, q := benchFleet(n)
	snap := poller.NewSnapshot(1, t0, execs, 0, q)
	cmd := m.onPoll(PollMsg{poller.SnapshotEvent{Snapshot: snap}})
	_ = cmd
	m.Update(buildRows(rowQuery{gen: m.execs.gen, snap: snap, now: t0}))
	acts := make([]api.Activity, feedLines)
	for i := range acts {
		acts[i] = api.Activity{ID: fmt.Sprint(i), Time: t0, Kind: api.KindActionStarted, Actor: api.ActorAgent,
			Text: fmt.Sprintf("step %d: navigating to https://portal.example/orders?page=%d", i, i)}
	}
	m.Update(PollMsg{poller.ActivitiesEvent{ExecutionID: m.focusID, Focus: m.focusGen, Activities: acts, Reset: true}})
	if m.execs.table.n != n || m.currentFeed() == nil {
		b.Fatalf("bench model not ready: %d rows, feed %v", m.execs.table.n, m.currentFeed() != nil)
	}
	return m
}

// BenchmarkView is one frame of the executions view, as drawn after any
// message that changes nothing it shows (rows come from the cache).
func BenchmarkView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			m := benchModel(b, n, 1000)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = m.View()
			}
		})
	}
}

// BenchmarkTickAndView is the once-a-second clock tick plus the frame it
// causes: running rows re-render for their new duration.
func BenchmarkTickAndView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			m := benchModel(b, n, 1000)
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

// BenchmarkKeyAndView is a cursor move (j/k alternately: the selected
// execution and its feed change) plus the frame it causes.
func BenchmarkKeyAndView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			m := benchModel(b, n, 1000)
			keys := []tea.KeyPressMsg{{Code: 'j', Text: "j"}, {Code: 'k', Text: "k"}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Update(keys[i%2])
				_ = m.View()
			}
		})
	}
}

// BenchmarkSnapshotUpdate is what the event loop does when a new snapshot
// arrives: store it and dispatch the rows rebuild (which runs in a Cmd).
func BenchmarkSnapshotUpdate(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			m := benchModel(b, n, 0)
			execs, q := benchFleet(n)
			snap := poller.NewSnapshot(2, t0, execs, 0, q)
			msg := PollMsg{poller.SnapshotEvent{Snapshot: snap}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Update(msg)
			}
		})
	}
}

// BenchmarkBuildRows is the rows rebuild itself, off the event loop: it is
// the one place whose cost grows with the fleet.
func BenchmarkBuildRows(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			execs, q := benchFleet(n)
			snap := poller.NewSnapshot(1, t0, execs, 0, q)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = buildRows(rowQuery{snap: snap, filter: "agent 1", now: t0})
			}
		})
	}
}
