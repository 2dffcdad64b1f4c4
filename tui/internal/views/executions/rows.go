package executions

import (
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
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

// rows is the executions table's state. Its rows are indices into the
// snapshot they were built from; they are rebuilt off the event loop.
type rows struct {
	table     kit.Table
	snap      *poller.Snapshot // the snapshot rows index into
	rows      []int
	pos       map[string]int  // execution id → row
	agents    []pane.AgentRow // agents with their counts, for the agents pane and view
	agentsVer uint64          // bumped when agents is replaced
	gen       uint64          // newest rows request
	filter    string
	agentID   string // only this agent's executions ("" all)
	sortBy    sortKey
	reverse   bool
	selID     string // selected execution, kept across rebuilds
	want      string // to select as soon as it is listed (a new execution)
	wantReply bool   // and then open the reply box for it
	toFirst   bool   // the filter changed: select its first match

	cols    []column // the columns shown, for the platform's capabilities
	cache   map[string]cachedRow
	version uint64 // bumped when anything shown in rows changes
}

type cachedRow struct {
	key  rowKey
	text string
}

// rowKey is a rendered row's memo key: what the row's text depends on.
type rowKey struct {
	snap    uint64
	version uint64
	width   int
	sel     bool
	focused bool
	second  int64 // for running rows, whose duration ticks
	marked  bool
}

// newRows builds the table with the columns that apply to the platform:
// a KIND column, say, only where it lists more than one kind of run, a
// CONTEXT column in a fleet.
func newRows(ctx *pane.Context) rows {
	var shown []column
	var cols []kit.Column
	for _, c := range columns {
		if c.show == nil || c.show(ctx) {
			shown = append(shown, c)
			cols = append(cols, c.Column)
		}
	}
	return rows{table: kit.NewTable(cols...), cols: shown, cache: map[string]cachedRow{}, pos: map[string]int{}}
}

// column is a column of the executions table: its layout, its cell, and
// the cell's style on a row that is not selected in the focused table
// (selection restyles the whole row). A new column (a kind, a context, the
// platform's own status word) is one entry here.
type column struct {
	kit.Column
	cell  func(v *View, e api.Execution) string
	style func(st *theme.Styles, e api.Execution) (lipgloss.Style, bool) // false: plain
	show  func(ctx *pane.Context) bool                                   // nil: always
}

var columns = []column{
	{kit.Column{Title: " ", Width: 1}, func(v *View, e api.Execution) string { return markText(v.marks[e.ID]) }, func(st *theme.Styles, _ api.Execution) (lipgloss.Style, bool) {
		return st.Accent, true
	}, nil},
	{kit.Column{Title: " ", Width: 1}, func(_ *View, e api.Execution) string { return theme.Glyph(shownStatus(e)) }, byStatus, nil},
	contextCol,
	{kit.Column{Title: "STATUS", Width: 15, HideBelow: 70}, func(_ *View, e api.Execution) string { return sanitize.Line(e.StatusWord()) }, byStatus, nil},
	{kit.Column{Title: "AGENT", Flex: 2, Min: 12}, func(_ *View, e api.Execution) string { return sanitize.Line(e.AgentName) }, nil, nil},
	{kit.Column{Title: "ID", Width: 8}, func(_ *View, e api.Execution) string { return sanitize.Line(kit.ShortID(e.ID)) }, muted, nil},
	{kit.Column{Title: "KIND", Width: 11, HideBelow: 80}, func(v *View, e api.Execution) string { return sanitize.Line(v.ctx.Caps.KindLabel(e.Kind)) }, nil,
		func(ctx *pane.Context) bool { return len(ctx.Caps.Kinds) > 1 }},
	{kit.Column{Title: "STARTED", Width: 8, HideBelow: 90}, func(v *View, e api.Execution) string { return kit.Clock(v.ctx.Now, e.CreatedAt) }, muted, nil},
	{kit.Column{Title: "DURATION", Width: 8, Right: true}, func(v *View, e api.Execution) string { return kit.CompactDuration(e.Elapsed(v.ctx.Now)) }, nil, nil},
	{kit.Column{Title: "LAST ACTIVITY", Flex: 3, Min: 10}, (*View).lastActivity, func(st *theme.Styles, e api.Execution) (lipgloss.Style, bool) {
		return st.Status(e.Status), e.Status.NeedsHuman()
	}, nil},
	{kit.Column{Title: "PROFILE", Width: 14, HideBelow: 140}, func(_ *View, e api.Execution) string { return sanitize.Line(e.ProfileName) }, nil, nil},
}

// markText is the mark column's cell: ✓ for a marked execution.
func markText(marked bool) string {
	if marked {
		return "✓"
	}
	return " "
}

func byStatus(st *theme.Styles, e api.Execution) (lipgloss.Style, bool) {
	return st.Status(shownStatus(e)), true
}

// shownStatus is the status whose glyph and colour a row shows: a run
// that completed but failed at its task shows as failed (its word stays
// "completed", and its outcome is the last activity).
func shownStatus(e api.Execution) api.Status {
	if e.Status == api.StatusCompleted && e.Result != nil && outcomeFailed(e.Result.Outcome) {
		return api.StatusFailed
	}
	return e.Status
}
func muted(st *theme.Styles, _ api.Execution) (lipgloss.Style, bool) { return st.Muted, true }

// invalidate forgets rendered rows (something they show changed).
func (l *rows) invalidate() { l.version++ }

// rowsMsg carries rebuilt rows.
type rowsMsg struct {
	gen    uint64
	snap   *poller.Snapshot
	rows   []int
	pos    map[string]int
	agents []pane.AgentRow
	agent  int // the agents pane's row of the narrowing agent (0: all)
}

// requestRows rebuilds the rows in a Cmd from values captured now.
func (v *View) requestRows() tea.Cmd {
	snap := v.ctx.Snap
	if snap == nil {
		return nil
	}
	l := &v.rows
	l.gen++
	q := Query{gen: l.gen, Snap: snap, Filter: l.filter, AgentID: l.agentID,
		sortBy: l.sortBy, reverse: l.reverse, Catalog: v.ctx.Catalog.Agents, Now: v.ctx.Now,
		AgentContexts: v.ctx.Catalog.AgentContexts, Contexts: v.contextNames()}
	return pane.Send(Name, func() tea.Msg { return Build(q) })
}

// Query is what a rows rebuild is computed from (captured values).
type Query struct {
	gen     uint64
	Snap    *poller.Snapshot
	Filter  string
	AgentID string
	sortBy  sortKey
	reverse bool
	Catalog []api.Agent
	Now     time.Time
	// AgentContexts is the context of each of Catalog, and Contexts the
	// fleet's contexts in order (both nil outside a fleet).
	AgentContexts, Contexts []string
}

// Build filters and sorts a snapshot's executions. It runs off the event
// loop; its cost grows with the fleet.
func Build(q Query) tea.Msg {
	execs := q.Snap.Executions
	rows := make([]int, 0, len(execs))
	inContext, filter := contextFilter(q.Filter)
	for i, e := range execs {
		if (q.AgentID == "" || e.AgentID == q.AgentID) && inContext(e.Context) {
			rows = append(rows, i)
		}
	}
	sub := len(rows)
	if fq := kit.ParseQuery(filter, filterFields...); !fq.Empty() {
		rows, sub = fq.Filter(rows, func(i int) string { return searchText(execs[i]) }, func(i int, f string) []string { return fieldOf(execs[i], f) })
	}
	base := rowLess(execs, q.sortBy, q.Now)
	less := base
	if q.reverse {
		less = func(a, b int) bool { return base(b, a) }
	}
	kit.SortGroups(rows, sub, less)
	pos := make(map[string]int, len(rows))
	for r, i := range rows {
		pos[execs[i].ID] = r
	}
	agents := agentRows(q.Snap, q.Catalog, q.AgentContexts, q.Contexts, q.Now)
	agent := 0
	for i, a := range agents {
		if q.AgentID != "" && a.ID == q.AgentID {
			agent = i + 1
		}
	}
	return rowsMsg{gen: q.gen, snap: q.Snap, rows: rows, pos: pos, agents: agents, agent: agent}
}

// filterFields are the field terms the executions filter takes
// ("status:running", "!agent:invoice", "label:urgent").
var filterFields = []string{"status", "agent", "label", "id", "profile", "meta", "outcome"}

// fieldOf is an execution's values of a filter field.
func fieldOf(e api.Execution, f string) []string {
	switch f {
	case "status":
		return []string{string(e.Status), e.PlatformStatus}
	case "agent":
		return []string{e.AgentName, e.AgentID}
	case "label":
		out := make([]string, 0, len(e.Labels))
		for _, l := range e.Labels {
			out = append(out, l.Name)
		}
		return out
	case "id":
		return []string{e.ID}
	case "profile":
		return []string{e.ProfileName}
	case "meta":
		out := make([]string, 0, len(e.Metadata))
		for k, v := range e.Metadata {
			out = append(out, k+"="+v)
		}
		return out
	case "outcome":
		if e.Result != nil {
			return []string{e.Result.Outcome}
		}
	}
	return nil
}

// searchText is what the filter matches an execution against.
func searchText(e api.Execution) string {
	return e.AgentName + " " + e.ID + " " + string(e.Status) + " " + e.ProfileName + " " + e.Context
}

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
// with their counts: in a fleet grouped by context (in the fleet's order),
// then by name — the order does not move while the operator looks (those
// waiting stand out by colour and their ASK count).
func agentRows(snap *poller.Snapshot, catalog []api.Agent, agentContexts, contexts []string, now time.Time) []pane.AgentRow {
	hist := agentHistory(snap, now)
	row := func(id, name, desc, context string, st poller.AgentStats) pane.AgentRow {
		h := hist[id]
		if h == nil {
			h = &history{}
		}
		r := pane.AgentRow{ID: id, Name: name, Description: desc, Context: context, Stats: st, Spark: kit.Sparkline(h.ended[:]), OK: -1}
		if h.total > 0 {
			r.OK = h.ok * 100 / h.total
		}
		return r
	}
	rows := make([]pane.AgentRow, 0, len(catalog)+len(snap.PerAgent))
	seen := make(map[string]bool, len(catalog))
	for i, a := range catalog {
		seen[a.ID] = true
		context := ""
		if i < len(agentContexts) {
			context = agentContexts[i]
		}
		r := row(a.ID, a.Name, a.Description, context, snap.PerAgent[a.ID])
		r.Status = a.Status
		rows = append(rows, r)
	}
	for id, st := range snap.PerAgent {
		if !seen[id] {
			rows = append(rows, row(id, st.AgentName, "", st.Context, st))
		}
	}
	order := contextOrder(contexts)
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if x, y := order(a.Context), order(b.Context); x != y {
			return x < y
		}
		if x, y := strings.ToLower(a.Name), strings.ToLower(b.Name); x != y {
			return x < y
		}
		return a.ID < b.ID
	})
	return rows
}

// sparkHours is how many hours the agents pane's sparkline covers.
const sparkHours = 6

// history is an agent's runs that ended in the last sparkHours, by hour.
type history struct {
	ended     [sparkHours]int
	ok, total int
}

// agentHistory counts, per agent, the executions in the snapshot that
// ended in each of the last hours and how many of them succeeded. It runs
// with the rows build, off the event loop (one pass over the snapshot).
func agentHistory(snap *poller.Snapshot, now time.Time) map[string]*history {
	out := map[string]*history{}
	for _, e := range snap.Executions {
		if !e.Status.IsTerminal() {
			continue
		}
		at := e.TerminalAt
		if at.IsZero() {
			at = e.CreatedAt
		}
		ago := now.Sub(at)
		if ago < 0 || ago >= sparkHours*time.Hour {
			continue
		}
		h := out[e.AgentID]
		if h == nil {
			h = &history{}
			out[e.AgentID] = h
		}
		h.ended[sparkHours-1-int(ago/time.Hour)]++
		h.total++
		if e.Status == api.StatusCompleted && shownStatus(e) == api.StatusCompleted {
			h.ok++
		}
	}
	return out
}

// applyRows installs rebuilt rows unless a newer request is pending, and
// publishes the agents with their counts to the other views.
func (v *View) applyRows(msg rowsMsg) tea.Cmd {
	l := &v.rows
	if msg.gen != l.gen {
		return nil
	}
	l.snap, l.rows, l.pos, l.agents = msg.snap, msg.rows, msg.pos, msg.agents
	toFirst := l.toFirst
	defer func() { l.toFirst = toFirst && len(l.rows) == 0 }()
	l.agentsVer++
	v.ctx.Agents = msg.agents
	l.table.SetLen(len(l.rows))
	reply := false
	if r, ok := l.pos[l.want]; ok {
		l.selID, l.want = l.want, ""
		l.table.SetCursor(r)
		reply, l.wantReply = l.wantReply, false
	} else if l.toFirst && len(l.rows) > 0 && v.focus != areaPrompt {
		l.table.SetCursor(0)
	} else if r, ok := l.pos[l.selID]; ok {
		l.table.SetCursor(r)
	} else if v.focus == areaPrompt {
		// The execution being answered left the list (filtered out or
		// gone): the box must not quietly address another one.
		v.setFocus(areaTable)
		v.ctx.Flash(pane.Warn, "The execution you were answering is no longer listed; your draft is kept.")
	}
	v.agentPane.SetLen(len(l.agents) + 1)
	if l.agentID != "" && msg.agent > 0 {
		v.agentPane.SetCursor(msg.agent) // the same agent, wherever it is now
	}
	v.ctx.Host.Broadcast(pane.Changed{Data: pane.DataAgents | pane.DataWaiting})
	cmds := []tea.Cmd{v.selectionChanged(), v.reportVisible()}
	if reply {
		cmds = append(cmds, v.focusReply()) // after the selection moved to it
	}
	return tea.Batch(cmds...)
}

// selectedExec returns the selected execution, newest data first.
func (v *View) selectedExec() (api.Execution, bool) {
	l := &v.rows
	if l.snap == nil || len(l.rows) == 0 {
		return api.Execution{}, false
	}
	e := l.snap.Executions[l.rows[l.table.Cursor()]]
	if fresh, ok := v.ctx.Snap.Get(e.ID); ok {
		return fresh, true
	}
	return e, true
}

// renderRows draws the visible rows of the executions table, from the
// row cache where their memo key is unchanged.
func (v *View) renderRows(width int, focused bool) []string {
	l, snap := &v.rows, v.ctx.Snap
	from, to := l.table.Visible()
	out := make([]string, 0, to-from+1)
	out = append(out, l.table.Header(v.ctx.Styles))
	seqNo := uint64(0)
	if snap != nil {
		seqNo = snap.Seq
	}
	for r := from; r < to; r++ {
		e := l.snap.Executions[l.rows[r]]
		if fresh, ok := snap.Get(e.ID); ok {
			e = fresh
		}
		sel := r == l.table.Cursor()
		key := rowKey{snap: seqNo, version: l.version, width: width, sel: sel, focused: focused, marked: v.marks[e.ID]}
		if !e.Status.IsTerminal() {
			key.second = v.ctx.Now.Unix()
		}
		if c, ok := l.cache[e.ID]; ok && c.key == key {
			out = append(out, c.text)
			continue
		}
		text := v.renderRow(e, sel, focused)
		l.cache[e.ID] = cachedRow{key: key, text: text}
		out = append(out, text)
	}
	if len(l.cache) > 4*l.table.Height()+64 {
		l.cache = map[string]cachedRow{}
	}
	return out
}

func (v *View) renderRow(e api.Execution, sel, focused bool) string {
	st, t := v.ctx.Styles, &v.rows.table
	var buf [16]string // on the stack: a row allocates only its text
	cells := buf[:0]
	cols := v.rows.cols
	for _, c := range cols {
		cells = append(cells, c.cell(v, e))
	}
	if sel && focused {
		return st.Selected.Render(t.JoinCells(cells))
	}
	for i, c := range cols {
		if c.style == nil {
			continue
		}
		if style, ok := c.style(st, e); ok {
			cells[i] = style.Render(cells[i])
		}
	}
	line := t.JoinCells(cells)
	if sel {
		return st.Bold.Render(line)
	}
	return line
}

// lastActivity is the newest thing the execution did: its question while it
// waits, else its latest activity, else (once ended) its result.
func (v *View) lastActivity(e api.Execution) string {
	last := "—"
	if a, ok := v.latest[e.ID]; ok {
		last = sanitize.Line(a.Text)
	}
	if w, ok := v.ctx.Snap.WaitingFor(e.ID); ok {
		last = "asks: " + sanitize.Line(w.Question)
	} else if e.Status.IsTerminal() && e.Result != nil {
		// An ended run shows its outcome, whether or not its last
		// activity has been read: the cell does not flip as data loads.
		last = sanitize.Line(e.Result.Outcome + ": " + e.Result.Reasoning)
	}
	return last
}

// outcomeFailed reports an outcome that is not a success (an execution can
// complete and fail at its task).
func outcomeFailed(outcome string) bool {
	switch strings.ToLower(strings.TrimSpace(outcome)) {
	case "", "success", "succeeded", "ok":
		return false
	}
	return true
}
