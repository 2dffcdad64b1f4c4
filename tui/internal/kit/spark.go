package kit

import "strings"

// sparkBars are a sparkline's heights, lowest first.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws counts as one cell each, scaled to the largest; an
// empty bucket is "·" (nothing ran), so an idle hour is not a short bar.
func Sparkline(counts []int) string {
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	var b strings.Builder
	for _, c := range counts {
		if c == 0 {
			b.WriteRune('·')
			continue
		}
		b.WriteRune(sparkBars[min((c*len(sparkBars)-1)/top, len(sparkBars)-1)])
	}
	return b.String()
}
