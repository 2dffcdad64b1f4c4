package executions

import (
	"time"

	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
)

// addTrends counts each agent's runs over the last hours into its row, and
// returns every agent's together. It runs off the event loop, with the
// rows: one pass over the snapshot.
func addTrends(agents []pane.AgentRow, snap *poller.Snapshot, now time.Time) kit.Trend {
	byID := make(map[string][]int, len(agents)) // agent id → its rows (one per context in a fleet)
	for i, a := range agents {
		byID[a.ID] = append(byID[a.ID], i)
	}
	var all kit.Trend
	for _, e := range snap.Executions {
		all.Add(now, e)
		rows := byID[e.AgentID]
		if len(rows) == 0 {
			continue
		}
		r := rows[0]
		for _, j := range rows {
			if agents[j].Context == e.Context {
				r = j
				break
			}
		}
		agents[r].Trend.Add(now, e)
	}
	return all
}

// agentTrendColumn is the agents pane's sparkline of the last hours, where
// the pane is wide enough (one cell an hour).
var agentTrendColumn = kit.Column{Title: "6H", Width: kit.TrendBuckets, HideBelow: 30}
