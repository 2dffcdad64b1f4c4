package feed

import (
	"strconv"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/spantree"
)

// Tree mode: a feed whose entries are spans (they name a parent and a
// state, as Prefactor's do) shows them as a tree instead of a list: indented
// by depth, a subtree folds and unfolds (ToggleFold), enter expands a span
// to its payload, a span that changes is updated in place, and a frame
// costs the rows on screen whatever the number of spans (tui/spantree).

// maxTreeSpans bounds a tree feed; spans past it are counted, not kept.
const maxTreeSpans = 200_000

type treeView struct {
	t       *spantree.Tree
	cursor  int // selected row
	top     int // first row on screen
	dropped int // spans past maxTreeSpans

	// cache holds rendered rows by what they show (the span's revision,
	// depth, fold, payload line, width, and for an open span the second),
	// so a frame renders only the rows that changed.
	cache    map[rowKey]string
	cacheFor int // the width the cache was drawn at
}

type rowKey struct {
	rev          string
	depth, line  int
	folded, kids bool
	payload      bool
	sec          int64 // the clock's second, for spans still open ("open 12s")
}

// isTreeEntry reports whether an activity belongs to a tree feed.
func isTreeEntry(a api.Activity) bool { return a.ParentID != "" || a.State != "" }

// Tree reports whether the feed shows a span tree.
func (m *Model) Tree() bool { return m.tree != nil }

// upsertTree takes activities into tree mode (starting it when the first
// span arrives); it reports whether it did.
func (m *Model) upsertTree(acts []api.Activity) bool {
	if m.tree == nil {
		if !anyTree(acts) {
			return false
		}
		m.tree = &treeView{t: spantree.New()}
	}
	tv := m.tree
	// The selected span stays selected when rows move above it.
	sel := tv.selectedID()
	before := tv.t.Len()
	for _, a := range acts {
		if a.ID == "" {
			continue
		}
		if _, known := tv.t.Get(a.ID); !known && tv.t.Spans() >= maxTreeSpans {
			tv.dropped++
			continue
		}
		tv.t.Upsert(a)
	}
	if sel != "" && !m.follow {
		if i := tv.t.IndexOf(sel); i >= 0 {
			tv.cursor = i
		}
	}
	if tv.t.Len() != before || m.follow {
		m.settleTree()
	}
	return true
}

func anyTree(acts []api.Activity) bool {
	for _, a := range acts {
		if isTreeEntry(a) {
			return true
		}
	}
	return false
}

func (tv *treeView) selectedID() string {
	if rows := tv.t.Rows(tv.cursor, 1); len(rows) == 1 {
		return rows[0].Activity.ID
	}
	return ""
}

// settleTree keeps the cursor on a row and on screen; in follow mode on
// the last row.
func (m *Model) settleTree() {
	tv := m.tree
	n := tv.t.Len()
	if m.follow && !m.frozen {
		tv.cursor = n - 1
	}
	tv.cursor = max(min(tv.cursor, n-1), 0)
	if tv.cursor < tv.top {
		tv.top = tv.cursor
	}
	if tv.cursor >= tv.top+m.h {
		tv.top = tv.cursor - m.h + 1
	}
	tv.top = max(min(tv.top, n-m.h), 0)
}

func (m *Model) treeMove(d int) {
	tv := m.tree
	tv.cursor += d
	m.follow = !m.frozen && tv.cursor >= tv.t.Len()-1
	m.settleTree()
}

// ToggleFold folds or unfolds the selected span's children (tree feeds).
func (m *Model) ToggleFold() {
	if m.tree == nil {
		return
	}
	if id := m.tree.selectedID(); id != "" {
		m.tree.t.Toggle(id)
		m.settleTree()
	}
}

// SelectedSpan is the selected span of a tree feed.
func (m *Model) SelectedSpan() (api.Activity, bool) {
	if m.tree == nil {
		return api.Activity{}, false
	}
	return m.tree.t.Get(m.tree.selectedID())
}

// FoldedSpan reports whether the span with id is folded.
func (m *Model) FoldedSpan(id string) bool { return m.tree != nil && m.tree.t.Folded(id) }

func (m *Model) toggleTreeExpand() {
	tv := m.tree
	rows := tv.t.Rows(tv.cursor, 1)
	if len(rows) == 0 {
		return
	}
	id := rows[0].Activity.ID
	tv.t.Expand(id, !tv.t.Expanded(id))
	tv.cursor = max(tv.t.IndexOf(id), 0) // from a payload line back to its span
	m.settleTree()
}

// treeView renders the visible rows of a tree feed.
func (m *Model) treeLines() []string {
	tv := m.tree
	avail := max(m.w-1, 1)
	rows := tv.t.Rows(tv.top, m.h)
	out := make([]string, 0, m.h)
	now := m.clock
	if tv.cache == nil || tv.cacheFor != avail || len(tv.cache) > 4*m.h+256 {
		tv.cache, tv.cacheFor = map[rowKey]string{}, avail
	}
	for i, r := range rows {
		gutter := " "
		if m.focused && tv.top+i == tv.cursor {
			gutter = m.st.Accent.Render("▌")
		}
		out = append(out, gutter+tv.row(m, r, i, avail, now))
	}
	if tv.dropped > 0 && len(out) < m.h {
		out = append(out, " "+m.st.Warn.Render(fit(ansi.Truncate(
			"… "+strconv.Itoa(tv.dropped)+" more spans are not shown (the feed keeps "+strconv.Itoa(maxTreeSpans)+")", avail, "…"), avail)))
	}
	return out
}

// row renders one visible row, from the cache when nothing it shows changed.
func (tv *treeView) row(m *Model, r spantree.Row, i, avail int, now time.Time) string {
	k := rowKey{rev: r.Activity.Revision(), depth: r.Depth, folded: r.Folded, kids: r.HasChildren, payload: r.Payload}
	if r.Payload {
		k.line = i // payload lines of one span differ by position only
		k.rev += "\x00" + r.Line
	}
	if spantree.Glyph(r.Activity.State) == "●" && r.Activity.Duration == 0 {
		k.sec = now.Unix()
	}
	if s, ok := tv.cache[k]; ok {
		return s
	}
	s := m.treeStyle(r).Render(fit(spantree.Line(r, avail, now), avail))
	tv.cache[k] = s
	return s
}

func (m *Model) treeStyle(r spantree.Row) lipgloss.Style {
	if r.Payload {
		return m.st.Muted
	}
	switch r.Activity.State {
	case "failed":
		return m.st.Err
	case "cancelled", "canceled":
		return m.st.Warn
	case "active", "pending":
		if r.Activity.AgentMessage {
			return m.st.Status(api.StatusPausedByAgent)
		}
		return lipgloss.NewStyle()
	}
	return lipgloss.NewStyle()
}

// SetNow gives the feed the time for "open 12s" on spans still open
// (zero: not shown). The owner calls it from Update with its clock.
func (m *Model) SetNow(t time.Time) { m.clock = t }
