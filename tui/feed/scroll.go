package feed

// --- movement --------------------------------------------------------------

// Down moves the selection one entry down (or scrolls within a tall one).
func (m *Model) Down(n int) {
	if m.tree != nil {
		m.treeMove(n)
		return
	}
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
	if m.tree != nil {
		m.treeMove(-n)
		return
	}
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
	if m.tree != nil {
		m.tree.cursor, m.tree.top = 0, 0
		m.settleTree()
		return
	}
	m.cursor, m.top, m.topLine = m.buf.First(), m.buf.First(), 0
	m.settle()
}

// Bottom selects the newest entry and follows.
func (m *Model) Bottom() {
	m.follow = !m.frozen
	if m.tree != nil {
		m.tree.cursor = m.tree.t.Len() - 1
		m.settleTree()
		return
	}
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
