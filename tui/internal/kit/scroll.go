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
	switch {
	case key.Matches(k, km.Up.Binding):
		return LineUp
	case key.Matches(k, km.Down.Binding):
		return LineDown
	case key.Matches(k, km.PageUp.Binding):
		return PageUp
	case key.Matches(k, km.PageDown.Binding):
		return PageDown
	case key.Matches(k, km.Top.Binding):
		return Top
	case key.Matches(k, km.Bottom.Binding):
		return Bottom
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

// Window returns the h lines of the page on screen, holding the position
// within the page (so moving back up after overshooting is immediate).
func (p *Page) Window(lines []string, h int) []string {
	p.offset = min(p.offset, max(len(lines)-h, 0))
	return lines[p.offset:min(len(lines), p.offset+h)]
}
