package kit_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// FuzzTableAndFrame lays out a table of fuzzed columns (widths, flex,
// minimums, alignment, hiding) at a fuzzed size, fills a row with fuzzed
// (sanitised, as panes do) and styled cells, and frames it: the header and
// every row are exactly the table's width, every frame line exactly the
// frame's, and FitCell and Spread give exactly the width asked. Seeds
// (testdata/fuzz/…) are hostile strings and the text of the recorded wire
// examples. Run longer with
//
//	go test ./tui/internal/kit -run '^$' -fuzz '^FuzzTableAndFrame$' -fuzztime 5m
func FuzzTableAndFrame(f *testing.F) {
	f.Add([]byte{8, 0, 0, 0, 0, 1, 10, 0, 1, 0}, uint16(80), uint8(10), "Bank Statement Exporter", "paused_by_agent", "asks: Which account?")
	f.Fuzz(func(t *testing.T, spec []byte, w uint16, h uint8, a, b, c string) {
		width, height := int(w)%420, 1+int(h)%120
		var cols []kit.Column
		for i := 0; i+4 < len(spec) && len(cols) < 12; i += 5 {
			cols = append(cols, kit.Column{Title: sanitize.Line(a), Width: int(spec[i] % 40), Flex: int(spec[i+1] % 4),
				Min: int(spec[i+2] % 20), Right: spec[i+3]&1 == 1, HideBelow: int(spec[i+4]) * 2})
		}
		if len(cols) == 0 {
			cols = []kit.Column{{Title: sanitize.Line(a), Flex: 1}}
		}
		for _, st := range []*theme.Styles{theme.New(theme.Theme{Name: "none", NoColor: true}), theme.New(defaultTheme(t))} {
			tb := kit.NewTable(cols...)
			tb.SetSize(width, height)
			texts := []string{sanitize.Line(a), st.Status("running").Render(sanitize.Line(b)), sanitize.Line(c)}
			cells := make([]string, len(cols))
			for i := range cells {
				cells[i] = texts[i%len(texts)]
			}
			for what, line := range map[string]string{"header": tb.Header(st), "row": tb.JoinCells(cells)} {
				if got := ansi.StringWidth(line); got != width {
					t.Fatalf("%s is %d wide, not %d: %q", what, got, width, line)
				}
			}
			for _, cw := range []int{0, 1, 2, 7, width} {
				if got := ansi.StringWidth(kit.FitCell(texts[1], cw, cw%2 == 1)); got != cw {
					t.Fatalf("FitCell to %d gave %d", cw, got)
				}
			}
			if width > 0 {
				if got := ansi.StringWidth(kit.Spread(texts[0], texts[2], width)); got != width && ansi.StringWidth(texts[2]) < width {
					t.Fatalf("Spread to %d gave %d", width, got)
				}
			}
			if width >= 4 && height >= 2 {
				body := []string{kit.PadLine(texts[0], width-2), kit.PadLine(texts[2], width-2)}
				lines := kit.Frame(st, sanitize.Line(b), body, width, height, len(a)%2 == 0)
				if len(lines) != height {
					t.Fatalf("a frame of %d lines for a height of %d", len(lines), height)
				}
				for i, l := range lines {
					if got := ansi.StringWidth(l); got != width {
						t.Fatalf("frame line %d is %d wide, not %d: %q", i, got, width, l)
					}
				}
			}
			if strings.ContainsRune(tb.JoinCells(cells), '\n') {
				t.Fatal("a row of several lines")
			}
		}
	})
}

func defaultTheme(t *testing.T) theme.Theme {
	th, err := theme.Lookup("default")
	if err != nil {
		t.Fatal(err)
	}
	return th
}
