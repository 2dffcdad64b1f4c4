package platform

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// TestEveryPlatformIsComplete: every registered platform has what the CLI
// and the demo need, and its simulator answers its own client over HTTP.
func TestEveryPlatformIsComplete(t *testing.T) {
	require.NotEmpty(t, All())
	seen := map[string]bool{}
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			assert.False(t, seen[s.Name], "registered twice")
			seen[s.Name] = true
			assert.NotEmpty(t, s.Title)
			assert.NotEmpty(t, s.DefaultBaseURL)
			assert.NotEmpty(t, s.Env.APIKey)
			assert.NotEmpty(t, s.Env.BaseURL)
			require.NotNil(t, s.New)
			require.NotNil(t, s.Simulate)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv, err := s.Simulate(ctx, SimConfig{})
			require.NoError(t, err)
			defer srv.Close()
			o := srv.Extra
			o.BaseURL, o.APIKey = srv.URL, srv.APIKey
			be, err := s.New(o)
			require.NoError(t, err)
			assert.Equal(t, s.Name, be.Platform())
			page, err := be.ListAgents(ctx, api.AgentQuery{})
			require.NoError(t, err)
			assert.NotEmpty(t, page.Items, "the simulator serves its agents to the client")
			assert.Contains(t, s.Export(srv), s.Env.APIKey+"="+srv.APIKey)

			// --demo finds a running agentop sim by its health check and
			// the default seed's demo key.
			if s.SimHealth != "" {
				require.NotNil(t, s.DemoKey, "SimHealth without DemoKey")
				resp, err := http.Get(srv.URL + s.SimHealth)
				require.NoError(t, err)
				_ = resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode, "the health check needs no key")
				assert.Equal(t, s.DemoKey(0), srv.APIKey, "seed 0's demo key")
			}
		})
	}
}

func TestLookup(t *testing.T) {
	s, err := Lookup(" Asteroid ")
	require.NoError(t, err)
	assert.Equal(t, "asteroid", s.Name)
	_, err = Lookup("nope")
	names := Names()
	sort.Strings(names)
	assert.ErrorContains(t, err, `unknown platform "nope": the platforms are `+strings.Join(names, ", "))
}

// TestAnUnknownSimulatorOptionIsRefused: a façade refuses an option it
// does not take rather than ignoring it.
func TestAnUnknownSimulatorOptionIsRefused(t *testing.T) {
	_, err := MustLookup(Default).Simulate(context.Background(), SimConfig{Options: map[string]string{"colour": "blue"}})
	assert.ErrorContains(t, err, `no option "colour"`)
}
