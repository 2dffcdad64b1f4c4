package cli

import (
	"fmt"
	"time"
)

// age formats how long ago t was in one unit, k9s style: 45s, 12m, 3h, 5d.
// A zero time is "-".
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := max(now.Sub(t), 0)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	case d < time.Hour:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dd", d/(24*time.Hour))
}

// span formats a duration in two units: 45s, 3m12s, 2h05m, 3d04h. Zero is
// "-".
func span(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", d/time.Minute, d%time.Minute/time.Second)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, d%time.Hour/time.Minute)
	}
	return fmt.Sprintf("%dd%02dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
}

// clock formats a time of day in local time for feeds: 15:04:05, with the
// date when it is not today.
func clock(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	t, now = t.Local(), now.Local()
	if y, m, d := t.Date(); y != now.Year() || m != now.Month() || d != now.Day() {
		return t.Format("Jan 02 15:04")
	}
	return t.Format("15:04:05")
}

// timestamp formats a time for details views: RFC 3339 in local time, and
// how long ago.
func timestamp(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(time.RFC3339) + " (" + age(now, t) + " ago)"
}

// yesNo formats a flag for humans.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
