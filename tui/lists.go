package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// listPane is a filterable table over a slice the model holds (agents,
// waiting requests, profiles, pools). The slice is captured when a filter
// runs, so rows always index into the data they were computed from.
type listPane struct {
	title  string
	empty  string // shown when there is nothing to list
	table  table
	filter string
	gen    uint64
	data   any   // the slice rows index into
	rows   []int // indices into data, in display order
	// source captures the current slice and how to get each item's filter
	// text; it must not keep a reference to the model.
	source func(m *Model) (data any, texts func() []string)
	// cells renders item i of data as table cells (sanitised; styled unless
	// selected, as selection restyles the whole row).
	cells func(m *Model, data any, i int, selected bool) []string
	// sorts are the orders s cycles through (the first is the default);
	// S reverses. Sorting runs with the filter, off the event loop.
	sorts   []listSort
	sortBy  int
	reverse bool
}

// listSort orders a list's items (indices into its data).
type listSort struct {
	name string
	less func(data any, a, b int) bool
}

// filterMsg carries a list's filtered rows.
type filterMsg struct {
	view viewID
	gen  uint64
	data any
	rows []int
}

// refilter recomputes a list's rows in a Cmd.
func (m *Model) refilter(v viewID) tea.Cmd {
	lp := m.lists[v]
	if lp == nil {
		return nil
	}
	lp.gen++
	data, texts := lp.source(m)
	gen, pattern, reverse := lp.gen, lp.filter, lp.reverse
	var less func(data any, a, b int) bool
	if len(lp.sorts) > 0 {
		less = lp.sorts[lp.sortBy].less
	}
	return func() tea.Msg {
		t := texts()
		rows := make([]int, len(t))
		for i := range rows {
			rows[i] = i
		}
		if pattern != "" {
			rows = fuzzyFilter(pattern, rows, func(i int) string { return t[i] })
		}
		if less != nil {
			sort.SliceStable(rows, func(a, b int) bool {
				if reverse {
					return less(data, rows[b], rows[a])
				}
				return less(data, rows[a], rows[b])
			})
		}
		return filterMsg{view: v, gen: gen, data: data, rows: rows}
	}
}

// cycleSort moves a list to its next order (or reverses it).
func (m *Model) cycleSort(v viewID, reverse bool) tea.Cmd {
	lp := m.lists[v]
	if lp == nil || len(lp.sorts) == 0 {
		return nil
	}
	if reverse {
		lp.reverse = !lp.reverse
	} else {
		lp.sortBy = (lp.sortBy + 1) % len(lp.sorts)
		m.setFlash(flashInfo, "Sorted by "+lp.sorts[lp.sortBy].name+".")
	}
	return m.refilter(v)
}

// sortTitle is the list's order for its title: "by name ↓".
func (lp *listPane) sortTitle() string {
	if len(lp.sorts) == 0 {
		return ""
	}
	dir := "↓"
	if lp.reverse {
		dir = "↑"
	}
	return "by " + lp.sorts[lp.sortBy].name + " " + dir
}

// Orders used by several lists.
func natural(_ any, a, b int) bool { return a < b }

func byText[T any](key func(T) string) func(any, int, int) bool {
	return func(data any, a, b int) bool {
		d := data.([]T)
		return strings.ToLower(key(d[a])) < strings.ToLower(key(d[b]))
	}
}

func byNewest[T any](key func(T) time.Time) func(any, int, int) bool {
	return func(data any, a, b int) bool {
		d := data.([]T)
		return key(d[a]).After(key(d[b]))
	}
}

func byMost[T any](key func(T) int) func(any, int, int) bool {
	return func(data any, a, b int) bool {
		d := data.([]T)
		return key(d[a]) > key(d[b])
	}
}

func (m *Model) refilterAll() tea.Cmd {
	var cmds []tea.Cmd
	for v := range m.lists {
		cmds = append(cmds, m.refilter(v))
	}
	return tea.Batch(cmds...)
}

func (m *Model) applyFilter(msg filterMsg) {
	lp := m.lists[msg.view]
	if lp == nil || msg.gen != lp.gen {
		return
	}
	lp.data, lp.rows = msg.data, msg.rows
	lp.table.setLen(len(lp.rows))
}

// selectedIndex returns the data index of the selected row.
func (lp *listPane) selectedIndex() (int, bool) {
	if len(lp.rows) == 0 {
		return 0, false
	}
	return lp.rows[lp.table.cursor], true
}

// render draws the list's visible rows (with the header).
func (m *Model) renderList(lp *listPane, focused bool) []string {
	if len(lp.rows) == 0 {
		msg := lp.empty
		if lp.filter != "" {
			msg = fmt.Sprintf("Nothing matches %q.", sanitize.Line(lp.filter))
		}
		return padAll([]string{lp.table.header(m.st), "", " " + m.st.Muted.Render(msg)}, lp.table.width)
	}
	from, to := lp.table.visible()
	out := []string{lp.table.header(m.st)}
	for r := from; r < to; r++ {
		sel := r == lp.table.cursor
		line := lp.table.joinCells(lp.cells(m, lp.data, lp.rows[r], sel && focused))
		if sel && focused {
			line = m.st.Selected.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// initLists defines the list views.
func (m *Model) initLists() {
	m.lists[viewAgents] = &listPane{
		title: "Agents",
		empty: "No agents yet.",
		table: table{cols: []column{
			{Title: "NAME", Flex: 2, Min: 16},
			{Title: "ACTIVE", Width: 6, Right: true},
			{Title: "WAITING", Width: 7, Right: true},
			{Title: "FAILED", Width: 6, Right: true},
			{Title: "RUNS", Width: 5, Right: true},
			{Title: "LAST RUN", Width: 8, Right: true},
			{Title: "DESCRIPTION", Flex: 3, Min: 10, HideBelow: 100},
		}},
		source: func(m *Model) (any, func() []string) {
			rows := m.execs.agents
			return rows, func() []string {
				t := make([]string, len(rows))
				for i, r := range rows {
					t[i] = r.Name + " " + r.ID
				}
				return t
			}
		},
		sorts: []listSort{
			{"attention", natural}, // waiting first, then by name
			{"name", byText(func(r agentRow) string { return r.Name })},
			{"active", byMost(func(r agentRow) int { return r.Stats.Active })},
			{"failed", byMost(func(r agentRow) int { return r.Stats.Failed })},
			{"runs", byMost(func(r agentRow) int { return r.Stats.Total })},
			{"last run", byNewest(func(r agentRow) time.Time { return r.Stats.LastRun })},
		},
		cells: func(m *Model, data any, i int, sel bool) []string {
			r := data.([]agentRow)[i]
			waiting := fmt.Sprint(r.Stats.Waiting)
			if r.Stats.Waiting > 0 && !sel {
				waiting = m.st.Status(api.StatusPausedByAgent).Render(waiting)
			}
			return []string{sanitize.Line(r.Name), fmt.Sprint(r.Stats.Active), waiting, fmt.Sprint(r.Stats.Failed),
				fmt.Sprint(r.Stats.Total), ago(m.now, r.Stats.LastRun), sanitize.Line(r.Description)}
		},
	}
	m.lists[viewInbox] = &listPane{
		title: "Needs you",
		empty: "No agent is waiting for you.",
		table: table{cols: []column{
			{Title: " ", Width: 1},
			{Title: "WAITING", Width: 8, Right: true},
			{Title: "AGENT", Flex: 1, Min: 14},
			{Title: "ID", Width: 8},
			{Title: "QUESTION", Flex: 3, Min: 20},
		}},
		source: func(m *Model) (any, func() []string) {
			var waiting []api.InteractionRequest
			if m.snap != nil {
				waiting = m.snap.Waiting
			}
			return waiting, func() []string {
				t := make([]string, len(waiting))
				for i, w := range waiting {
					t[i] = w.AgentName + " " + w.ExecutionID + " " + w.Question
				}
				return t
			}
		},
		sorts: []listSort{
			{"longest waiting", natural},
			{"agent", byText(func(w api.InteractionRequest) string { return w.AgentName })},
		},
		cells: func(m *Model, data any, i int, sel bool) []string {
			w := data.([]api.InteractionRequest)[i]
			glyph := theme.Glyph(api.StatusPausedByAgent)
			if !sel {
				glyph = m.st.Status(api.StatusPausedByAgent).Render(glyph)
			}
			return []string{glyph, ago(m.now, w.AskedAt), sanitize.Line(w.AgentName), shortID(w.ExecutionID), sanitize.Line(w.Question)}
		},
	}
	m.lists[viewProfiles] = &listPane{
		title: "Profiles",
		empty: "No agent profiles.",
		table: table{cols: []column{
			{Title: "NAME", Flex: 1, Min: 14},
			{Title: "PROXY", Width: 16},
			{Title: "CREDENTIALS", Width: 11, Right: true},
			{Title: "COOKIES", Width: 7, Right: true, HideBelow: 70},
			{Title: "OPTIONS", Width: 22, HideBelow: 90},
			{Title: "UPDATED", Width: 8, Right: true},
			{Title: "DESCRIPTION", Flex: 2, Min: 10, HideBelow: 110},
		}},
		source: func(m *Model) (any, func() []string) {
			ps := m.profiles
			return ps, func() []string {
				t := make([]string, len(ps))
				for i, p := range ps {
					t[i] = p.Name + " " + p.Description + " " + p.ID
				}
				return t
			}
		},
		sorts: []listSort{
			{"name", byText(func(p api.Profile) string { return p.Name })},
			{"updated", byNewest(func(p api.Profile) time.Time { return p.UpdatedAt })},
			{"credentials", byMost(func(p api.Profile) int { return len(p.Credentials) })},
		},
		cells: func(m *Model, data any, i int, sel bool) []string {
			p := data.([]api.Profile)[i]
			return []string{sanitize.Line(p.Name), proxyText(p), fmt.Sprint(len(p.Credentials)), fmt.Sprint(len(p.Cookies)),
				profileOptions(p), ago(m.now, p.UpdatedAt), sanitize.Line(p.Description)}
		},
	}
	m.lists[viewPools] = &listPane{
		title: "Profile pools",
		empty: "No profile pools.",
		table: table{cols: []column{
			{Title: "NAME", Flex: 1, Min: 14},
			{Title: "STRATEGY", Width: 20},
			{Title: "CONCURRENT", Width: 10},
			{Title: "CREATED", Width: 8, Right: true},
			{Title: "ID", Width: 8, HideBelow: 70},
		}},
		source: func(m *Model) (any, func() []string) {
			ps := m.pools
			return ps, func() []string {
				t := make([]string, len(ps))
				for i, p := range ps {
					t[i] = p.Name + " " + p.ID
				}
				return t
			}
		},
		sorts: []listSort{
			{"name", byText(func(p api.ProfilePool) string { return p.Name })},
			{"created", byNewest(func(p api.ProfilePool) time.Time { return p.CreatedAt })},
		},
		cells: func(m *Model, data any, i int, sel bool) []string {
			p := data.([]api.ProfilePool)[i]
			concurrent := "no"
			if p.AllowConcurrentUse {
				concurrent = "yes"
			}
			return []string{sanitize.Line(p.Name), sanitize.Line(p.SelectionStrategy), concurrent, ago(m.now, p.CreatedAt), shortID(p.ID)}
		},
	}
}

func proxyText(p api.Profile) string {
	if p.ProxyType == "" && p.ProxyCountry == "" {
		return "—"
	}
	return sanitize.Line(p.ProxyType + " " + p.ProxyCountry)
}

func profileOptions(p api.Profile) string {
	var opts []string
	if p.CaptchaSolver {
		opts = append(opts, "captcha")
	}
	if p.StickyIP {
		opts = append(opts, "sticky-ip")
	}
	if p.ExtraStealth {
		opts = append(opts, "stealth")
	}
	if len(opts) == 0 {
		return "—"
	}
	out := opts[0]
	for _, o := range opts[1:] {
		out += "," + o
	}
	return out
}
