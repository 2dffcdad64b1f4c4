package archastrosim_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
	"github.com/agentop/agentop/api/sim/simhttp"
)

func TestErrorShapesAndAuth(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 3}, archastrosim.HandlerOptions{})
	var flat struct{ Error, Message string }
	r := f.do("GET", "/api/v1/users/me", nil, "x-archastro-api-key", "sk_wrong")
	assert.Equal(t, http.StatusUnauthorized, r.status)
	r.json(t, &flat)
	assert.Equal(t, "invalid_api_key", flat.Error, "auth failures are flat")
	r = f.do("GET", "/api/v1/users/me", nil, "x-archastro-api-key", archastrosim.PublishableKey(f.key))
	assert.Equal(t, http.StatusUnauthorized, r.status, "a pk_ key alone is not enough")
	r = f.do("GET", "/api/v1/users/me", nil, "x-archastro-api-key", archastrosim.PublishableKey(f.key), "Authorization", "Bearer "+archastrosim.JWTFor(f.key))
	assert.Equal(t, http.StatusOK, r.status)

	var nested struct {
		Error struct {
			Code, Message string
			Fields        []struct{ Field, Message string }
		}
	}
	r = f.do("GET", "/api/v1/agents/agi_missing", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	r.json(t, &nested)
	assert.Equal(t, "not_found", nested.Error.Code, "lookups are nested")
	r = f.do("POST", "/api/v1/agent_sessions", map[string]string{"agent": "agi_x"})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	r.json(t, &nested)
	require.Len(t, nested.Error.Fields, 1)
	assert.Equal(t, "instructions", nested.Error.Fields[0].Field)
	r = f.do("GET", "/api/v1/activity_feed?kind[]=bogus", nil)
	assert.Equal(t, http.StatusBadRequest, r.status, "an unknown kind is refused with the accepted values")
	r = f.do("GET", "/api/v1/agent_sessions?status[]=paused", nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
}

func TestFeedCursors(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 3}, archastrosim.HandlerOptions{})
	type page struct {
		Data []struct {
			ID            string `json:"id"`
			SessionRecord string `json:"session_record"`
		}
		BeforeCursor string `json:"before_cursor"`
		AfterCursor  string `json:"after_cursor"`
		HasMore      bool   `json:"has_more"`
	}
	var p1, p2, back page
	f.do("GET", "/api/v1/activity_feed?limit=20", nil).json(t, &p1)
	require.Len(t, p1.Data, 20)
	assert.True(t, p1.HasMore)
	f.do("GET", "/api/v1/activity_feed?limit=20&before_cursor="+p1.BeforeCursor, nil).json(t, &p2)
	require.Len(t, p2.Data, 20)
	seen := map[string]bool{}
	for _, e := range append(p1.Data, p2.Data...) {
		assert.False(t, seen[e.ID], "no entry twice across pages")
		seen[e.ID] = true
	}
	f.do("GET", "/api/v1/activity_feed?limit=20&after_cursor="+p2.AfterCursor, nil).json(t, &back)
	require.Len(t, back.Data, 20)
	assert.Equal(t, p1.Data[0].ID, back.Data[0].ID, "after_cursor pages back to the newer ones")
}

func TestFaults(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 3}, archastrosim.HandlerOptions{Faults: simhttp.Faults{ErrorRate: 1}})
	_, err := f.client().ListAgents(context.Background(), api.AgentQuery{})
	assert.Equal(t, api.KindServer, api.KindOf(err))
	r := f.do("GET", "/api/v1/users/me", nil, "x-archastro-api-key", "sk_wrong")
	assert.Equal(t, http.StatusUnauthorized, r.status, "authentication comes before the faults")
}

func TestStartServes(t *testing.T) {
	srv, err := archastrosim.Start(context.Background(), archastrosim.Config{Addr: "127.0.0.1:0", Sim: sim.Config{Seed: 9, PrivateKey: testKey()}})
	require.NoError(t, err)
	defer srv.Close()
	assert.Equal(t, archastrosim.DemoKey(9), srv.APIKey)
	_, err = archastrosim.Start(context.Background(), archastrosim.Config{Addr: "0.0.0.0:0", AllowRemote: true, Sim: sim.Config{Seed: 9, PrivateKey: testKey()}})
	require.Error(t, err, "the demo key is not served to other machines")
}
