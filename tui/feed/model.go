package feed

import (
	"strings"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/theme"
)

// Model is one execution's feed: a buffer plus how it is being looked at.
// Its cost per View is the number of lines on screen, whatever the number
// of entries: positions are kept as (entry, line within entry), and only
// entries that are walked over are measured or rendered.
type Model struct {
	Key string // the owner's name for this feed (the execution id)

	buf *Buffer
	ids map[string]uint64 // activity id → seq, for the entries held
	// asked is the agent's latest question in the feed: its "delivered"
	// echo (the same message, action_completed) is not shown again.
	asked string
	st    *theme.Styles
	w, h  int

	follow   bool   // stick to the newest entry
	wrap     bool   // wrap long lines instead of truncating
	times    bool   // show timestamps
	frozen   bool   // paused: new entries are kept but not shown
	frozenAt uint64 // End() when frozen
	final    bool   // the execution ended; no more entries will come
	focused  bool   // draw the cursor

	cursor   uint64 // selected entry
	top      uint64 // first entry on screen
	topLine  int    // first line of it on screen
	expanded map[uint64]bool

	query     string
	matches   []uint64 // seqs matching query, ascending
	searchGen uint64

	cache    map[uint64][]string
	cacheFor renderKey

	tree  *treeView // set when the feed is a span tree (tree.go)
	clock time.Time // for how long open spans have been open
}

type renderKey struct {
	w           int
	wrap, times bool
	query       string
}

// New returns an empty feed keeping about limit entries.
func New(key string, st *theme.Styles, limit int) *Model {
	m := &Model{
		Key:      key,
		st:       st,
		follow:   true,
		times:    true,
		expanded: map[uint64]bool{},
		cache:    map[uint64][]string{},
	}
	m.newBuffer(limit)
	return m
}

func (m *Model) newBuffer(limit int) {
	m.buf = NewBuffer(limit)
	m.ids = map[string]uint64{}
	m.asked = ""
	m.buf.OnEvict = func(e *Entry) { delete(m.ids, e.Act.ID) }
}

// SetSize sets the area the feed draws into.
func (m *Model) SetSize(w, h int) {
	if w == m.w && h == m.h {
		return
	}
	m.w, m.h = max(w, 1), max(h, 1)
	if m.tree != nil {
		m.settleTree()
		return
	}
	m.settle()
}

// SetFocused tells the feed whether it has the keyboard (it then shows its cursor).
func (m *Model) SetFocused(f bool) { m.focused = f }

// Len is the number of entries held (spans, in a tree feed).
func (m *Model) Len() int {
	if m.tree != nil {
		return m.tree.t.Spans()
	}
	return m.buf.Len()
}

// Append adds activities (oldest first). gap marks that some may be missing
// before them.
func (m *Model) Append(acts []api.Activity, gap bool) {
	if m.upsertTree(acts) {
		return // a tree holds every span it was given; no gaps to mark
	}
	start := m.buf.End()
	if gap && m.buf.Len() > 0 {
		m.buf.Append(Entry{Gap: true, Text: "… some activities may be missing here (more arrived than one fetch returns)"})
	}
	for _, a := range acts {
		if a.AgentMessage && a.Kind != api.KindActionStarted && m.asked != "" && strings.TrimSpace(a.Message) == m.asked {
			// The question, reported delivered: it is on screen once,
			// where it was asked.
			continue
		}
		if a.AgentMessage && a.Kind == api.KindActionStarted {
			m.asked = strings.TrimSpace(a.Message)
		}
		if a.ID != "" {
			m.ids[a.ID] = m.buf.End()
		}
		m.buf.Append(FromActivity(a))
	}
	if m.query != "" {
		for seq := max(start, m.buf.First()); seq < m.buf.End(); seq++ {
			if matches(m.buf.At(seq), m.query) {
				m.matches = append(m.matches, seq)
			}
		}
	}
	m.settle()
}

// Reset replaces the content, keeping the viewing options. older marks that
// the platform has activities older than acts that were not loaded.
func (m *Model) Reset(acts []api.Activity, older bool) {
	m.tree = nil
	m.newBuffer(m.buf.limit)
	m.cursor, m.top, m.topLine = 0, 0, 0
	m.follow, m.final = true, false
	m.expanded = map[uint64]bool{}
	m.matches = nil
	m.searchGen++ // a scan of the old content must not land on the new
	m.cache = map[uint64][]string{}
	if older {
		m.buf.Append(Entry{Gap: true, Text: "… older activities are not shown: the platform returns the newest ones"})
	}
	m.Append(acts, false) // matches of the query, if any, are found as entries append
}

// Merge takes a fresh window of the newest activities (oldest first) for a
// feed that already holds some, as when an execution is looked at again: it
// keeps what is held (and where the operator is in it) and appends what is
// new. When the window shares nothing with what is held, some activities in
// between may be missing, and a gap marker says so.
func (m *Model) Merge(acts []api.Activity) {
	if m.tree != nil || m.buf.Len() == 0 {
		m.Append(acts, false)
		return
	}
	known := -1
	for i := len(acts) - 1; i >= 0; i-- {
		if _, ok := m.ids[acts[i].ID]; ok {
			known = i
			break
		}
	}
	fresh := make([]api.Activity, 0, len(acts))
	for _, a := range acts[known+1:] {
		if _, ok := m.ids[a.ID]; !ok {
			fresh = append(fresh, a)
		}
	}
	m.Append(fresh, known < 0 && len(fresh) > 0)
}

// SetFinal records that the execution ended and the feed is complete.
func (m *Model) SetFinal(v bool) { m.final = v }

// end is one past the last entry shown (entries after it are held while frozen).
func (m *Model) end() uint64 {
	if m.frozen {
		return min(m.frozenAt, m.buf.End())
	}
	return m.buf.End()
}

func (m *Model) empty() bool { return m.end() <= m.buf.First() }

func (m *Model) last() uint64 {
	if m.empty() {
		return m.buf.First()
	}
	return m.end() - 1
}

// --- viewing options -------------------------------------------------------

// ToggleFollow switches follow mode; turning it on jumps to the newest entry.
func (m *Model) ToggleFollow() {
	m.follow = !m.follow
	m.resettle()
}

// resettle is settle for either mode.
func (m *Model) resettle() {
	if m.tree != nil {
		m.settleTree()
		return
	}
	m.settle()
}

// ToggleWrap switches between wrapped and truncated lines.
func (m *Model) ToggleWrap() { m.wrap = !m.wrap; m.settle() }

// ToggleTimes shows or hides timestamps.
func (m *Model) ToggleTimes() { m.times = !m.times; m.settle() }

// ToggleFrozen pauses or resumes the display; entries keep arriving in the
// buffer while it is paused.
func (m *Model) ToggleFrozen() {
	m.frozen = !m.frozen
	m.frozenAt = m.buf.End()
	m.resettle()
}

// ToggleExpand shows or hides the raw JSON of the selected entry.
func (m *Model) ToggleExpand() {
	if m.tree != nil {
		m.toggleTreeExpand()
		return
	}
	if m.empty() {
		return
	}
	if m.expanded[m.cursor] {
		delete(m.expanded, m.cursor)
	} else {
		m.expanded[m.cursor] = true
	}
	delete(m.cache, m.cursor)
	m.settle()
}

// Following, Wrapping, Frozen report the options.
func (m *Model) Following() bool { return m.follow }

// Wrapping reports whether lines wrap.
func (m *Model) Wrapping() bool { return m.wrap }

// Frozen reports whether the display is paused.
func (m *Model) Frozen() bool { return m.frozen }

// Held is how many entries arrived while paused.
func (m *Model) Held() int {
	if !m.frozen {
		return 0
	}
	return int(m.buf.End() - m.end())
}

// Final reports whether the execution ended.
func (m *Model) Final() bool { return m.final }

// Selected returns the selected entry.
func (m *Model) Selected() (Entry, bool) {
	if a, ok := m.SelectedSpan(); ok {
		return FromActivity(a), true
	}
	if e := m.buf.At(m.cursor); e != nil && !m.empty() {
		return *e, true
	}
	return Entry{}, false
}

// Activities copies the activities held, oldest first (gap markers left
// out), for an export: O(entries held), on an operator's request only.
func (m *Model) Activities() []api.Activity {
	out := make([]api.Activity, 0, m.buf.Len())
	for seq := m.buf.First(); seq < m.buf.End(); seq++ {
		if e := m.buf.At(seq); !e.Gap {
			out = append(out, e.Act)
		}
	}
	return out
}
