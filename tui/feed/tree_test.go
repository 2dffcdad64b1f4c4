package feed

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

var spanT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func spanAct(id, parent, state string, sec int) api.Activity {
	return api.Activity{ID: id, ParentID: parent, State: state, Time: spanT0.Add(time.Duration(sec) * time.Second),
		Kind: api.KindActionStarted, Actor: api.ActorAgent, Text: "tool " + id,
		Raw: json.RawMessage(`{"id":"` + id + `","payload":{"inputs":{"q":"` + id + `"}}}`)}
}

func treeFeed(h int) *Model {
	m := newFeed(70, h, 1000)
	m.Append([]api.Activity{
		spanAct("run", "", "active", 0),
		spanAct("step1", "run", "complete", 1),
		spanAct("llm", "step1", "complete", 2),
		spanAct("tool", "step1", "active", 3),
		spanAct("step2", "run", "active", 4),
	}, false)
	return m
}

func TestASpanFeedShowsATree(t *testing.T) {
	m := treeFeed(8)
	require.True(t, m.Tree())
	lines := plain(m)
	require.Len(t, lines, 8)
	assert.Contains(t, lines[0], "▾ ● tool run")
	assert.Contains(t, lines[1], "  ▾ ✓ tool step1")
	assert.Contains(t, lines[2], "      ✓ tool llm")
	assert.Contains(t, lines[3], "      ● tool tool")
	assert.Contains(t, lines[4], "    ● tool step2")
	assert.Equal(t, 5, m.Len())
}

func TestZFoldsTheSelectedSubtree(t *testing.T) {
	m := treeFeed(8)
	m.Top()
	m.Down(1) // step1
	m.ToggleFold()
	lines := plain(m)
	assert.Contains(t, lines[1], "▸ ✓ tool step1")
	assert.Contains(t, lines[2], "step2", "its children are hidden")
	assert.True(t, m.FoldedSpan("step1"))
	m.ToggleFold()
	assert.Contains(t, plain(m)[2], "tool llm")
}

func TestAChangedSpanUpdatesInPlace(t *testing.T) {
	m := treeFeed(8)
	done := spanAct("tool", "step1", "failed", 3)
	done.Duration = 1500 * time.Millisecond
	m.Append([]api.Activity{done}, false)
	lines := plain(m)
	assert.Contains(t, lines[3], "✗ tool tool")
	assert.Contains(t, lines[3], "1.5s")
	assert.Equal(t, 5, m.Len(), "the same span, not a new row")
	assert.NotContains(t, strings.Join(lines, "\n"), "● tool tool")
}

func TestEnterExpandsASpanToItsPayload(t *testing.T) {
	m := treeFeed(12)
	m.Top()
	m.Down(2) // llm
	m.ToggleExpand()
	joined := strings.Join(plain(m), "\n")
	assert.Contains(t, joined, `│   "id": "llm"`)
	sel, ok := m.SelectedSpan()
	require.True(t, ok)
	assert.Equal(t, "llm", sel.ID)
	m.ToggleExpand()
	assert.NotContains(t, strings.Join(plain(m), "\n"), `"id": "llm"`)
}

func TestFollowKeepsTheNewestSpanInView(t *testing.T) {
	m := treeFeed(3)
	for i := range 20 {
		m.Append([]api.Activity{spanAct(fmt.Sprintf("s%02d", i), "step2", "complete", 10+i)}, false)
	}
	lines := plain(m)
	assert.Contains(t, lines[2], "s19")
	m.Up(5)
	assert.False(t, m.Following())
	m.Append([]api.Activity{spanAct("late", "step2", "active", 99)}, false)
	assert.NotContains(t, strings.Join(plain(m), "\n"), "late", "not following: the view stays")
	m.Bottom()
	assert.Contains(t, plain(m)[2], "late")
}

func TestAListFeedStaysAList(t *testing.T) {
	m := newFeed(60, 5, 100)
	m.Append(mkActs(3, 0), false)
	assert.False(t, m.Tree())
}

// BenchmarkTreeFeedView is a frame of a span-tree feed while a span
// changes in place, at 1,000 and 100,000 spans: the cost is the rows on
// screen.
func BenchmarkTreeFeedView(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			m := New("e", st, n)
			m.SetSize(160, 40)
			acts := make([]api.Activity, 0, n)
			acts = append(acts, spanAct("run", "", "active", 0))
			step := ""
			for i := 1; i < n; i++ {
				if i%21 == 1 {
					step = fmt.Sprintf("step%06d", i)
					acts = append(acts, spanAct(step, "run", "complete", i))
					continue
				}
				acts = append(acts, spanAct(fmt.Sprintf("s%06d", i), step, "complete", i))
			}
			m.Append(acts, false)
			last := acts[n-1]
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				last.State = []string{"active", "complete"}[i%2]
				m.Append([]api.Activity{last}, false)
				_ = m.View()
			}
		})
	}
}
