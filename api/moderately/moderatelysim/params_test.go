package moderatelysim

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

// get sends GET path with the key and decodes the answer.
func (f *fixture) get(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

func TestBadParametersGetTheNestedError(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	for path, want := range map[string]string{
		"/agent-executions?statuses=exploding":           "invalid status exploding",
		"/agent-executions?pageSize=101":                 "pageSize must be an integer from 1 to 100",
		"/agent-executions?page_size=0":                  "pageSize must be an integer from 1 to 100",
		"/agent-executions?orderDirection=up":            "orderDirection must be asc or desc",
		"/agents?orderBy=colour":                         "orderBy must be name, createdAt or updatedAt",
		"/agent-configuration-versions?versionNumbers=x": "versionNumbers must be integers",
	} {
		code, body := f.get(t, path)
		assert.Equal(t, http.StatusBadRequest, code, path)
		e, _ := body["error"].(map[string]any)
		require.NotNil(t, e, path)
		assert.Contains(t, e["message"], want, path)
		assert.Equal(t, "VALIDATION_ERROR", e["code"], path)
	}
	code, _ := f.get(t, "/no/such/route")
	assert.Equal(t, http.StatusNotFound, code)
}

func TestFiltersAndPagesInEitherSpelling(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	_, all := f.get(t, "/agent-executions?pageSize=100")
	total := all["pagination"].(map[string]any)["totalItems"].(float64)
	require.Positive(t, total)
	_, done := f.get(t, "/agent-executions?hasAgentOutput=true&page_size=100")
	for _, it := range done["items"].([]any) {
		assert.NotNil(t, it.(map[string]any)["agentOutput"], "hasAgentOutput")
	}
	first := all["items"].([]any)[0].(map[string]any)
	id := first["agentExecutionId"].(string)
	_, one := f.get(t, "/agent-executions?agentExecutionIds="+id)
	assert.Len(t, one["items"], 1)
	_, byVersion := f.get(t, "/agent-executions?agentConfigurationVersionIds="+first["agentConfigurationVersionId"].(string)+"&pageSize=100")
	for _, it := range byVersion["items"].([]any) {
		assert.Equal(t, first["agentConfigurationVersionId"], it.(map[string]any)["agentConfigurationVersionId"])
	}
	_, past := f.get(t, "/agent-executions?page=999")
	assert.Empty(t, past["items"])
	p := past["pagination"].(map[string]any)
	assert.Equal(t, total, p["totalItems"], "the total is the same on every page")
	assert.Equal(t, false, p["hasNextPage"])
	assert.Equal(t, true, p["hasPreviousPage"])
}

// TestAPipelinePageLargerThanTheEnginesIsWhole: pipeline pages go to 1,000
// items (the spec's maximum); the façade reads several of the engine's.
func TestAPipelinePageLargerThanTheEnginesIsWhole(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	p, err := f.e.Agents(api.AgentQuery{Search: "Permit Status Tracker"})
	require.NoError(t, err)
	for range 130 {
		_, err := f.e.Execute(p.Items[0].ID, sim.ExecuteRequest{})
		require.NoError(t, err)
	}
	_, all := f.get(t, "/pipeline-executions?pageSize=1000")
	total := int(all["pagination"].(map[string]any)["totalItems"].(float64))
	require.Greater(t, total, 130)
	assert.Len(t, all["items"], total)
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		_, body := f.get(t, "/pipeline-executions?pageSize=70&page="+itoa(page))
		for _, it := range body["items"].([]any) {
			id := it.(map[string]any)["pipelineExecutionId"].(string)
			assert.False(t, seen[id], "page %d repeats %s", page, id)
			seen[id] = true
		}
	}
	assert.Len(t, seen, min(total, 210))
}

func TestRequestsAreCounted(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	f.get(t, "/agents")
	code, body := f.get(t, simhttp.StatsPath)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, map[string]any{"GET /agents": float64(1)}, body["requests"], "counted by kind, the stats read itself not")
}
