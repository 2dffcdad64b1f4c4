package kit

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/theme"
)

func styles() *theme.Styles {
	none, _ := theme.Lookup("none")
	return theme.New(none)
}

func TestTableWindowFollowsTheCursor(t *testing.T) {
	tb := NewTable(Column{Title: "A", Flex: 1})
	tb.SetSize(20, 3)
	tb.SetLen(10)
	for _, mv := range []Motion{LineDown, LineDown, LineDown} {
		tb.Apply(mv)
	}
	assert.Equal(t, 3, tb.Cursor())
	from, to := tb.Visible()
	assert.Equal(t, [2]int{1, 4}, [2]int{from, to}, "the cursor stays on screen")
	tb.Apply(Bottom)
	assert.Equal(t, 9, tb.Cursor())
	tb.Apply(PageUp)
	assert.Equal(t, 7, tb.Cursor(), "a page is the height less one")
	tb.Apply(Top)
	tb.Apply(LineUp)
	assert.Equal(t, 0, tb.Cursor())
	tb.SetLen(0)
	from, to = tb.Visible()
	assert.Equal(t, from, to)
}

func TestRowsAreExactlyTheTableWidth(t *testing.T) {
	tb := NewTable(Column{Title: "NAME", Flex: 1, Min: 4}, Column{Title: "N", Width: 3, Right: true}, Column{Title: "WIDE", Width: 10, HideBelow: 30})
	for _, w := range []int{12, 29, 30, 50} {
		tb.SetSize(w, 5)
		for _, cells := range [][]string{{"short", "1", "x"}, {strings.Repeat("日本", 20), "12345", "yyyyyyyyyyyyyy"}} {
			assert.Equal(t, w, ansi.StringWidth(tb.JoinCells(cells)), "width %d", w)
		}
		assert.Equal(t, w, ansi.StringWidth(tb.Header(styles())))
	}
	tb.SetSize(29, 5)
	assert.NotContains(t, tb.Header(styles()), "WIDE", "hidden below its width")
}

func TestOptionalColumnsShowWhenTurnedOn(t *testing.T) {
	tb := NewTable(Column{Title: "NAME", Flex: 1, Min: 4}, Column{Title: "STATUS", Width: 7, Optional: true}, Column{Title: "N", Width: 3})
	tb.SetSize(30, 5)
	assert.NotContains(t, tb.Header(styles()), "STATUS", "off until shown")
	assert.Equal(t, 30, ansi.StringWidth(tb.JoinCells([]string{"a", "dormant", "1"})))
	assert.NotContains(t, tb.JoinCells([]string{"a", "dormant", "1"}), "dormant")
	tb.Show(1, true)
	assert.Contains(t, tb.Header(styles()), "STATUS")
	assert.Contains(t, tb.JoinCells([]string{"a", "dormant", "1"}), "dormant")
	assert.Equal(t, 30, ansi.StringWidth(tb.JoinCells([]string{"a", "dormant", "1"})))
	tb.Show(2, false)
	assert.Contains(t, tb.JoinCells([]string{"a", "dormant", "9"}), "9", "a column that is not optional stays")
	tb.Show(1, false)
	assert.NotContains(t, tb.Header(styles()), "STATUS")
}

func TestFrameIsExactlyItsSize(t *testing.T) {
	lines := Frame(styles(), "A title far too long for this little frame", []string{PadLine("x", 8)}, 10, 4, true)
	require.Len(t, lines, 4)
	for _, l := range lines {
		assert.Equal(t, 10, ansi.StringWidth(l), "%q", l)
	}
	joined := JoinColumns(lines, Frame(styles(), "", nil, 5, 4, false))
	require.Len(t, joined, 4)
	assert.Equal(t, 15, ansi.StringWidth(joined[3]))
}

func TestScrollIsTheOneMapperForListKeys(t *testing.T) {
	km := keys.Default(nil)
	cases := map[string]Motion{"j": LineDown, "k": LineUp, "g": Top, "G": Bottom, "x": NoMotion}
	for k, want := range cases {
		assert.Equal(t, want, Scroll(km, tea.KeyPressMsg{Code: []rune(k)[0], Text: k}), k)
	}
	require.NoError(t, km.Override(map[string][]string{"down": {"ctrl+n"}}))
	assert.Equal(t, LineDown, Scroll(km, tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl}), "overrides apply")

	var p Page
	lines := []string{"1", "2", "3", "4", "5"}
	p.Apply(Bottom)
	assert.Equal(t, []string{"4", "5"}, p.Window(lines, 2))
	p.Apply(LineUp)
	assert.Equal(t, []string{"3", "4"}, p.Window(lines, 2), "back up at once after overshooting")
}

func TestFuzzyFilterKeepsTheOriginalOrder(t *testing.T) {
	texts := []string{"invoice downloader", "insurance filler", "supplier checker", "invoice checker"}
	got := FuzzyFilter("inv", []int{0, 1, 2, 3}, func(i int) string { return texts[i] })
	assert.Equal(t, []int{0, 3}, got)
}

func TestTellWithoutAPollerIsNothing(t *testing.T) {
	assert.Nil(t, Nudge(nil))
	assert.Nil(t, Tell(nil, Poller.Refresh))
}

func TestSparklineScalesToTheLargestAndDotsTheIdle(t *testing.T) {
	assert.Equal(t, "·▁▄█", Sparkline([]int{0, 1, 4, 8}))
	assert.Equal(t, "██", Sparkline([]int{3, 3}))
	assert.Equal(t, "", Sparkline(nil))
}
