package spantree

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/sanitize"
)

// Glyph is the mark of a span's state.
func Glyph(state string) string {
	switch state {
	case "", "pending", "active":
		return "●"
	case "complete", "completed":
		return "✓"
	case "failed":
		return "✗"
	case "cancelled", "canceled":
		return "⊘"
	}
	return "·"
}

// maxIndent bounds the indentation, so a very deep tree keeps its text.
const maxIndent = 24

// Line renders one row in at most width columns, as plain text (the pane
// styles it): indentation by depth, a fold mark (▾ open, ▸ folded), the
// state, the span's text and, at the right, its duration (or how long it
// has been open). Text from the platform is sanitised.
func Line(r Row, width int, now time.Time) string {
	indent := strings.Repeat(" ", min(2*r.Depth, maxIndent))
	if r.Payload {
		lead := len(r.Line) - len(strings.TrimLeft(r.Line, " ")) // JSON indentation, which Line would drop
		return ansi.Truncate(indent+"    │ "+strings.Repeat(" ", lead)+sanitize.Line(r.Line), width, "…")
	}
	mark := "  "
	switch {
	case r.HasChildren && r.Folded:
		mark = "▸ "
	case r.HasChildren:
		mark = "▾ "
	}
	a := r.Activity
	text := a.Text
	if strings.TrimSpace(text) == "" {
		text = a.ActionName
	}
	left := indent + mark + Glyph(a.State) + " " + sanitize.Line(text)
	right := ""
	switch {
	case a.Duration > 0:
		right = short(a.Duration)
	case (a.State == "active" || a.State == "pending") && !a.Time.IsZero() && now.After(a.Time):
		right = "open " + short(now.Sub(a.Time))
	}
	if right == "" {
		return ansi.Truncate(left, width, "…")
	}
	room := width - ansi.StringWidth(right) - 1
	if room < 8 {
		return ansi.Truncate(left, width, "…")
	}
	left = ansi.Truncate(left, room, "…")
	return left + strings.Repeat(" ", width-ansi.StringWidth(left)-ansi.StringWidth(right)) + right
}

// short is a duration in at most a few characters: 850ms, 4.2s, 3m12s, 2h05m.
func short(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	d = d.Round(time.Minute)
	h := d / time.Hour
	m := (d - h*time.Hour) / time.Minute
	return ansi.Truncate(strings.TrimSuffix(time.Duration(h*time.Hour).String(), "0m0s")+twoDigits(int(m))+"m", 8, "")
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// View renders height rows from offset, each width columns.
func (t *Tree) View(offset, height, width int, now time.Time) []string {
	rows := t.Rows(offset, height)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = Line(r, width, now)
	}
	return out
}
