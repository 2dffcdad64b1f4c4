package api

import "fmt"

// FormatSize renders a byte count for people: 512 B, 2.0 KB, 3.4 MB (1024-
// based). Adapters use it in activity text; the CLI and dashboard in tables.
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTP"[exp])
}
