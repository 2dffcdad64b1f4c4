package feed

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/theme"
)

var st = theme.New(theme.Theme{Name: "none", NoColor: true})

func mkActs(n int, from int) []api.Activity {
	out := make([]api.Activity, n)
	for i := range out {
		k := from + i
		out[i] = api.Activity{
			ID: fmt.Sprintf("a%d", k), Kind: api.KindActionStarted, Actor: api.ActorAgent,
			Time: time.Date(2026, 1, 1, 12, 0, k%60, 0, time.UTC),
			Text: fmt.Sprintf("step %d navigating", k),
			Raw:  json.RawMessage(fmt.Sprintf(`{"id":"a%d","payload":{"activityType":"action_started"}}`, k)),
		}
	}
	return out
}

func plain(m *Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

func newFeed(w, h, limit int) *Model {
	m := New("e", st, limit)
	m.SetSize(w, h)
	m.ToggleTimes() // stable output without the local time zone
	return m
}

func TestFollowShowsTheNewestAndStaysThere(t *testing.T) {
	m := newFeed(60, 5, 100)
	m.Append(mkActs(20, 0), false)
	lines := plain(m)
	require.Len(t, lines, 5)
	assert.Contains(t, lines[4], "step 19")
	m.Append(mkActs(1, 20), false)
	assert.Contains(t, plain(m)[4], "step 20", "sticky bottom")
}

func TestScrollingUpLeavesFollowAndBottomResumesIt(t *testing.T) {
	m := newFeed(60, 5, 100)
	m.Append(mkActs(20, 0), false)
	m.Up(3)
	assert.False(t, m.Following())
	m.Append(mkActs(5, 20), false)
	assert.NotContains(t, strings.Join(plain(m), "\n"), "step 24", "not following: the view stays put")
	assert.Contains(t, strings.Join(plain(m), "\n"), "step 16")
	m.Bottom()
	assert.True(t, m.Following())
	assert.Contains(t, plain(m)[4], "step 24")
	m.Up(1)
	m.Down(1)
	assert.True(t, m.Following(), "back at the bottom: follow again")
}

func TestRingKeepsAboutTheLimit(t *testing.T) {
	m := newFeed(60, 5, 300)
	m.Append(mkActs(2000, 0), false)
	assert.GreaterOrEqual(t, m.Len(), 300)
	assert.LessOrEqual(t, m.Len(), 300+chunkSize)
	m.Top()
	first := plain(m)[0]
	assert.NotContains(t, first, "step 0 ")
	assert.Contains(t, plain(m)[0], fmt.Sprintf("step %d ", 2000-m.Len()))
}

func TestLinesFitTheWidthAndWrapShowsEverything(t *testing.T) {
	m := newFeed(40, 6, 100)
	long := api.Activity{ID: "x", Kind: api.KindReasoning, Actor: api.ActorAgent,
		Text: strings.Repeat("word ", 30)}
	m.Append([]api.Activity{long}, false)
	for _, l := range plain(m) {
		assert.LessOrEqual(t, ansi.StringWidth(l), 40)
	}
	assert.Contains(t, plain(m)[0], "…", "truncated")
	m.ToggleWrap()
	joined := strings.Join(plain(m), "")
	assert.Equal(t, 30, strings.Count(joined, "word"), "wrapped: every word visible")
}

func TestSearchFindsMatchesAndNextPrevWrap(t *testing.T) {
	m := newFeed(60, 5, 1000)
	acts := mkActs(100, 0)
	acts[10].Text, acts[50].Text, acts[90].Text = "2FA code requested", "entered 2fa CODE", "2fa code accepted"
	m.Append(acts, false)
	cmd := m.SetQuery("2fa code")
	require.NotNil(t, cmd)
	m.ApplySearch(cmd().(SearchResult))
	i, n := m.MatchInfo()
	assert.Equal(t, 3, n)
	assert.Equal(t, 1, i)
	assert.False(t, m.Following())
	sel, _ := m.Selected()
	assert.Equal(t, "a10", sel.Act.ID)
	m.NextMatch()
	sel, _ = m.Selected()
	assert.Equal(t, "a50", sel.Act.ID)
	m.PrevMatch()
	m.PrevMatch()
	sel, _ = m.Selected()
	assert.Equal(t, "a90", sel.Act.ID, "wraps around")

	// New entries are matched as they arrive.
	late := mkActs(1, 100)
	late[0].Text = "another 2FA code"
	m.Append(late, false)
	_, n = m.MatchInfo()
	assert.Equal(t, 4, n)

	// A stale result (older query) is ignored.
	old := m.SetQuery("navigating")
	m.SetQuery("zzz")
	m.ApplySearch(old().(SearchResult))
	_, n = m.MatchInfo()
	assert.Zero(t, n)
}

func TestSearchScanRunsSafelyWhileTheBufferGrows(t *testing.T) {
	m := newFeed(60, 5, 5000)
	m.Append(mkActs(3000, 0), false)
	cmd := m.SetQuery("step 1")
	var wg sync.WaitGroup
	wg.Add(1)
	var res SearchResult
	go func() { defer wg.Done(); res = cmd().(SearchResult) }()
	for i := range 20 {
		m.Append(mkActs(100, 3000+i*100), false)
	}
	wg.Wait()
	m.ApplySearch(res)
	_, n := m.MatchInfo()
	assert.Positive(t, n)
}

func TestFrozenFeedHoldsNewEntries(t *testing.T) {
	m := newFeed(60, 5, 100)
	m.Append(mkActs(10, 0), false)
	m.ToggleFrozen()
	m.Append(mkActs(5, 10), false)
	assert.Equal(t, 5, m.Held())
	assert.Contains(t, plain(m)[4], "step 9")
	m.ToggleFrozen()
	assert.Contains(t, plain(m)[4], "step 14")
}

func TestExpandShowsRawJSON(t *testing.T) {
	m := newFeed(70, 10, 100)
	m.Append(mkActs(3, 0), false)
	m.ToggleExpand()
	view := strings.Join(plain(m), "\n")
	assert.Contains(t, view, `"activityType": "action_started"`)
}

func TestHostileTextRendersInert(t *testing.T) {
	m := newFeed(70, 5, 100)
	m.Append([]api.Activity{{ID: "h", Kind: api.KindGeneric, Text: "\x1b]52;c;ZXZpbA==\x07\x1b[2Jgotcha\u202e", Message: "multi\x1b[31m\nline",
		Raw: json.RawMessage(`{"x":"\u001b[2J"}`)}}, false)
	m.ToggleExpand()
	for _, wrap := range []bool{false, true} {
		if wrap {
			m.ToggleWrap() // shows the multi-line body
		}
		v := m.View()
		assert.NotContains(t, v, "\x1b]52")
		assert.NotContains(t, v, "\x1b[2J")
		assert.NotContains(t, v, "\x1b[31m")
		assert.NotContains(t, v, "\u202e")
		assert.Contains(t, ansi.Strip(v), map[bool]string{false: "gotcha", true: "line"}[wrap])
	}
}

func TestMergeKeepsHistoryAndPlace(t *testing.T) {
	m := newFeed(60, 5, 1000)
	m.Append(mkActs(100, 0), false)
	m.Up(10) // the operator scrolled up
	sel, _ := m.Selected()
	// Looked at again: the poller's window is the newest 50, 20 of them new.
	m.Merge(mkActs(50, 70))
	assert.Equal(t, 120, m.Len(), "nothing held is thrown away, nothing is doubled")
	now, _ := m.Selected()
	assert.Equal(t, sel.Act.ID, now.Act.ID, "the operator's place is kept")

	// A window that shares nothing with what is held: a gap is marked.
	m.Merge(mkActs(10, 500))
	m.Bottom()
	assert.Contains(t, strings.Join(plain(m), "\n"), "step 509")
	found := false
	for seq := m.buf.First(); seq < m.buf.End(); seq++ {
		found = found || m.buf.At(seq).Gap
	}
	assert.True(t, found)
}

func TestResetMarksOlderActivitiesNotLoaded(t *testing.T) {
	m := newFeed(80, 10, 100)
	m.Reset(mkActs(5, 0), true)
	m.Top()
	assert.Contains(t, plain(m)[0], "older activities are not shown")
	// A search running over the old content is stale after a reset.
	cmd := m.SetQuery("step")
	m.Reset(mkActs(3, 10), false)
	m.ApplySearch(cmd().(SearchResult))
	_, n := m.MatchInfo()
	assert.Equal(t, 3, n, "matches come from the new content only")
}

func TestEvictedEntriesAreForgotten(t *testing.T) {
	m := newFeed(60, 5, 300)
	m.Append(mkActs(2000, 0), false)
	assert.LessOrEqual(t, len(m.ids), m.Len())
	_, held := m.ids["a0"]
	assert.False(t, held)
}

func TestGapIsMarked(t *testing.T) {
	m := newFeed(80, 5, 100)
	m.Append(mkActs(2, 0), false)
	m.Append(mkActs(2, 50), true)
	assert.Contains(t, strings.Join(plain(m), "\n"), "some activities may be missing")
}

func BenchmarkFeedView(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		for _, wrap := range []bool{false, true} {
			b.Run(fmt.Sprintf("lines=%d/wrap=%v", n, wrap), func(b *testing.B) {
				m := New("e", st, n)
				m.SetSize(160, 40)
				m.Append(mkActs(n, 0), false)
				if wrap {
					m.ToggleWrap()
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					// A new entry arrives each frame, as when following a live execution.
					m.Append(mkActs(1, n+i), false)
					_ = m.View()
				}
			})
		}
	}
}

// Issue 12 #12: the agent's question shows once, where it was asked, not
// again when the platform reports it delivered.
func TestAQuestionShowsOnce(t *testing.T) {
	m := newFeed(60, 10, 100)
	q := "Which plan should I pick?"
	m.Append([]api.Activity{
		{ID: "1", Kind: api.KindActionStarted, Actor: api.ActorAgent, ActionName: "util_send_user_message", AgentMessage: true, Text: q, Message: q},
		{ID: "2", Kind: api.KindActionCompleted, Actor: api.ActorAgent, ActionName: "util_send_user_message", AgentMessage: true, Text: q, Message: q},
	}, false)
	assert.Equal(t, 1, m.Len())
	screen := strings.Join(plain(m), "\n")
	assert.Equal(t, 1, strings.Count(screen, q), screen)
	assert.Contains(t, screen, "asks")
	assert.NotContains(t, screen, "sent")
}
