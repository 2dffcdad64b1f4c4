package lists

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/pane/panetest"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

type fruit struct {
	Name string
	N    int
}

// fruits is a list view defined the way every list view is: one Def.
func fruits(items *[]fruit, opened *[]string) Def[fruit] {
	return Def[fruit]{
		Info:    pane.Info{Name: "fruits", Title: "Fruits", Key: "9"},
		Heading: "Fruits",
		Empty:   "No fruit.",
		Columns: []kit.Column{{Title: "NAME", Flex: 1, Min: 8}, {Title: "N", Width: 4, Right: true}},
		Source:  func(*pane.Context) []fruit { return *items },
		Text:    func(f fruit) string { return f.Name },
		Cells:   func(_ *pane.Context, f fruit, _ bool) []string { return []string{f.Name, fmt.Sprint(f.N)} },
		Sorts: []Sort[fruit]{
			{"given", nil},
			{"most", ByMost(func(f fruit) int { return f.N })},
		},
		Open:    func(_ *pane.Context, f fruit) tea.Cmd { *opened = append(*opened, f.Name); return nil },
		Follows: pane.DataAgents,
	}
}

func newFruitList(t *testing.T) (*List[fruit], *panetest.Host, *[]fruit, *[]string) {
	t.Helper()
	items := &[]fruit{{"apple", 3}, {"banana", 7}, {"cherry", 1}}
	opened := &[]string{}
	ctx, host := panetest.New(nil, t0)
	l := New(ctx, fruits(items, opened))
	l.SetFocused(true)
	l.SetSize(40, 10)
	panetest.Run(l, host, l.HandleMsg(pane.Shown{}))
	return l, host, items, opened
}

func names(l *List[fruit]) []string {
	var out []string
	for _, r := range l.rows {
		out = append(out, l.data[r].Name)
	}
	return out
}

func TestListBuildsItsRowsOffTheLoopAndRendersToWidth(t *testing.T) {
	l, _, _, _ := newFruitList(t)
	assert.Equal(t, []string{"apple", "banana", "cherry"}, names(l))
	lines := l.Render()
	require.Len(t, lines, 10)
	for _, line := range lines {
		assert.Equal(t, 40, ansi.StringWidth(line), "%q", line)
	}
	assert.Contains(t, lines[0], "Fruits 3 · by given ↓")
}

func TestListFiltersSortsAndReverses(t *testing.T) {
	l, host, _, _ := newFruitList(t)
	panetest.Run(l, host, l.SetFilter("an"))
	assert.Equal(t, []string{"banana"}, names(l))
	assert.Contains(t, l.Render()[0], "/an")

	cmd, ok := l.HandleKey(panetest.Key("esc"))
	require.True(t, ok, "esc clears the filter first")
	panetest.Run(l, host, cmd)
	assert.Equal(t, []string{"apple", "banana", "cherry"}, names(l))
	_, ok = l.HandleKey(panetest.Key("esc"))
	assert.False(t, ok, "with no filter, esc is the root's: back to the first view")

	cmd, _ = l.HandleKey(panetest.Key("s"))
	panetest.Run(l, host, cmd)
	assert.Equal(t, "Sorted by most.", host.LastFlash())
	assert.Equal(t, []string{"banana", "apple", "cherry"}, names(l))
	cmd, _ = l.HandleKey(panetest.Key("S"))
	panetest.Run(l, host, cmd)
	assert.Equal(t, []string{"cherry", "apple", "banana"}, names(l))

	cmd, _ = l.HandleKey(panetest.Key("s"))
	panetest.Run(l, host, cmd)
	assert.Equal(t, []string{"cherry", "banana", "apple"}, names(l), "the source's order, reversed")
}

func TestListDropsAStaleFilterResult(t *testing.T) {
	l, host, _, _ := newFruitList(t)
	stale := l.SetFilter("ch")
	fresh := l.SetFilter("ap")
	panetest.Run(l, host, fresh)
	panetest.Run(l, host, stale) // arrives last, from an older request
	assert.Equal(t, []string{"apple"}, names(l))
}

func TestListFollowsItsDataAndOpensTheSelectedItem(t *testing.T) {
	l, host, items, opened := newFruitList(t)
	*items = append(*items, fruit{"damson", 2})
	panetest.Run(l, host, l.HandleMsg(pane.Changed{Data: pane.DataWaiting}))
	assert.Len(t, names(l), 3, "not its data")
	panetest.Run(l, host, l.HandleMsg(pane.Changed{Data: pane.DataAgents}))
	assert.Len(t, names(l), 4)

	l.HandleKey(panetest.Key("j"))
	l.HandleKey(panetest.Key("j"))
	l.HandleKey(panetest.Key("enter"))
	assert.Equal(t, []string{"cherry"}, *opened)
	_, ok := l.HandleKey(panetest.Key("/"))
	assert.True(t, ok)
	assert.Equal(t, []pane.LineKind{pane.LineFilter}, host.Lines)
}

func TestCatalogListsSayLoadingUntilTheCatalogArrives(t *testing.T) {
	ctx, host := panetest.New(nil, t0)
	l := New(ctx, Pools)
	l.SetSize(60, 8)
	panetest.Run(l, host, l.HandleMsg(pane.Shown{}))
	assert.Contains(t, ansi.Strip(l.Render()[1]), "Loading…")
	ctx.Catalog = pane.Catalog{Loaded: true, Pools: []api.ProfilePool{{ID: "pool-1", Name: "eu"}}}
	panetest.Run(l, host, l.HandleMsg(pane.Changed{Data: pane.DataCatalog}))
	assert.Contains(t, ansi.Strip(l.Render()[2]), "eu")
}
