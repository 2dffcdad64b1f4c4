package kit

import (
	"math"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/internal/keys"
)

// Motion is a list-movement key's meaning, whatever scrolls: a table's
// cursor, a page, a feed.
type Motion int

// Motions.
const (
	NoMotion Motion = iota
	LineUp
	LineDown
	PageUp
	PageDown
	Top
	Bottom
)

// Scroll maps a key to a motion: the one place list-movement keys are read.
func Scroll(km *keys.KeyMap, k tea.KeyPressMsg) Motion {
	for _, m := range [...]struct {
		a  *keys.Action
		mv Motion
	}{{km.Up, LineUp}, {km.Down, LineDown}, {km.PageUp, PageUp}, {km.PageDown, PageDown}, {km.Top, Top}, {km.Bottom, Bottom}} {
		if key.Matches(k, m.a.Binding) {
			return m.mv
		}
	}
	return NoMotion
}

// Page is a read-only page's position: the first line shown.
type Page struct{ offset int }

// Apply moves the page (a page key moves ten lines).
func (p *Page) Apply(mv Motion) {
	switch mv {
	case LineDown:
		p.offset++
	case LineUp:
		p.offset--
	case PageDown:
		p.offset += 10
	case PageUp:
		p.offset -= 10
	case Top:
		p.offset = 0
	case Bottom:
		p.offset = math.MaxInt32
	}
	p.offset = max(p.offset, 0)
}

// Offset is the first line shown.
func (p *Page) Offset() int { return p.offset }

// Window returns the h lines of the page on screen, holding the position
// within the page (so moving back up after overshooting is immediate).
func (p *Page) Window(lines []string, h int) []string {
	p.offset = min(p.offset, max(len(lines)-h, 0))
	return lines[p.offset:min(len(lines), p.offset+h)]
}
