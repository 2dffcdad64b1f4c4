package simhttp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyNamesTheKindOfRequest(t *testing.T) {
	for url, want := range map[string]string{
		"/agents/v2/executions?page=2&pageSize=100&status=running&status=paused_by_agent&organizationId=x": "GET /agents/v2/executions?status=paused_by_agent%2Crunning",
		"/agents/v2/executions/3c90c3cc-0d44-4b50-8888-8dd25736052a/activities?order=desc&limit=20":        "GET /agents/v2/executions/{id}/activities?limit=20&order=desc",
		"/agents/v2/executions?createdAfter=2026-01-01T00:00:00Z&sortField=created_at":                     "GET /agents/v2/executions?createdAfter&sortField=created_at",
		"/agents/v2/agent-profile-pools":     "GET /agents/v2/agent-profile-pools",
		"/api/v1/credentials/public_key":     "GET /api/v1/credentials/public_key",
		"/api/v1/execution/exec-42_a/status": "GET /api/v1/execution/{id}/status",
	} {
		assert.Equal(t, want, Key(httptest.NewRequest(http.MethodGet, url, nil)), url)
	}
}

func TestCountedServesTheCounts(t *testing.T) {
	st := NewStats()
	h := Counted(st, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/agents/v2/executions?status=running", nil))
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/agents/v2/executions/3c90c3cc-0d44-4b50-8888-8dd25736052a/status", nil))
	before := st.Snapshot()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, StatsPath, nil))
	require.Equal(t, http.StatusOK, rec.Code)
	var got StatsSnapshot
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.EqualValues(t, 4, got.Total, "the stats request itself is not counted")
	assert.EqualValues(t, 3, got.Requests["GET /agents/v2/executions?status=running"])
	assert.EqualValues(t, 1, got.Requests["POST /agents/v2/executions/{id}/status"])

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/agents/v2/executions?status=running", nil))
	d := st.Snapshot().Sub(before)
	assert.EqualValues(t, 1, d.Total)
	assert.Equal(t, map[string]int64{"GET /agents/v2/executions?status=running": 1}, d.Requests)
	st.Reset()
	assert.Zero(t, st.Snapshot().Total)
}
