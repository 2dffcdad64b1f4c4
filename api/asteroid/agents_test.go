package asteroid

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestListAgentsReplaysTheDocsExample(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/agents", fixture(t, "agents_page.json"))

	p, err := f.client().ListAgents(context.Background(), api.AgentQuery{
		Page: 2, PageSize: 20, Search: "invoice", SortField: "name", SortDirection: api.SortAsc,
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"organizationId": {testOrg}, "page": {"2"}, "pageSize": {"20"},
		"searchName": {"invoice"}, "sortField": {"name"}, "sortDirection": {"asc"},
	}, f.last().Query)

	assert.Equal(t, 123, p.Page)
	assert.Equal(t, 123, p.PageSize)
	assert.Equal(t, 123, p.Total)
	require.Len(t, p.Items, 1)
	a := p.Items[0]
	assert.Equal(t, docID, a.ID)
	assert.Equal(t, "<string>", a.Name)
	assert.Equal(t, docID, a.OrganizationID)
	assert.True(t, a.CreatedAt.Equal(time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC)))
	assert.Empty(t, a.Description)
	assert.Contains(t, string(a.Raw), `"userId": "`+docID+`"`)
}

func TestListAgentsDefaults(t *testing.T) {
	f := newFake(t)
	f.json("GET /agents/v2/agents", `{"items":[],"page":1,"pageSize":50,"total":0}`)
	_, err := f.client().ListAgents(context.Background(), api.AgentQuery{OrganizationID: "org-2"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"organizationId": {"org-2"}, "page": {"1"}, "pageSize": {"50"}}, f.last().Query)
}

func TestExecuteSendsTheRequest(t *testing.T) {
	f := newFake(t)
	f.reply("POST /agents/v2/agents/{id}/execute", http.StatusAccepted, "application/json", `{"executionId":"exec-1"}`)

	id, err := f.client().Execute(context.Background(), "agent-1", api.ExecuteRequest{
		PoolID:           "pool-1",
		Inputs:           map[string]any{"invoice": "INV-7", "amount": 120},
		Metadata:         map[string]string{"ticket": "T-1"},
		TempFiles:        []api.TempFile{{ID: "tf-1", Name: "input.csv"}},
		Version:          3,
		SharedStorageKey: "team-a",
		SoftTimeoutMins:  15,
	})
	require.NoError(t, err)
	assert.Equal(t, "exec-1", id)
	req := f.last()
	assert.Equal(t, "/agents/v2/agents/agent-1/execute", req.Path)
	assert.JSONEq(t, `{
		"agentProfilePoolId": "pool-1",
		"inputs": {"invoice": "INV-7", "amount": 120},
		"metadata": {"ticket": "T-1"},
		"tempFiles": [{"id": "tf-1", "name": "input.csv"}],
		"version": 3,
		"executionOptions": {"sharedStorageKey": "team-a", "softTimeoutMins": 15}
	}`, string(req.Body))
}

func TestExecuteMinimal(t *testing.T) {
	f := newFake(t)
	f.reply("POST /agents/v2/agents/{id}/execute", http.StatusAccepted, "application/json", `{"execution_id":"exec-v1"}`)
	id, err := f.client().Execute(context.Background(), "agent-1", api.ExecuteRequest{ProfileID: "prof-1"})
	require.NoError(t, err)
	assert.Equal(t, "exec-v1", id, "the v1 spelling of the id is tolerated")
	assert.JSONEq(t, `{"agentProfileId":"prof-1"}`, string(f.last().Body))
}

func TestExecuteRefusesProfileAndPool(t *testing.T) {
	f := newFake(t)
	_, err := f.client().Execute(context.Background(), "agent-1", api.ExecuteRequest{ProfileID: "p", PoolID: "q"})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.True(t, strings.HasPrefix(err.Error(), "POST /agents/{id}/execute: invalid request"))
	assert.Empty(t, f.requests(), "nothing is sent")
}

func TestExecuteWithoutAnIDInTheAnswer(t *testing.T) {
	f := newFake(t)
	f.reply("POST /agents/v2/agents/{id}/execute", http.StatusAccepted, "application/json", `{}`)
	_, err := f.client().Execute(context.Background(), "agent-1", api.ExecuteRequest{})
	require.ErrorIs(t, err, api.ErrDecode)
}
