package asteroidsim

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// The simulator counts what it serves by kind, faulted requests included,
// and tells whoever holds the key.
func TestStatsCountRequestsByKind(t *testing.T) {
	st := simhttp.NewStats()
	f := newFixture(t, sim.Config{}, HandlerOptions{Stats: st, Faults: Faults{ErrorRate: 1}})
	for range 2 {
		f.do(http.MethodGet, "/agents/v2/executions?status=paused_by_agent&pageSize=100", nil)
	}
	f.do(http.MethodGet, "/agents/v2/executions/3c90c3cc-0d44-4b50-8888-8dd25736052a/activities?order=desc&limit=20", nil)

	var got simhttp.StatsSnapshot
	f.get(simhttp.StatsPath, http.StatusOK, &got)
	assert.EqualValues(t, 3, got.Total)
	assert.EqualValues(t, 2, got.Requests["GET /agents/v2/executions?status=paused_by_agent"])
	assert.EqualValues(t, 1, got.Requests["GET /agents/v2/executions/{id}/activities?limit=20&order=desc"])

	res := f.do(http.MethodGet, simhttp.StatsPath, nil, "X-Asteroid-Agents-Api-Key", "wrong")
	assert.Equal(t, http.StatusUnauthorized, res.status, "the stats are behind the key")
}
