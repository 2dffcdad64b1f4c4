package poller

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

// versioned is a platform that versions agent configurations.
type versioned struct {
	*fakeBackend
	asked []string
}

func (v *versioned) Capabilities() api.Capabilities {
	c := v.fakeBackend.Capabilities()
	c.Versions = true
	return c
}

func (v *versioned) AgentVersions(_ context.Context, agentID string) ([]api.AgentVersion, error) {
	v.asked = append(v.asked, agentID)
	return []api.AgentVersion{{ID: "acv_1", AgentID: "agent-1", Number: 1, Current: true}}, nil
}

func TestTheCatalogCarriesConfigurationVersionsInOneRequest(t *testing.T) {
	v := &versioned{fakeBackend: newFake()}
	ev := New(Config{Backend: v}).catalog(context.Background())
	require.Empty(t, ev.Errs)
	require.Len(t, ev.Versions, 1)
	assert.Equal(t, []string{""}, v.asked, "every agent's versions, in one call")

	plain := New(Config{Backend: newFake()}).catalog(context.Background())
	assert.Nil(t, plain.Versions, "a platform without versions is not asked")
}
