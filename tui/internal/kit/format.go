package kit

import (
	"fmt"
	"sort"
	"time"

	"github.com/sahilm/fuzzy"

	"github.com/agentop/agentop/tui/sanitize"
)

// ShortID is the first eight characters of an id, as operators quote them
// (sanitised: an id is platform data too).
func ShortID(id string) string {
	r := []rune(sanitize.Line(id))
	if len(r) > 8 {
		r = r[:8]
	}
	return string(r)
}

// Ago renders a time as "12s", "4m", "3h", "2d" before now.
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return CompactDuration(now.Sub(t))
}

// CompactDuration renders a duration in one unit-ish: 45s, 3m12s, 2h05m, 3d4h.
func CompactDuration(d time.Duration) string {
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

// Clock renders a start time: the time of day when today, else the date.
func Clock(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	lt, ln := t.Local(), now.Local()
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04:05")
	}
	return lt.Format("Jan 02")
}

// ErrText renders an error for the screen: one sanitised line.
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return sanitize.Line(err.Error())
}

// FirstNonEmpty returns the first non-empty string.
func FirstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// FuzzyFilter keeps the items whose text fuzzily matches the pattern, in
// their original order. It runs off the event loop.
func FuzzyFilter(pattern string, items []int, text func(int) string) []int {
	src := make(fuzzySource, len(items))
	for k, i := range items {
		src[k] = text(i)
	}
	found := fuzzy.FindFrom(pattern, src)
	keep := make([]int, 0, len(found))
	for _, f := range found {
		keep = append(keep, f.Index)
	}
	sort.Ints(keep)
	out := make([]int, len(keep))
	for k, idx := range keep {
		out[k] = items[idx]
	}
	return out
}

type fuzzySource []string

func (s fuzzySource) String(i int) string { return s[i] }
func (s fuzzySource) Len() int            { return len(s) }
