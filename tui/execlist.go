package tui

import (
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/sahilm/fuzzy"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// sortKey is a column the executions can be sorted by.
type sortKey int

const (
	sortStatus sortKey = iota // needs-you first, then running …, newest first within
	sortStarted
	sortAgent
	sortDuration
)

var sortNames = []string{"status", "started", "agent", "duration"}

// execList is the executions table's state. Its rows are indices into the
// snapshot they were built from; they are rebuilt off the event loop.
type execList struct {
	table     table
	snap      *poller.Snapshot // the snapshot rows index into
	rows      []int
	pos       map[string]int // execution id → row
	agents    []agentRow     // agents with their counts, for the agents pane and view
	agentsVer uint64         // bumped when agents is replaced
	gen       uint64         // newest rows request
	filter    string
	agentID   string // only this agent's executions ("" all)
	sortBy    sortKey
	reverse   bool
	selID     string // selected execution, kept across rebuilds
	want      string // to select as soon as it is listed (a new execution)
	wantReply bool   // and then open the reply box for it

	cache   map[string]cachedRow
	version uint64 // bumped when anything shown in rows changes
}

type cachedRow struct {
	key  rowKey
	text string
}

type rowKey struct {
	snap    uint64
	version uint64
	width   int
	sel     bool
	focused bool
	second  int64 // for running rows, whose duration ticks
}

func (l *execList) init() {
	l.table.cols = []column{
		{Title: " ", Width: 1},
		{Title: "STATUS", Width: 15, HideBelow: 70},
		{Title: "AGENT", Flex: 2, Min: 12},
		{Title: "ID", Width: 8},
		{Title: "STARTED", Width: 8, HideBelow: 90},
		{Title: "DURATION", Width: 8, Right: true},
		{Title: "LAST ACTIVITY", Flex: 3, Min: 10},
		{Title: "PROFILE", Width: 14, HideBelow: 140},
	}
	l.cache = map[string]cachedRow{}
	l.pos = map[string]int{}
}

// invalidate forgets rendered rows (something they show changed).
func (l *execList) invalidate() { l.version++ }

// agentRow is one agent with its counts in the current snapshot.
type agentRow struct {
	ID, Name, Description string
	Stats                 poller.AgentStats
}

// rowsMsg carries rebuilt rows.
type rowsMsg struct {
	gen    uint64
	snap   *poller.Snapshot
	rows   []int
	pos    map[string]int
	agents []agentRow
}

// requestRows rebuilds the rows in a Cmd from values captured now.
func (m *Model) requestRows() tea.Cmd {
	if m.snap == nil {
		return nil
	}
	l := &m.execs
	l.gen++
	q := rowQuery{gen: l.gen, snap: m.snap, filter: l.filter, agentID: l.agentID,
		sortBy: l.sortBy, reverse: l.reverse, catalog: m.agents, now: m.now}
	return func() tea.Msg { return buildRows(q) }
}

type rowQuery struct {
	gen     uint64
	snap    *poller.Snapshot
	filter  string
	agentID string
	sortBy  sortKey
	reverse bool
	catalog []api.Agent
	now     time.Time
}

// buildRows filters and sorts a snapshot's executions. It runs off the event
// loop; its cost grows with the fleet.
func buildRows(q rowQuery) rowsMsg {
	execs := q.snap.Executions
	rows := make([]int, 0, len(execs))
	for i, e := range execs {
		if q.agentID == "" || e.AgentID == q.agentID {
			rows = append(rows, i)
		}
	}
	if q.filter != "" {
		rows = fuzzyFilter(q.filter, rows, func(i int) string { return searchText(execs[i]) })
	}
	less := rowLess(execs, q.sortBy, q.now)
	sort.SliceStable(rows, func(a, b int) bool {
		if q.reverse {
			return less(rows[b], rows[a])
		}
		return less(rows[a], rows[b])
	})
	pos := make(map[string]int, len(rows))
	for r, i := range rows {
		pos[execs[i].ID] = r
	}
	return rowsMsg{gen: q.gen, snap: q.snap, rows: rows, pos: pos, agents: agentRows(q.snap, q.catalog)}
}

// searchText is what the filter matches an execution against.
func searchText(e api.Execution) string {
	return e.AgentName + " " + e.ID + " " + string(e.Status) + " " + e.ProfileName
}

// fuzzyFilter keeps the items whose text fuzzily matches the pattern, in
// their original order.
func fuzzyFilter(pattern string, items []int, text func(int) string) []int {
	src := make(fuzzySource, len(items))
	for k, i := range items {
		src[k] = text(i)
	}
	found := fuzzy.FindFrom(pattern, src)
	keep := make([]int, 0, len(found))
	for _, f := range found {
		keep = append(keep, f.Index)
	}
	sort.Ints(keep)
	out := make([]int, len(keep))
	for k, idx := range keep {
		out[k] = items[idx]
	}
	return out
}

type fuzzySource []string

func (s fuzzySource) String(i int) string { return s[i] }
func (s fuzzySource) Len() int            { return len(s) }

// statusRank orders statuses by how much they need an operator.
var statusRank = map[api.Status]int{
	api.StatusPausedByAgent: 0, api.StatusAwaitingConfirmation: 1, api.StatusRunning: 2,
	api.StatusStarting: 3, api.StatusPaused: 4, api.StatusFailed: 5, api.StatusCompleted: 6,
	api.StatusCancelled: 7,
}

func rank(s api.Status) int {
	if r, ok := statusRank[s]; ok {
		return r
	}
	return 3 // unknown: with the active ones
}

// rowLess orders by the sort key, then newest first. Snapshot order is
// already newest first, so equal keys keep it.
func rowLess(execs []api.Execution, by sortKey, now time.Time) func(a, b int) bool {
	switch by {
	case sortStarted:
		return func(a, b int) bool { return a < b }
	case sortAgent:
		return func(a, b int) bool {
			x, y := strings.ToLower(execs[a].AgentName), strings.ToLower(execs[b].AgentName)
			if x != y {
				return x < y
			}
			return a < b
		}
	case sortDuration:
		return func(a, b int) bool {
			x, y := execs[a].Elapsed(now), execs[b].Elapsed(now)
			if x != y {
				return x > y
			}
			return a < b
		}
	}
	return func(a, b int) bool {
		x, y := rank(execs[a].Status), rank(execs[b].Status)
		if x != y {
			return x < y
		}
		if x <= statusRank[api.StatusAwaitingConfirmation] {
			return a > b // waiting for a human: the longest-waiting first
		}
		return a < b
	}
}

// agentRows lists the catalog's agents (and any only seen on executions)
// with their counts: agents needing someone first, then by name.
func agentRows(snap *poller.Snapshot, catalog []api.Agent) []agentRow {
	rows := make([]agentRow, 0, len(catalog)+len(snap.PerAgent))
	seen := make(map[string]bool, len(catalog))
	for _, a := range catalog {
		seen[a.ID] = true
		rows = append(rows, agentRow{ID: a.ID, Name: a.Name, Description: a.Description, Stats: snap.PerAgent[a.ID]})
	}
	for id, st := range snap.PerAgent {
		if !seen[id] {
			rows = append(rows, agentRow{ID: id, Name: st.AgentName, Stats: st})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.Stats.Waiting > 0) != (b.Stats.Waiting > 0) {
			return a.Stats.Waiting > 0
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
	return rows
}

// applyRows installs rebuilt rows unless a newer request is pending.
func (m *Model) applyRows(msg rowsMsg) tea.Cmd {
	l := &m.execs
	if msg.gen != l.gen {
		return nil
	}
	l.snap, l.rows, l.pos, l.agents = msg.snap, msg.rows, msg.pos, msg.agents
	l.agentsVer++
	l.table.setLen(len(l.rows))
	reply := false
	if r, ok := l.pos[l.want]; ok {
		l.selID, l.want = l.want, ""
		l.table.setCursor(r)
		reply, l.wantReply = l.wantReply, false
	} else if r, ok := l.pos[l.selID]; ok {
		l.table.setCursor(r)
	} else if m.focus == panePrompt {
		// The execution being answered left the list (filtered out or
		// gone): the box must not quietly address another one.
		m.focus = paneTable
		m.reply.ta.Blur()
		m.setFlash(flashWarn, "The execution you were answering is no longer listed; your draft is kept.")
	}
	m.agentPane.setLen(len(l.agents) + 1)
	cmds := []tea.Cmd{m.refilter(viewAgents), m.refilter(viewInbox), m.selectionChanged(), m.reportVisible()}
	if reply {
		cmds = append(cmds, m.focusReply()) // after the selection moved to it
	}
	return tea.Batch(cmds...)
}

// selectedExec returns the selected execution, newest data first.
func (m *Model) selectedExec() (api.Execution, bool) {
	l := &m.execs
	if l.snap == nil || len(l.rows) == 0 {
		return api.Execution{}, false
	}
	e := l.snap.Executions[l.rows[l.table.cursor]]
	if fresh, ok := m.snap.Get(e.ID); ok {
		return fresh, true
	}
	return e, true
}

// renderExecRows draws the visible rows of the executions table.
func (m *Model) renderExecRows(width int, focused bool) []string {
	l := &m.execs
	from, to := l.table.visible()
	out := make([]string, 0, to-from+1)
	out = append(out, l.table.header(m.st))
	seqNo := uint64(0)
	if m.snap != nil {
		seqNo = m.snap.Seq
	}
	for r := from; r < to; r++ {
		e := l.snap.Executions[l.rows[r]]
		if fresh, ok := m.snap.Get(e.ID); ok {
			e = fresh
		}
		sel := r == l.table.cursor
		key := rowKey{snap: seqNo, version: l.version, width: width, sel: sel, focused: focused}
		if !e.Status.IsTerminal() {
			key.second = m.now.Unix()
		}
		if c, ok := l.cache[e.ID]; ok && c.key == key {
			out = append(out, c.text)
			continue
		}
		text := m.renderExecRow(e, sel, focused)
		l.cache[e.ID] = cachedRow{key: key, text: text}
		out = append(out, text)
	}
	if len(l.cache) > 4*l.table.height+64 {
		l.cache = map[string]cachedRow{}
	}
	return out
}

func (m *Model) renderExecRow(e api.Execution, sel, focused bool) string {
	st := m.st
	statusStyle := st.Status(e.Status)
	last := "—"
	if a, ok := m.latest[e.ID]; ok {
		last = sanitize.Line(a.Text)
	}
	if w, ok := m.snap.WaitingFor(e.ID); ok {
		last = "asks: " + sanitize.Line(w.Question)
	} else if e.Status.IsTerminal() && e.Result != nil && last == "—" {
		last = sanitize.Line(e.Result.Outcome + ": " + e.Result.Reasoning)
	}
	cells := []string{
		theme.Glyph(e.Status),
		sanitize.Line(string(e.Status)),
		sanitize.Line(e.AgentName),
		sanitize.Line(shortID(e.ID)),
		clock(m.now, e.CreatedAt),
		compactDuration(e.Elapsed(m.now)),
		last,
		sanitize.Line(e.ProfileName),
	}
	if sel && focused {
		return st.Selected.Render(m.execs.table.joinCells(cells))
	}
	cells[0] = statusStyle.Render(cells[0])
	cells[1] = statusStyle.Render(cells[1])
	cells[3] = st.Muted.Render(cells[3])
	cells[4] = st.Muted.Render(cells[4])
	if e.Status.NeedsHuman() {
		cells[6] = st.Status(e.Status).Render(cells[6])
	}
	line := m.execs.table.joinCells(cells)
	if sel {
		return st.Bold.Render(line)
	}
	return line
}
