package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// frame draws a rounded box of exactly w×h cells with the title set into the
// top border. Body lines must already be exactly w-2 cells wide (pane
// renderers pad them, mostly from caches), so a frame costs no width
// measuring; missing lines are blank, extra ones dropped.
func frame(st *theme.Styles, title string, lines []string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return ""
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
	return b.String()
}

// padAll fits every line to exactly w cells (for the few lines that are
// not built to width).
func padAll(lines []string, w int) []string {
	for i, l := range lines {
		lines[i] = padLine(l, w)
	}
	return lines
}

// joinColumns puts blocks of lines side by side; each block must already
// have its own fixed width.
func joinColumns(blocks ...string) string {
	split := make([][]string, len(blocks))
	rows := 0
	for i, b := range blocks {
		split[i] = strings.Split(b, "\n")
		rows = max(rows, len(split[i]))
	}
	var out strings.Builder
	for r := 0; r < rows; r++ {
		if r > 0 {
			out.WriteByte('\n')
		}
		for _, lines := range split {
			if r < len(lines) {
				out.WriteString(lines[r])
			}
		}
	}
	return out.String()
}

// shortID is the first eight characters of an id, as operators quote them
// (sanitised: an id is platform data too).
func shortID(id string) string {
	r := []rune(sanitize.Line(id))
	if len(r) > 8 {
		r = r[:8]
	}
	return string(r)
}

// ago renders a time as "12s", "4m", "3h", "2d" before now.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return compactDuration(now.Sub(t))
}

// compactDuration renders a duration in one unit-ish: 45s, 3m12s, 2h05m, 3d4h.
func compactDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
	}
	return fmt.Sprintf("%dd", int(d.Hours())/24)
}

// clock renders a start time: the time of day when today, else the date.
func clock(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	lt, ln := t.Local(), now.Local()
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04:05")
	}
	return lt.Format("Jan 02")
}
