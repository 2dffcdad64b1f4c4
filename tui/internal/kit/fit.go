package kit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// FitCell truncates or pads a (styled) cell to exactly w cells; right
// aligns it.
func FitCell(s string, w int, right bool) string {
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

// PadLine pads or truncates a (styled) line to exactly w cells.
func PadLine(s string, w int) string { return FitCell(s, w, false) }

// PadAll fits every line to exactly w cells (for the few lines that are not
// built to width).
func PadAll(lines []string, w int) []string {
	for i, l := range lines {
		lines[i] = PadLine(l, w)
	}
	return lines
}

// Wrap wraps a (styled) paragraph to lines of at most w cells, each
// indented by one cell (a message in an empty pane).
func Wrap(s string, w int) []string {
	lines := strings.Split(ansi.Wrap(s, max(w-1, 1), ""), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = " " + lines[i]
	}
	return lines
}

// Spread puts left and right on one line of width w, truncating left first.
func Spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw >= w {
		return ansi.Truncate(right, w, "…")
	}
	left = ansi.Truncate(left, w-rw-1, "…")
	gap := w - ansi.StringWidth(left) - rw
	return left + strings.Repeat(" ", max(gap, 1)) + right
}

// Lines splits a rendered block into lines (a string without newlines is
// one line).
func Lines(s string) []string { return strings.Split(s, "\n") }
