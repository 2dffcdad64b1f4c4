package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// Model is one execution's feed: a buffer plus how it is being looked at.
// Its cost per View is the number of lines on screen, whatever the number
// of entries: positions are kept as (entry, line within entry), and only
// entries that are walked over are measured or rendered.
type Model struct {
	Key string // the owner's name for this feed (the execution id)

	buf  *Buffer
	ids  map[string]uint64 // activity id → seq, for the entries held
	st   *theme.Styles
	w, h int

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
	m.buf.OnEvict = func(e *Entry) { delete(m.ids, e.Act.ID) }
}

// SetSize sets the area the feed draws into.
func (m *Model) SetSize(w, h int) {
	if w == m.w && h == m.h {
		return
	}
	m.w, m.h = max(w, 1), max(h, 1)
	m.settle()
}

// SetFocused tells the feed whether it has the keyboard (it then shows its cursor).
func (m *Model) SetFocused(f bool) { m.focused = f }

// Len is the number of entries held.
func (m *Model) Len() int { return m.buf.Len() }

// Append adds activities (oldest first). gap marks that some may be missing
// before them.
func (m *Model) Append(acts []api.Activity, gap bool) {
	start := m.buf.End()
	if gap && m.buf.Len() > 0 {
		m.buf.Append(Entry{Gap: true, Text: "… some activities may be missing here (more arrived than one fetch returns)"})
	}
	for _, a := range acts {
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
	if m.buf.Len() == 0 {
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
	m.settle()
}

// ToggleExpand shows or hides the raw JSON of the selected entry.
func (m *Model) ToggleExpand() {
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
	if e := m.buf.At(m.cursor); e != nil && !m.empty() {
		return *e, true
	}
	return Entry{}, false
}

// --- movement --------------------------------------------------------------

// Down moves the selection one entry down (or scrolls within a tall one).
func (m *Model) Down(n int) {
	for range n {
		if m.cursorBelowView() {
			m.scrollLine()
			continue
		}
		if m.cursor+1 < m.end() {
			m.cursor++
		}
	}
	m.follow = !m.frozen && m.cursor == m.last() && !m.cursorBelowView()
	m.settle()
}

// Up moves the selection one entry up (or scrolls within a tall one).
func (m *Model) Up(n int) {
	m.follow = false
	for range n {
		if m.top == m.cursor && m.topLine > 0 {
			m.topLine--
			continue
		}
		if m.cursor > m.buf.First() {
			m.cursor--
		}
	}
	m.settle()
}

// PageDown and PageUp move by a screenful.
func (m *Model) PageDown() { m.Down(max(m.h-1, 1)) }

// PageUp moves up by a screenful.
func (m *Model) PageUp() { m.Up(max(m.h-1, 1)) }

// Top selects the oldest entry held.
func (m *Model) Top() {
	m.follow = false
	m.cursor, m.top, m.topLine = m.buf.First(), m.buf.First(), 0
	m.settle()
}

// Bottom selects the newest entry and follows.
func (m *Model) Bottom() {
	m.follow = !m.frozen
	m.cursor = m.last()
	m.settle()
}

// cursorBelowView reports whether the selected entry continues below the
// screen (a tall, wrapped or expanded entry).
func (m *Model) cursorBelowView() bool {
	if m.empty() || m.cursor < m.top {
		return false
	}
	lines := -m.topLine
	for seq := m.top; seq <= m.cursor; seq++ {
		lines += m.height(seq)
		if lines > m.h {
			return true
		}
	}
	return false
}

// scrollLine moves the screen down one line.
func (m *Model) scrollLine() {
	m.topLine++
	if m.topLine >= m.height(m.top) && m.top < m.last() {
		m.top, m.topLine = m.top+1, 0
	}
	m.fixTop()
}

// settle re-establishes the invariants after any change: the cursor is held
// and on screen; in follow mode the newest entry is at the bottom.
func (m *Model) settle() {
	if m.empty() {
		m.cursor, m.top, m.topLine = m.buf.First(), m.buf.First(), 0
		return
	}
	if m.follow {
		m.cursor = m.last()
		m.bottomAt(m.cursor, true)
		return
	}
	m.cursor = clamp(m.cursor, m.buf.First(), m.last())
	m.fixTop()
	if m.cursor < m.top || (m.cursor == m.top && m.topLine > 0 && m.height(m.cursor) <= m.h) {
		m.top, m.topLine = m.cursor, 0
		return
	}
	// Is the cursor's first line on screen?
	lines := -m.topLine
	for seq := m.top; seq < m.cursor; seq++ {
		lines += m.height(seq)
		if lines >= m.h {
			m.bottomAt(m.cursor, false)
			return
		}
	}
}

// fixTop keeps the top anchor within the held entries and lines.
func (m *Model) fixTop() {
	m.top = clamp(m.top, m.buf.First(), m.last())
	if h := m.height(m.top); m.topLine >= h {
		m.topLine = max(h-1, 0)
	}
}

// bottomAt scrolls so that the entry seq ends at the bottom of the screen.
// An entry taller than the screen shows its end when tail is set (follow),
// else its start.
func (m *Model) bottomAt(seq uint64, tail bool) {
	need := m.h
	for s := seq; ; s-- {
		h := m.height(s)
		if h >= need {
			m.top, m.topLine = s, h-need
			if s == seq && !tail {
				m.topLine = 0
			}
			return
		}
		need -= h
		if s == m.buf.First() {
			m.top, m.topLine = s, 0
			return
		}
	}
}

func clamp(v, lo, hi uint64) uint64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// --- rendering -------------------------------------------------------------

// View renders the visible lines: exactly h of them, each exactly w wide.
func (m *Model) View() string {
	if m.w < 2 { // the gutter alone fills it
		return m.pad(nil)
	}
	if m.empty() {
		msg := "Waiting for activity…"
		if m.final {
			msg = "No activity recorded."
		}
		return m.pad([]string{fit(" "+m.st.Muted.Render(msg), m.w)})
	}
	out := make([]string, 0, m.h)
	for seq, skip := m.top, m.topLine; seq < m.end() && len(out) < m.h; seq++ {
		lines := m.lines(seq)
		gutter := " "
		if m.focused && seq == m.cursor {
			gutter = m.st.Accent.Render("▌")
		}
		for _, l := range lines[min(skip, len(lines)):] {
			if len(out) == m.h {
				break
			}
			out = append(out, gutter+l)
		}
		skip = 0
	}
	return m.pad(out)
}

func (m *Model) pad(lines []string) string {
	blank := strings.Repeat(" ", m.w)
	for len(lines) < m.h {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) height(seq uint64) int { return len(m.lines(seq)) }

// lines renders an entry (cached until the width or an option changes).
func (m *Model) lines(seq uint64) []string {
	key := renderKey{w: m.w, wrap: m.wrap, times: m.times, query: m.query}
	if key != m.cacheFor || len(m.cache) > 8*m.h+256 {
		m.cache = map[uint64][]string{}
		m.cacheFor = key
	}
	if l, ok := m.cache[seq]; ok {
		return l
	}
	e := m.buf.At(seq)
	if e == nil {
		return []string{""}
	}
	l := m.render(e, m.expanded[seq])
	m.cache[seq] = l
	return l
}

const (
	timeW  = 8 // 15:04:05
	actorW = 5
	kindW  = 6
)

func (m *Model) prefixWidth() int {
	w := actorW + 1 + kindW + 1
	if m.times {
		w += timeW + 1
	}
	return w
}

// render draws one entry as lines without the gutter, each exactly w-1
// cells wide (it is cached, so the padding is measured once).
func (m *Model) render(e *Entry, expanded bool) []string {
	avail := max(m.w-1, 1) // minus the gutter
	lines := m.renderLines(e, expanded, avail)
	for i, l := range lines {
		lines[i] = fit(l, avail)
	}
	return lines
}

func (m *Model) renderLines(e *Entry, expanded bool, avail int) []string {
	if e.Gap {
		return []string{m.st.Warn.Render(ansi.Truncate(e.Text, avail, "…"))}
	}
	a := e.Act
	var prefix strings.Builder
	if m.times {
		ts := "--:--:--"
		if !a.Time.IsZero() {
			ts = a.Time.Local().Format("15:04:05")
		}
		prefix.WriteString(m.st.Muted.Render(ts))
		prefix.WriteByte(' ')
	}
	prefix.WriteString(m.st.Actor(a.Actor).Render(fit(actorLabel(a.Actor), actorW)))
	prefix.WriteByte(' ')
	prefix.WriteString(m.kindStyle(a).Render(fit(kindLabel(a), kindW)))
	prefix.WriteByte(' ')
	pw := m.prefixWidth()
	textW := max(avail-pw, 8)

	text := e.Text
	if m.wrap && e.Body != "" {
		text = e.Body
	}
	style := lipgloss.NewStyle()
	if a.Actor == api.ActorUser || a.AgentMessage {
		style = m.st.Bold
	}
	var out []string
	if !m.wrap {
		out = []string{prefix.String() + m.highlight(ansi.Truncate(text, textW, "…"), style)}
	} else {
		indent := strings.Repeat(" ", pw)
		for i, l := range wrapLines(text, textW) {
			p := indent
			if i == 0 {
				p = prefix.String()
			}
			out = append(out, p+m.highlight(l, style))
		}
	}
	if expanded {
		for _, l := range rawLines(a.Raw) {
			l = "  " + l
			if m.wrap {
				out = append(out, wrapLines(l, avail)...)
			} else {
				out = append(out, m.st.Muted.Render(ansi.Truncate(l, avail, "…")))
			}
		}
	}
	return out
}

func wrapLines(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, strings.Split(ansi.Wrap(para, w, ""), "\n")...)
	}
	return out
}

// rawLines pretty-prints an activity's raw JSON, sanitised line by line.
func rawLines(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return []string{"(no raw JSON)"}
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return []string{sanitize.Line(string(raw))}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = sanitize.Line(l)
		if lead := len(l) - len(strings.TrimLeft(l, " ")); lead > 0 {
			lines[i] = strings.Repeat(" ", lead) + lines[i]
		}
	}
	return lines
}

// highlight styles text and marks case-insensitive matches of the query.
func (m *Model) highlight(text string, style lipgloss.Style) string {
	if m.query == "" {
		return style.Render(text)
	}
	lower, q := strings.ToLower(text), strings.ToLower(m.query)
	if len(lower) != len(text) || !strings.Contains(lower, q) {
		return style.Render(text) // case folding changed byte offsets: no marks
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, q)
		if i < 0 {
			b.WriteString(style.Render(text))
			return b.String()
		}
		b.WriteString(style.Render(text[:i]))
		b.WriteString(m.st.Match.Render(text[i : i+len(q)]))
		text, lower = text[i+len(q):], lower[i+len(q):]
	}
}

func fit(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return ansi.Truncate(s, w, "")
}

func actorLabel(a api.Actor) string {
	switch a {
	case api.ActorUser:
		return "you"
	case api.ActorAgent:
		return "agent"
	}
	return "sys"
}

func kindLabel(a api.Activity) string {
	if a.AgentMessage {
		if a.Kind == api.KindActionStarted {
			return "asks"
		}
		return "sent" // the same message, reported delivered
	}
	switch a.Kind {
	case api.KindActionStarted:
		return "act"
	case api.KindActionCompleted:
		return "done"
	case api.KindActionFailed:
		return "fail"
	case api.KindStatusChanged:
		return "status"
	case api.KindReasoning:
		return "think"
	case api.KindStepStarted, api.KindStepCompleted:
		return "step"
	case api.KindTransitionedNode:
		return "node"
	case api.KindUserMessage:
		return "reply"
	case api.KindFileAdded:
		return "file"
	case api.KindWorkflowUpdated:
		return "flow"
	case api.KindScriptGenerated:
		return "script"
	case api.KindTerminal:
		return "end"
	case api.KindGeneric:
		return "info"
	}
	return sanitize.Line(string(a.Kind))
}

func (m *Model) kindStyle(a api.Activity) lipgloss.Style {
	switch {
	case a.AgentMessage:
		return m.st.Status(api.StatusPausedByAgent)
	case a.Kind == api.KindStatusChanged:
		return m.st.Status(a.Status)
	case a.Kind == api.KindActionFailed:
		return m.st.Err
	case a.Kind == api.KindActionCompleted:
		return m.st.Ok
	case a.Kind == api.KindUserMessage:
		return m.st.ActorUser
	}
	return m.st.Muted
}

// --- search ----------------------------------------------------------------

// SearchResult carries the matches of a background search.
type SearchResult struct {
	Key   string
	Gen   uint64
	Query string
	Seqs  []uint64
}

// SetQuery starts a search (case-insensitive substring) and returns the
// command that scans the entries in the background. An empty query clears it.
func (m *Model) SetQuery(q string) tea.Cmd {
	m.query = q
	m.matches = nil
	m.searchGen++
	if q == "" {
		return nil
	}
	win, key, gen := m.buf.Window(), m.Key, m.searchGen
	return func() tea.Msg {
		var seqs []uint64
		win.Each(func(seq uint64, e *Entry) bool {
			if matches(e, q) {
				seqs = append(seqs, seq)
			}
			return true
		})
		return SearchResult{Key: key, Gen: gen, Query: q, Seqs: seqs}
	}
}

// ApplySearch takes a search result; stale ones (an older query) are ignored.
// It selects the first match at or after the selection.
func (m *Model) ApplySearch(r SearchResult) {
	if r.Gen != m.searchGen || r.Query != m.query {
		return
	}
	// Entries appended since the scan started were matched on append.
	var tail []uint64
	if len(r.Seqs) > 0 {
		last := r.Seqs[len(r.Seqs)-1]
		for _, s := range m.matches {
			if s > last {
				tail = append(tail, s)
			}
		}
	} else {
		tail = m.matches
	}
	m.matches = append(append([]uint64(nil), r.Seqs...), tail...)
	m.jumpMatch(true, true)
}

// Query returns the active search.
func (m *Model) Query() string { return m.query }

// MatchInfo returns the 1-based index of the selected match (0 when the
// selection is not a match) and the number of matches held.
func (m *Model) MatchInfo() (int, int) {
	m.dropEvicted()
	i := sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= m.cursor })
	if i < len(m.matches) && m.matches[i] == m.cursor {
		return i + 1, len(m.matches)
	}
	return 0, len(m.matches)
}

// NextMatch and PrevMatch select the next or previous match, wrapping.
func (m *Model) NextMatch() { m.jumpMatch(true, false) }

// PrevMatch selects the previous match.
func (m *Model) PrevMatch() { m.jumpMatch(false, false) }

func (m *Model) jumpMatch(forward, inclusive bool) {
	m.dropEvicted()
	if len(m.matches) == 0 {
		return
	}
	var target uint64
	if forward {
		i := sort.Search(len(m.matches), func(i int) bool {
			return m.matches[i] > m.cursor || (inclusive && m.matches[i] == m.cursor)
		})
		if i == len(m.matches) {
			i = 0
		}
		target = m.matches[i]
	} else {
		i := sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= m.cursor }) - 1
		if i < 0 {
			i = len(m.matches) - 1
		}
		target = m.matches[i]
	}
	if target >= m.end() {
		return // held while paused
	}
	m.follow = false
	m.cursor = target
	m.settle()
}

func (m *Model) dropEvicted() {
	first := m.buf.First()
	i := sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= first })
	if i > 0 {
		m.matches = m.matches[i:]
	}
}

func matches(e *Entry, q string) bool {
	q = strings.ToLower(q)
	return strings.Contains(strings.ToLower(e.Text), q) ||
		(e.Body != "" && strings.Contains(strings.ToLower(e.Body), q)) ||
		strings.Contains(strings.ToLower(e.Act.ActionName), q)
}

// Status describes the feed's state for its title: "1,204 · follow · wrap".
func (m *Model) Status() string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%d", m.buf.Len()))
	if m.follow {
		parts = append(parts, "follow")
	}
	if m.wrap {
		parts = append(parts, "wrap")
	}
	if m.final {
		parts = append(parts, "ended")
	}
	return strings.Join(parts, " · ")
}
