package moderately

import (
	"strings"

	"github.com/agentop/agentop/api"
)

// statusOf maps the platform's status: pending becomes starting; running,
// paused, completed, failed and cancelled keep their words. Anything else is
// kept verbatim (non-terminal). The second result is the platform's own word
// where it differs from the normalised one.
func statusOf(word string) (api.Status, string) {
	w := strings.ToLower(strings.TrimSpace(word))
	switch w {
	case "pending", "queued":
		return api.StatusStarting, w
	case "running", "paused", "completed", "failed", "cancelled":
		return api.Status(w), ""
	case "canceled":
		return api.StatusCancelled, w
	}
	return api.Status(w), ""
}

// wireStatuses maps a status filter to the platform's words; statuses it
// has no word for (paused_by_agent, awaiting_confirmation) are left out.
func wireStatuses(in []api.Status) []string {
	var out []string
	for _, s := range in {
		switch s {
		case api.StatusStarting:
			out = append(out, "pending")
		case api.StatusRunning, api.StatusPaused, api.StatusCompleted, api.StatusFailed, api.StatusCancelled:
			out = append(out, string(s))
		}
	}
	return out
}
