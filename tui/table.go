package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/theme"
)

// column describes a table column. Fixed columns take Width; flexible ones
// (Flex > 0) share what is left in proportion, never below Min. A column
// with HideBelow is dropped when the table is narrower than that.
type column struct {
	Title     string
	Width     int
	Flex      int
	Min       int
	Right     bool
	HideBelow int
}

// table is a windowed list: it knows the row count, the cursor and which
// rows are on screen; rendering a row is the owner's job, so the cost of a
// frame is the visible rows, never the row count.
type table struct {
	cols   []column
	widths []int // per column for the current width; 0 = hidden
	width  int
	height int // rows on screen (without the header)
	n      int
	cursor int
	offset int
}

// setSize lays the columns out for a width and sets the visible rows.
func (t *table) setSize(width, height int) {
	t.height = max(height, 1)
	if width != t.width || len(t.widths) != len(t.cols) {
		t.width = width
		t.widths = layoutColumns(t.cols, width)
	}
	t.clamp()
}

// layoutColumns computes column widths (one space between columns).
func layoutColumns(cols []column, width int) []int {
	widths := make([]int, len(cols))
	shown := make([]bool, len(cols))
	used, flex, n := 0, 0, 0
	for i, c := range cols {
		if c.HideBelow > 0 && width < c.HideBelow {
			continue
		}
		shown[i] = true
		n++
		if c.Flex > 0 {
			flex += c.Flex
			widths[i] = max(c.Min, 1)
		} else {
			widths[i] = c.Width
		}
		used += widths[i]
	}
	used += max(n-1, 0) // gaps
	if rest := width - used; rest > 0 && flex > 0 {
		last, given := -1, 0
		for i, c := range cols {
			if shown[i] && c.Flex > 0 {
				extra := rest * c.Flex / flex
				widths[i] += extra
				given += extra
				last = i
			}
		}
		widths[last] += rest - given
	}
	return widths
}

// setLen sets the number of rows, keeping the cursor in range.
func (t *table) setLen(n int) {
	t.n = n
	t.clamp()
}

func (t *table) clamp() {
	if t.cursor >= t.n {
		t.cursor = t.n - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	if t.offset > t.cursor {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	if maxOff := max(t.n-t.height, 0); t.offset > maxOff {
		t.offset = maxOff
	}
	if t.offset < 0 {
		t.offset = 0
	}
}

func (t *table) move(d int) { t.cursor += d; t.clamp() }
func (t *table) top()       { t.cursor = 0; t.clamp() }
func (t *table) bottom()    { t.cursor = t.n - 1; t.clamp() }
func (t *table) pageDown()  { t.move(max(t.height-1, 1)) }
func (t *table) pageUp()    { t.move(-max(t.height-1, 1)) }

// setCursor selects row i (clamped).
func (t *table) setCursor(i int) { t.cursor = i; t.clamp() }

// visible returns the half-open range of rows on screen.
func (t *table) visible() (int, int) {
	return t.offset, min(t.offset+t.height, t.n)
}

// header renders the column titles.
func (t *table) header(st *theme.Styles) string {
	cells := make([]string, len(t.cols))
	for i, c := range t.cols {
		cells[i] = c.Title
	}
	return st.TableHeader.Render(t.joinCells(cells))
}

// joinCells fits plain or styled cells to the column widths.
func (t *table) joinCells(cells []string) string {
	if len(t.widths) != len(t.cols) {
		t.widths = layoutColumns(t.cols, t.width)
	}
	var b strings.Builder
	total := 0
	for i, c := range cells {
		w := t.widths[i]
		if w == 0 {
			continue
		}
		if total > 0 {
			b.WriteByte(' ')
			total++
		}
		total += w
		b.WriteString(fitCell(c, w, t.cols[i].Right))
	}
	// Columns that cannot all fit are cut at the table's edge; a narrower
	// row is padded: either way a row is exactly the table's width.
	switch {
	case total > t.width:
		return fitCell(b.String(), t.width, false)
	case total < t.width:
		b.WriteString(strings.Repeat(" ", t.width-total))
	}
	return b.String()
}

// fitCell truncates or pads a cell to exactly w cells.
func fitCell(s string, w int, right bool) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		// A wide character that did not fit leaves a cell to fill.
		if sw = ansi.StringWidth(s); sw >= w {
			return s
		}
	}
	pad := strings.Repeat(" ", w-sw)
	if right {
		return pad + s
	}
	return s + pad
}

// padLine pads or truncates a (styled) line to exactly w cells.
func padLine(s string, w int) string { return fitCell(s, w, false) }
