package poller

import (
	"context"
	"errors"
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

// deployed is a platform with environments and deployments.
type deployed struct {
	*fakeBackend
	asked []string
	fail  error
}

func (d *deployed) Capabilities() api.Capabilities {
	c := d.fakeBackend.Capabilities()
	c.Deployments = true
	return c
}

func (d *deployed) Environments(_ context.Context, org string) ([]api.Environment, error) {
	d.asked = append(d.asked, "environments "+org)
	return []api.Environment{{ID: "env_1", Name: "production"}}, nil
}

func (d *deployed) Deployments(_ context.Context, agentID string) ([]api.Deployment, error) {
	d.asked = append(d.asked, "deployments "+agentID)
	if d.fail != nil {
		return nil, d.fail
	}
	return []api.Deployment{{ID: "dep_1", AgentID: "agent-1", EnvironmentID: "env_1", Status: "active"}}, nil
}

func TestTheCatalogCarriesDeploymentsInTwoRequests(t *testing.T) {
	d := &deployed{fakeBackend: newFake()}
	ev := New(Config{Backend: d, OrganizationID: "acct_1"}).catalog(context.Background())
	require.Empty(t, ev.Errs)
	require.Len(t, ev.Environments, 1)
	require.Len(t, ev.Deployments, 1)
	assert.Equal(t, []string{"environments acct_1", "deployments "}, d.asked, "every agent's deployments, in one listing")

	broken := &deployed{fakeBackend: newFake(), fail: errors.New("environment listing down")}
	ev = New(Config{Backend: broken}).catalog(context.Background())
	require.Len(t, ev.Errs, 1, "the error is shown")
	assert.Nil(t, ev.Environments, "not fetched, not empty: the last catalog's stay")

	plain := New(Config{Backend: newFake()}).catalog(context.Background())
	assert.Nil(t, plain.Deployments, "a platform without deployments is not asked")
}
