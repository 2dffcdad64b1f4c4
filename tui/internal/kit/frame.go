// Package kit is what every pane draws and acts with: a frame, a windowed
// table, cell fitting, the one scroll mapper, formatting, and the Cmd
// helpers that call the platform or tell the poller. It holds no state of
// its own and knows no view.
package kit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/theme"
)

// Frame draws a rounded box of exactly w×h cells with the title set into
// the top border, as h lines. Body lines must already be exactly w-2 cells
// wide (panes pad them, mostly from caches), so a frame costs no width
// measuring; missing lines are blank, extra ones dropped.
func Frame(st *theme.Styles, title string, lines []string, w, h int, focused bool) []string {
	if w < 4 || h < 2 {
		return nil
	}
	border, titleStyle := st.Border, st.Title
	if focused {
		border, titleStyle = st.BorderFocused, st.TitleFocused
	}
	inner := w - 2
	var b strings.Builder
	b.Grow((w + 1) * h * 2)

	// ╭─ Title ──────╮
	t := ansi.Truncate(title, max(inner-3, 0), "…")
	b.WriteString(border.Render("╭─"))
	rest := inner - 1
	if t != "" {
		b.WriteString(titleStyle.Render(" " + t + " "))
		rest -= ansi.StringWidth(t) + 2
	}
	b.WriteString(border.Render(strings.Repeat("─", max(rest, 0)) + "╮"))

	side := border.Render("│")
	blank := strings.Repeat(" ", inner)
	for i := 0; i < h-2; i++ {
		b.WriteByte('\n')
		b.WriteString(side)
		if i < len(lines) {
			b.WriteString(lines[i])
		} else {
			b.WriteString(blank)
		}
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(border.Render("╰" + strings.Repeat("─", inner) + "╯"))
	// One string, split: the lines share its memory.
	return strings.Split(b.String(), "\n")
}

// JoinColumns puts blocks of lines side by side; each block must already
// have its own fixed width.
func JoinColumns(blocks ...[]string) []string {
	rows, size := 0, 0
	for _, b := range blocks {
		rows = max(rows, len(b))
		for _, l := range b {
			size += len(l)
		}
	}
	var out strings.Builder
	out.Grow(size + rows)
	for r := 0; r < rows; r++ {
		if r > 0 {
			out.WriteByte('\n')
		}
		for _, lines := range blocks {
			if r < len(lines) {
				out.WriteString(lines[r])
			}
		}
	}
	return strings.Split(out.String(), "\n")
}
