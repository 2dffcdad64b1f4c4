package asteroid

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestUserContextShapes(t *testing.T) {
	cases := []struct {
		name string
		body string
		want api.UserContext
	}{
		{"wire shape", `{"userId":"u1","email":"ops@example.com","organizations":[{"id":"o1","name":"Acme","role":"admin"},{"id":"o2","name":"Beta"}]}`,
			api.UserContext{UserID: "u1", Email: "ops@example.com", Organizations: []api.Organization{{ID: "o1", Name: "Acme", Role: "admin"}, {ID: "o2", Name: "Beta"}}}},
		{"memberships with organizationId", `{"user":{"id":"u2","email":"a@b.c"},"organizationMemberships":[{"id":"m1","organizationId":"o1","organizationName":"Acme","role":"member"}]}`,
			api.UserContext{UserID: "u2", Email: "a@b.c", Organizations: []api.Organization{{ID: "o1", Name: "Acme", Role: "member"}}}},
		{"memberships with a nested organization", `{"userId":"u3","memberships":[{"id":"m1","role":"owner","organization":{"id":"o9","name":"Nine"}}]}`,
			api.UserContext{UserID: "u3", Organizations: []api.Organization{{ID: "o9", Name: "Nine", Role: "owner"}}}},
		{"duplicates across lists", `{"organizations":[{"id":"o1","name":"Acme"}],"memberships":[{"organizationId":"o1","organizationName":"Acme","role":"admin"}]}`,
			api.UserContext{Organizations: []api.Organization{{ID: "o1", Name: "Acme"}}}},
		{"partly unexpected types", `{"userId":"u4","email":7,"organizations":{"o1":"Acme"},"memberships":[{"organizationId":"o2","organizationName":"Two"}]}`,
			api.UserContext{UserID: "u4", Email: "7", Organizations: []api.Organization{{ID: "o2", Name: "Two"}}}},
		{"unknown shape", `{"whoami":{"sub":"u5"}}`, api.UserContext{}},
		{"not an object", `["o1","o2"]`, api.UserContext{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.json("GET /agents/v2/context", tc.body)
			got, err := f.client().UserContext(context.Background())
			require.NoError(t, err)
			assert.JSONEq(t, tc.body, string(got.Raw), "Raw is kept")
			got.Raw = nil
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestUserContextErrors(t *testing.T) {
	f := newFake(t)
	f.reply("GET /agents/v2/context", http.StatusOK, "text/html", "<html>sign in</html>")
	_, err := f.client().UserContext(context.Background())
	require.ErrorIs(t, err, api.ErrDecode)

	g := newFake(t)
	g.reply("GET /agents/v2/context", http.StatusUnauthorized, "application/json", `{"code":401,"message":"Invalid API key."}`)
	_, err = g.client().UserContext(context.Background())
	require.ErrorIs(t, err, api.ErrUnauthorized)
	assert.Equal(t, "GET /context: unauthorized (HTTP 401): Invalid API key.", err.Error())
}
