package kit

import (
	"strings"

	"github.com/agentop/agentop/tui/theme"
)

// Column describes a table column. Fixed columns take Width; flexible ones
// (Flex > 0) share what is left in proportion, never below Min. A column
// with HideBelow is dropped when the table is narrower than that.
type Column struct {
	Title     string
	Width     int
	Flex      int
	Min       int
	Right     bool
	HideBelow int
	// Optional columns are shown only while the table's owner says some
	// row has a value for them (Table.Show).
	Optional bool
}

// Table is a windowed list: it knows the row count, the cursor and which
// rows are on screen; rendering a row is the owner's job, so the cost of a
// frame is the visible rows, never the row count.
type Table struct {
	cols   []Column
	off    []bool // per column: an optional column turned off
	widths []int  // per column for the current width; 0 = hidden
	width  int
	height int // rows on screen (without the header)
	n      int
	cursor int
	offset int
}

// NewTable returns a table of these columns (optional ones off).
func NewTable(cols ...Column) Table {
	off := make([]bool, len(cols))
	for i, c := range cols {
		off[i] = c.Optional
	}
	return Table{cols: cols, off: off}
}

// SetSize lays the columns out for a width and sets the visible rows.
func (t *Table) SetSize(width, height int) {
	t.height = max(height, 1)
	if width != t.width || len(t.widths) != len(t.cols) {
		t.width = width
		t.widths = layoutColumns(t.cols, t.off, width)
	}
	t.clamp()
}

// layoutColumns computes column widths (one space between columns).
func layoutColumns(cols []Column, off []bool, width int) []int {
	widths := make([]int, len(cols))
	shown := make([]bool, len(cols))
	used, flex, n := 0, 0, 0
	for i, c := range cols {
		if c.HideBelow > 0 && width < c.HideBelow || i < len(off) && off[i] {
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

// Show turns an Optional column on or off (a column that is not optional
// is always laid out).
func (t *Table) Show(col int, on bool) {
	if col < 0 || col >= len(t.cols) || !t.cols[col].Optional {
		return
	}
	if t.off[col] != !on {
		t.off[col] = !on
		t.widths = layoutColumns(t.cols, t.off, t.width)
	}
}

// SetLen sets the number of rows, keeping the cursor in range.
func (t *Table) SetLen(n int) {
	t.n = n
	t.clamp()
}

func (t *Table) clamp() {
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

// Apply moves the cursor as a motion says.
func (t *Table) Apply(mv Motion) {
	switch mv {
	case LineUp:
		t.cursor--
	case LineDown:
		t.cursor++
	case PageUp:
		t.cursor -= max(t.height-1, 1)
	case PageDown:
		t.cursor += max(t.height-1, 1)
	case Top:
		t.cursor = 0
	case Bottom:
		t.cursor = t.n - 1
	}
	t.clamp()
}

// SetCursor selects row i (clamped).
func (t *Table) SetCursor(i int) { t.cursor = i; t.clamp() }

// Cursor is the selected row.
func (t *Table) Cursor() int { return t.cursor }

// Offset is the first row on screen.
func (t *Table) Offset() int { return t.offset }

// Len is the number of rows.
func (t *Table) Len() int { return t.n }

// Width is the table's width in cells.
func (t *Table) Width() int { return t.width }

// Height is the number of rows on screen.
func (t *Table) Height() int { return t.height }

// Visible returns the half-open range of rows on screen.
func (t *Table) Visible() (int, int) {
	return t.offset, min(t.offset+t.height, t.n)
}

// Header renders the column titles.
func (t *Table) Header(st *theme.Styles) string {
	cells := make([]string, len(t.cols))
	for i, c := range t.cols {
		cells[i] = c.Title
	}
	return st.TableHeader.Render(t.JoinCells(cells))
}

// JoinCells fits plain or styled cells to the column widths: a row is
// exactly the table's width.
func (t *Table) JoinCells(cells []string) string {
	if len(t.widths) != len(t.cols) {
		t.widths = layoutColumns(t.cols, t.off, t.width)
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
		b.WriteString(FitCell(c, w, t.cols[i].Right))
	}
	// Columns that cannot all fit are cut at the table's edge; a narrower
	// row is padded.
	switch {
	case total > t.width:
		return FitCell(b.String(), t.width, false)
	case total < t.width:
		b.WriteString(strings.Repeat(" ", t.width-total))
	}
	return b.String()
}
