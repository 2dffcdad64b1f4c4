package feed

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
)

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
