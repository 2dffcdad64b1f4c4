package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/internal/views/timeline"
)

// BenchmarkTimeline is the timeline view's frames at 100 and 10,000
// executions: "view" is a frame from the memo, "tick" the once-a-second
// clock and the frame it redraws (running bars grow), "key" a cursor move
// and its frame. Each draws the visible rows only.
func BenchmarkTimeline(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		for _, op := range []string{"view", "tick", "key"} {
			b.Run(fmt.Sprintf("%s/executions=%d", op, n), func(b *testing.B) {
				m := benchModel(b, n, 1)
				m.Update(tea.KeyPressMsg{Code: '7', Text: "7"})
				if v, _, _ := m.state(); v != timeline.Name {
					b.Fatalf("in %s, not the timeline", v)
				}
				keys := []tea.KeyPressMsg{{Code: 'j', Text: "j"}, {Code: 'k', Text: "k"}}
				b.ReportAllocs()
				b.ResetTimer()
				cpu := cpuClock()
				for i := 0; i < b.N; i++ {
					switch op {
					case "tick":
						m.tickArmed = false
						m.Update(tickMsg(t0.Add(time.Duration(i+1) * time.Second)))
					case "key":
						m.Update(keys[i%2])
					}
					_ = m.View()
				}
				cpu.report(b)
			})
		}
	}
}
