package asteroid

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestPoolsReplayTheDocsExample(t *testing.T) {
	pool := fixture(t, "pool.json")
	f := newFake(t)
	f.json("GET /agents/v2/agent-profile-pools", `{"items":[`+pool+`],"page":1,"pageSize":50,"total":1}`)
	f.json("GET /agents/v2/agent-profile-pools/{id}", pool)
	c := f.client()

	want := api.ProfilePool{
		ID: docID, Name: "<string>", OrganizationID: docID, AllowConcurrentUse: true, SelectionStrategy: "least_recently_used",
		CreatedAt: time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC), UpdatedAt: time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC),
	}
	p, err := c.GetPool(context.Background(), docID)
	require.NoError(t, err)
	assert.Equal(t, "/agents/v2/agent-profile-pools/"+docID, f.last().Path)
	assert.True(t, p.CreatedAt.Equal(want.CreatedAt))
	assert.True(t, p.UpdatedAt.Equal(want.UpdatedAt))
	p.CreatedAt, p.UpdatedAt = want.CreatedAt, want.UpdatedAt
	assert.Equal(t, want, p)

	page, err := c.ListPools(context.Background(), api.PoolQuery{Search: "eu", SortField: "updated_at", SortDirection: api.SortDesc})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"organizationId": {testOrg}, "page": {"1"}, "pageSize": {"50"},
		"searchName": {"eu"}, "sortField": {"updated_at"}, "sortDirection": {"desc"},
	}, f.last().Query)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "least_recently_used", page.Items[0].SelectionStrategy)
	assert.Equal(t, 1, page.Total)
	assert.False(t, page.HasMore())
}

func TestGetPoolNotFound(t *testing.T) {
	f := newFake(t)
	f.reply("GET /agents/v2/agent-profile-pools/{id}", http.StatusNotFound, "application/json", `{"code":404,"message":"Pool not found."}`)
	_, err := f.client().GetPool(context.Background(), "p1")
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Equal(t, "GET /agent-profile-pools/{id}: not found (HTTP 404): Pool not found.", err.Error())
}

func TestCreatePoolSendsTheDocumentedBody(t *testing.T) {
	pool := fixture(t, "pool.json")
	f := newFake(t)
	f.reply("POST /agents/v2/agent-profile-pools", http.StatusCreated, "application/json", pool)
	c := f.client()
	p, err := c.CreatePool(context.Background(), api.PoolInput{Name: "eu-billing", AllowConcurrentUse: true, SelectionStrategy: api.MostRecentlyUsed})
	require.NoError(t, err)
	assert.Equal(t, docID, p.ID)
	assert.JSONEq(t, `{"name":"eu-billing","organizationId":"`+testOrg+`","allowConcurrentUse":true,"selectionStrategy":"most_recently_used"}`,
		string(f.last().Body))
	assert.Equal(t, "application/json", f.last().Header.Get("Content-Type"))

	_, err = c.CreatePool(context.Background(), api.PoolInput{Name: "plain"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"plain","organizationId":"`+testOrg+`"}`, string(f.last().Body), "defaults are the server's")

	n := len(f.requests())
	_, err = c.CreatePool(context.Background(), api.PoolInput{Name: "  "})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
	assert.Len(t, f.requests(), n, "nothing sent")
}

func TestUpdatePoolSendsOnlyWhatChanges(t *testing.T) {
	pool := fixture(t, "pool.json")
	f := newFake(t)
	f.json("PATCH /agents/v2/agent-profile-pools/{id}", pool)
	f.reply("PATCH /agents/v2/agent-profile-pools/taken", http.StatusBadRequest, "application/json",
		`{"code":400,"message":"a pool named \"us-ops\" already exists"}`)
	c := f.client()
	no := false
	_, err := c.UpdatePool(context.Background(), "p1", api.PoolUpdate{AllowConcurrentUse: &no})
	require.NoError(t, err)
	assert.Equal(t, "/agents/v2/agent-profile-pools/p1", f.last().Path)
	assert.JSONEq(t, `{"allowConcurrentUse":false}`, string(f.last().Body))

	name := "us-ops"
	_, err = c.UpdatePool(context.Background(), "taken", api.PoolUpdate{Name: &name})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Contains(t, err.Error(), `a pool named "us-ops" already exists`)

	_, err = c.UpdatePool(context.Background(), "p1", api.PoolUpdate{})
	assert.Equal(t, api.KindInvalid, api.KindOf(err))
}
