package tui

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/views/executions"
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
	_, cmd := m.Update(PollMsg{poller.SnapshotEvent{Snapshot: snap}})
	drain(m, cmd) // the rows are built and applied, as the program would
	acts := make([]api.Activity, feedLines)
	for i := range acts {
		acts[i] = api.Activity{ID: fmt.Sprint(i), Time: t0, Kind: api.KindActionStarted, Actor: api.ActorAgent,
			Text: fmt.Sprintf("step %d: navigating to https://portal.example/orders?page=%d", i, i)}
	}
	ex := m.viewNamed(executions.Name).(*executions.View)
	id, gen := ex.Following()
	m.Update(PollMsg{poller.ActivitiesEvent{ExecutionID: id, Focus: gen, Activities: acts, Reset: true}})
	if ex.Rows() != n || ex.CurrentFeed() == nil {
		b.Fatalf("bench model not ready: %d rows, feed %v", ex.Rows(), ex.CurrentFeed() != nil)
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
			cpu := cpuClock()
			for i := 0; i < b.N; i++ {
				_ = m.View()
			}
			cpu.report(b)
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
			cpu := cpuClock()
			for i := 0; i < b.N; i++ {
				m.tickArmed = false
				m.Update(tickMsg(t0.Add(time.Duration(i) * time.Second)))
				_ = m.View()
			}
			cpu.report(b)
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
			pressAndView(b, m, keys)
		})
	}
}

// BenchmarkMarkAndView is marking (space) and unmarking the selected
// execution with every listed execution marked (ctrl+a, built off the
// loop), plus the frame: marks must keep a frame O(visible).
func BenchmarkMarkAndView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			m := benchModel(b, n, 1000)
			_, cmd := m.Update(tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl})
			drain(m, cmd)
			if want := fmt.Sprintf("%d marked", n); !strings.Contains(m.render(), want) {
				b.Fatalf("not all marked: want %q", want)
			}
			keys := []tea.KeyPressMsg{{Code: tea.KeySpace, Text: " "}, {Code: 'k', Text: "k"}}
			pressAndView(b, m, keys)
		})
	}
}

// BenchmarkChartsView is a cursor move and its frame at 200×50, where the
// agents pane shows each agent's sparkline and success rate (built with
// the rows, off the loop; the pane is memoised).
func BenchmarkChartsView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("executions=%d", n), func(b *testing.B) {
			m := benchModel(b, n, 1000)
			m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
			if !strings.Contains(m.render(), " 6H ") {
				b.Fatal("no chart column")
			}
			keys := []tea.KeyPressMsg{{Code: 'j', Text: "j"}, {Code: 'k', Text: "k"}}
			pressAndView(b, m, keys)
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
			cpu := cpuClock()
			for i := 0; i < b.N; i++ {
				m.Update(msg)
			}
			cpu.report(b)
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
			cpu := cpuClock()
			for i := 0; i < b.N; i++ {
				_ = executions.Build(executions.Query{Snap: snap, Filter: "agent 1", Now: t0})
			}
			cpu.report(b)
		})
	}
}

// drain runs cmd and every Cmd its messages lead to, synchronously (Cmds
// that do not finish within seconds, like ticks, are dropped).
func drain(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(5 * time.Second): // a tick: not followed (building 10,000 rows takes ~20 ms)
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			drain(m, c)
		}
	default:
		_, next := m.Update(msg)
		drain(m, next)
	}
}

// cpuClock measures the CPU time (user + system, every thread) the process
// spends: unlike the wall clock of ns/op, it does not count the time other
// tenants of a shared machine run. Reported as cpu-ns/op.
type cpuClock0 struct{ start time.Duration }

func cpuClock() cpuClock0 { return cpuClock0{start: cpuTime()} }

func (c cpuClock0) report(b *testing.B) {
	b.ReportMetric(float64(cpuTime()-c.start)/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pressAndView is the measured loop of the key benchmarks: the keys in
// turn, each followed by a frame, with allocations and CPU time reported.
func pressAndView(b *testing.B, m *Model, keys []tea.KeyPressMsg) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuClock()
	for i := 0; i < b.N; i++ {
		m.Update(keys[i%len(keys)])
		_ = m.View()
	}
	cpu.report(b)
}
