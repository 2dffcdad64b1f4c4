// Package lists holds the list views (agents, inbox, profiles, pools): each
// is a Def of the generic List, in a file of its own, plus one line in the
// registry (tui/views.go).
package lists

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Def defines a list view over items of type T.
type Def[T any] struct {
	pane.Info
	Heading string // the frame's title, before the count
	Empty   string // shown when there is nothing to list
	Columns []kit.Column
	// Source returns the items from the Context (captured for the off-loop
	// filter: it must return a slice the root does not modify).
	Source func(*pane.Context) []T
	// Text is what the filter matches an item against.
	Text func(T) string
	// Cells renders an item as table cells (sanitised; styled unless
	// selected, as selection restyles the whole row).
	Cells func(ctx *pane.Context, item T, selected bool) []string
	// Sorts are the orders s cycles through (the first is the default; a
	// nil Less keeps the source's order); S reverses. Sorting runs with the
	// filter, off the event loop.
	Sorts []Sort[T]
	// Open acts on the selected item (enter).
	Open func(ctx *pane.Context, item T) tea.Cmd
	// Act handles the view's own keys (ok: an item is selected).
	Act func(ctx *pane.Context, k tea.KeyPressMsg, item T, ok bool) tea.Cmd
	// Help names the view's own actions for the footer, after open.
	Help func(*keys.KeyMap) []*keys.Action
	// Follows is the shared data the list is built from: it is rebuilt
	// when a Changed notice names it (and when the catalog arrives).
	Follows pane.Data
	// Catalog: say "Loading…" until the catalog arrives.
	Catalog bool
	// Badge is the tab's badge (nil: none).
	Badge func(*pane.Context) string
	// Has says whether an item has a value for an Optional column (by
	// index); such a column is shown while some listed item has one.
	Has func(item T, col int) bool
}

// Sort orders a list's items.
type Sort[T any] struct {
	Name string
	Less func(a, b T) bool
}

// Spec is the registry entry of a list view.
func Spec[T any](d Def[T]) pane.Spec {
	return pane.Spec{Info: d.Info, New: func(ctx *pane.Context) pane.View { return New(ctx, d) }}
}

// List is the view a Def describes: a filterable, sortable table whose
// rows index into the items they were computed from.
type List[T any] struct {
	pane.Info
	def     Def[T]
	ctx     *pane.Context
	table   kit.Table
	filter  string
	toFirst bool // the filter changed: select its first match
	gen     uint64
	data    []T   // the items rows index into
	rows    []int // indices into data, in display order
	sortBy  int
	reverse bool
	focused bool
	w, h    int
}

// New builds the list view of d.
func New[T any](ctx *pane.Context, d Def[T]) *List[T] {
	return &List[T]{Info: d.Info, def: d, ctx: ctx, table: kit.NewTable(d.Columns...)}
}

// filtered carries a list's rows, addressed to it.
type filtered[T any] struct {
	gen   uint64
	data  []T
	rows  []int
	shown []bool // per column: an Optional column some item has
}

// refilter recomputes the rows in a Cmd from the items captured now.
func (l *List[T]) refilter() tea.Cmd {
	l.gen++
	data := l.def.Source(l.ctx)
	gen, pattern, reverse, text, has, cols := l.gen, l.filter, l.reverse, l.def.Text, l.def.Has, l.def.Columns
	var less func(a, b int) bool // over indices into data
	if len(l.def.Sorts) > 0 {
		less = func(a, b int) bool { return a < b } // the source's order
		if by := l.def.Sorts[l.sortBy].Less; by != nil {
			less = func(a, b int) bool { return by(data[a], data[b]) }
		}
	}
	return pane.Send(l.Name, func() tea.Msg {
		rows := make([]int, len(data))
		for i := range rows {
			rows[i] = i
		}
		sub := len(rows)
		if q := kit.ParseQuery(pattern); !q.Empty() {
			rows, sub = q.Filter(rows, func(i int) string { return text(data[i]) }, func(int, string) []string { return nil })
		}
		if less != nil {
			by := less
			if reverse {
				by = func(a, b int) bool { return less(b, a) }
			}
			kit.SortGroups(rows, sub, by) // substring matches first
		}
		return filtered[T]{gen: gen, data: data, rows: rows, shown: optionalShown(cols, data, has)}
	})
}

// HandleMsg implements pane.Pane.
func (l *List[T]) HandleMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case filtered[T]:
		if msg.gen == l.gen {
			l.data, l.rows = msg.data, msg.rows
			l.table.SetLen(len(l.rows))
			for i, on := range msg.shown {
				l.table.Show(i, on)
			}
			if l.toFirst {
				l.toFirst = false
				l.table.SetCursor(0) // the filter changed: its first match
			}
		}
	case pane.Changed:
		if msg.Data&(l.def.Follows|pane.DataCatalog) != 0 {
			return l.refilter()
		}
	case pane.Shown:
		return l.refilter()
	}
	return nil
}

// optionalShown says, per column, whether an Optional column has a value
// in some item (off the loop, with the filter).
func optionalShown[T any](cols []kit.Column, data []T, has func(T, int) bool) []bool {
	if has == nil {
		return nil
	}
	shown := make([]bool, len(cols))
	for i, c := range cols {
		if c.Optional {
			shown[i] = slices.ContainsFunc(data, func(item T) bool { return has(item, i) })
		}
	}
	return shown
}

// Selected is the selected item.
func (l *List[T]) Selected() (T, bool) {
	if len(l.rows) == 0 {
		var zero T
		return zero, false
	}
	return l.data[l.rows[l.table.Cursor()]], true
}

// Rows is the number of rows listed.
func (l *List[T]) Rows() int { return len(l.rows) }

// HandleKey implements pane.Pane.
func (l *List[T]) HandleKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	km := l.ctx.Keys
	if key.Matches(k, km.Back.Binding) {
		if l.filter == "" {
			return nil, false
		}
		l.filter = ""
		return l.refilter(), true
	}
	if mv := kit.Scroll(km, k); mv != kit.NoMotion {
		l.table.Apply(mv)
		return nil, true
	}
	item, ok := l.Selected()
	switch {
	case key.Matches(k, km.Filter.Binding):
		return l.ctx.Host.Line(pane.LineFilter), true
	case key.Matches(k, km.Open.Binding):
		if ok && l.def.Open != nil {
			return l.def.Open(l.ctx, item), true
		}
		return nil, true
	case key.Matches(k, km.Sort.Binding):
		return l.cycleSort(false), true
	case key.Matches(k, km.SortReverse.Binding):
		return l.cycleSort(true), true
	}
	if l.def.Act != nil {
		return l.def.Act(l.ctx, k, item, ok), true
	}
	return nil, true
}

// cycleSort moves the list to its next order (or reverses it).
func (l *List[T]) cycleSort(reverse bool) tea.Cmd {
	if len(l.def.Sorts) == 0 {
		return nil
	}
	if reverse {
		l.reverse = !l.reverse
	} else {
		l.sortBy = (l.sortBy + 1) % len(l.def.Sorts)
		l.ctx.Flash(pane.Note, "Sorted by "+l.def.Sorts[l.sortBy].Name+".")
	}
	return l.refilter()
}

// Filter implements pane.Filterable.
func (l *List[T]) Filter() string { return l.filter }

// SetFilter implements pane.Filterable.
func (l *List[T]) SetFilter(text string) tea.Cmd {
	if text == l.filter {
		return nil
	}
	l.filter, l.toFirst = text, true
	return l.refilter()
}

// Badge implements pane.Badger.
func (l *List[T]) Badge() string {
	if l.def.Badge == nil {
		return ""
	}
	return l.def.Badge(l.ctx)
}

// SetSize implements pane.Pane.
func (l *List[T]) SetSize(w, h int) {
	l.w, l.h = w, h
	l.table.SetSize(w-2, max(h-3, 1))
}

// SetFocused implements pane.Pane.
func (l *List[T]) SetFocused(f bool) { l.focused = f }

// Capturing implements pane.Pane: a list has no text box.
func (l *List[T]) Capturing() bool { return false }

// ShortHelp implements pane.Pane.
func (l *List[T]) ShortHelp() []key.Binding {
	km := l.ctx.Keys
	as := []*keys.Action{km.Open}
	if l.def.Help != nil {
		as = append(as, l.def.Help(km)...)
	}
	as = append(as, km.Filter, km.Sort, km.Command, km.Help, km.Quit)
	return keys.Bindings(as...)
}

// Render implements pane.Pane.
func (l *List[T]) Render() []string {
	st := l.ctx.Styles
	title := fmt.Sprintf("%s %d", l.def.Heading, len(l.rows))
	if l.filter != "" {
		title += " · /" + sanitize.Line(l.filter)
	}
	if s := l.sortTitle(); s != "" {
		title += " · " + s
	}
	if l.def.Catalog && !l.ctx.Catalog.Loaded && len(l.rows) == 0 {
		msg := st.Muted.Render("Loading…")
		if r := l.ctx.Refused(); r != "" {
			msg = st.Err.Render(r)
		}
		return kit.Frame(st, title, kit.PadAll(kit.Wrap(" "+msg, l.w-2), l.w-2), l.w, l.h, true)
	}
	return kit.Frame(st, title, l.renderRows(l.focused), l.w, l.h, true)
}

// sortTitle is the list's order for its title: "by name ↓".
func (l *List[T]) sortTitle() string {
	if len(l.def.Sorts) == 0 {
		return ""
	}
	dir := "↓"
	if l.reverse {
		dir = "↑"
	}
	return "by " + l.def.Sorts[l.sortBy].Name + " " + dir
}

// renderRows draws the visible rows (with the header).
func (l *List[T]) renderRows(focused bool) []string {
	st, t := l.ctx.Styles, &l.table
	if len(l.rows) == 0 {
		msg := l.def.Empty
		if l.filter != "" {
			msg = fmt.Sprintf("Nothing matches %q.", sanitize.Line(l.filter))
		}
		return kit.PadAll([]string{t.Header(st), "", " " + st.Muted.Render(msg)}, t.Width())
	}
	from, to := t.Visible()
	out := []string{t.Header(st)}
	for r := from; r < to; r++ {
		sel := r == t.Cursor()
		line := t.JoinCells(l.def.Cells(l.ctx, l.data[l.rows[r]], sel && focused))
		if sel && focused {
			line = st.Selected.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// Orders used by several lists.

// ByText orders by a text key, ignoring case.
func ByText[T any](k func(T) string) func(a, b T) bool {
	return func(a, b T) bool { return strings.ToLower(k(a)) < strings.ToLower(k(b)) }
}

// ByNewest orders by a time key, newest first.
func ByNewest[T any](k func(T) time.Time) func(a, b T) bool {
	return func(a, b T) bool { return k(a).After(k(b)) }
}

// ByMost orders by a count, largest first.
func ByMost[T any](k func(T) int) func(a, b T) bool {
	return func(a, b T) bool { return k(a) > k(b) }
}
