package cli

import (
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// gap is the space between two columns.
const gap = 2

// column describes one table column.
type column struct {
	title  string
	flex   bool // gives up width first when the table is too wide (names, messages)
	right  bool // right-aligned (numbers)
	status bool // cells are execution statuses, coloured by the theme
	keep   bool // cut last: ids, which are useless cut
	width  int  // fixed width for streamed tables; 0 lets the content decide
}

// table prints rows in aligned columns that fit a width. Every cell is
// sanitised on the way in: cells hold platform text.
type table struct {
	cols   []column
	rows   [][]string
	width  int
	styles *theme.Styles // nil for plain output
}

// add appends a row; missing cells are empty.
func (t *table) add(cells ...string) { t.rows = append(t.rows, t.row(cells)) }

// row sanitises cells into a row of the table's width.
func (t *table) row(cells []string) []string {
	row := make([]string, len(t.cols))
	for i := range row {
		if i < len(cells) {
			row[i] = sanitize.Line(cells[i])
		}
	}
	return row
}

// render prints the header and the rows.
func (t *table) render(w io.Writer) error {
	natural := make([]int, len(t.cols))
	for i, c := range t.cols {
		natural[i] = ansi.StringWidth(c.title)
		for _, r := range t.rows {
			natural[i] = max(natural[i], ansi.StringWidth(r[i]))
		}
	}
	widths := fit(t.cols, natural, t.width)
	if err := t.writeHeader(w, widths); err != nil {
		return err
	}
	for _, r := range t.rows {
		if err := t.writeRow(w, r, widths); err != nil {
			return err
		}
	}
	return nil
}

// stream returns a function printing one row at a time, for output that
// grows (activities --follow); the header comes with the first row.
// Columns keep their fixed widths and flexible ones share the rest of the
// line.
func (t *table) stream(w io.Writer) func(cells ...string) error {
	natural := make([]int, len(t.cols))
	for i, c := range t.cols {
		natural[i] = max(c.width, ansi.StringWidth(c.title))
		if c.flex {
			natural[i] = t.width
		}
	}
	widths := fit(t.cols, natural, t.width)
	header := false
	return func(cells ...string) error {
		if !header {
			header = true
			if err := t.writeHeader(w, widths); err != nil {
				return err
			}
		}
		return t.writeRow(w, t.row(cells), widths)
	}
}

func (t *table) writeHeader(w io.Writer, widths []int) error {
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
	}
	return t.writeLine(w, titles, widths, true)
}

func (t *table) writeRow(w io.Writer, cells []string, widths []int) error {
	return t.writeLine(w, cells, widths, false)
}

// writeLine cuts, pads and styles each cell, and cuts the whole line to the
// width should the columns not fit even at their narrowest.
func (t *table) writeLine(w io.Writer, cells []string, widths []int, header bool) error {
	var b strings.Builder
	last := len(cells) - 1
	for last > 0 && cells[last] == "" {
		last-- // no trailing padding after the last non-empty cell
	}
	for i := 0; i <= last; i++ {
		c := t.cols[i]
		cell := cut(cells[i], widths[i])
		if pad := widths[i] - ansi.StringWidth(cell); pad > 0 && (i < last || c.right) {
			if c.right {
				cell = strings.Repeat(" ", pad) + cell
			} else {
				cell += strings.Repeat(" ", pad)
			}
		}
		if t.styles != nil {
			switch {
			case header:
				cell = t.styles.TableHeader.Render(cell)
			case c.status:
				cell = t.styles.Status(api.Status(strings.TrimSpace(cells[i]))).Render(cell)
			}
		}
		if i > 0 {
			b.WriteString(strings.Repeat(" ", gap))
		}
		b.WriteString(cell)
	}
	_, err := io.WriteString(w, ansi.Truncate(b.String(), t.width, "…")+"\n")
	return err
}

// cut shortens s to width cells, marking the cut with an ellipsis.
func cut(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// fit shrinks column widths until the row fits total, in this order:
// flexible columns, the rightmost (least important) first, down to 8 cells
// or their title; the other columns but kept ones down to their title;
// every column but kept ones down to one cell; kept ones last. Within a
// step the widest column gives up a cell first.
func fit(cols []column, natural []int, total int) []int {
	w := slices.Clone(natural)
	over := gap*(len(w)-1) - total
	for _, n := range w {
		over += n
	}
	title := func(i int) int { return min(natural[i], ansi.StringWidth(cols[i].title)) }
	for i := len(w) - 1; i >= 0 && over > 0; i-- {
		if cols[i].flex {
			cut := max(min(over, w[i]-max(title(i), min(natural[i], 8))), 0)
			w[i] -= cut
			over -= cut
		}
	}
	shrink := func(eligible func(int) bool, floor func(int) int) {
		for over > 0 {
			best := -1
			for i := range w {
				if eligible(i) && w[i] > floor(i) && (best < 0 || w[i] > w[best]) {
					best = i
				}
			}
			if best < 0 {
				return
			}
			w[best]--
			over--
		}
	}
	loose := func(i int) bool { return !cols[i].keep }
	one := func(int) int { return 1 }
	shrink(loose, title)
	shrink(loose, one)
	shrink(func(int) bool { return true }, one)
	return w
}

// details prints labelled values, one per line, wrapping long values to the
// width. Values are sanitised on the way in.
type details struct {
	rows   []detail
	width  int
	styles *theme.Styles
}

type detail struct {
	label, value string
	status       bool
}

// add appends a one-line value; empty values are left out.
func (d *details) add(label, value string) {
	if value = sanitize.Line(value); value != "" {
		d.rows = append(d.rows, detail{label: label, value: value})
	}
}

// text appends a value that may span lines (a result's reasoning, an agent's
// question); empty values are left out.
func (d *details) text(label, value string) {
	if value = strings.TrimSpace(sanitize.Text(value)); value != "" {
		d.rows = append(d.rows, detail{label: label, value: value})
	}
}

// status appends an execution status, coloured by the theme.
func (d *details) status(label string, s api.Status) {
	if v := sanitize.Line(string(s)); v != "" {
		d.rows = append(d.rows, detail{label: label, value: v, status: true})
	}
}

func (d *details) render(w io.Writer) error {
	labelW := 0
	for _, r := range d.rows {
		labelW = max(labelW, ansi.StringWidth(r.label)+1)
	}
	valueW := max(d.width-labelW-gap, 10)
	indent := strings.Repeat(" ", labelW+gap)
	var b strings.Builder
	for _, r := range d.rows {
		label := r.label
		if label != "" {
			label += ":"
		}
		label += strings.Repeat(" ", labelW-ansi.StringWidth(label)+gap)
		if d.styles != nil {
			label = d.styles.TableHeader.Render(label)
		}
		var lines []string
		for _, l := range strings.Split(r.value, "\n") {
			lines = append(lines, strings.Split(ansi.Wrap(l, valueW, ""), "\n")...)
		}
		for i, l := range lines {
			if d.styles != nil && r.status {
				l = d.styles.Status(api.Status(r.value)).Render(l)
			}
			prefix := indent
			if i == 0 {
				prefix = label
			}
			b.WriteString(ansi.Truncate(strings.TrimRight(prefix+l, " "), d.width, "…"))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printTable renders t, or says on stderr that there is nothing to show.
func (a *app) printTable(w io.Writer, t *table, none string) error {
	if len(t.rows) == 0 {
		a.noticef("%s", none)
		return nil
	}
	return t.render(w)
}
