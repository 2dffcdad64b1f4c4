package api

import (
	"context"
	"encoding/json"
)

// Environment is a place agents are deployed to (Prefactor's environments):
// read-only.
type Environment struct {
	ID             string
	Name           string
	OrganizationID string
	Raw            json.RawMessage
}

// Deployment pairs an agent with an environment, with the platform's
// status of it (read-only).
type Deployment struct {
	ID            string
	AgentID       string
	EnvironmentID string
	Status        string
	Raw           json.RawMessage
}

// Deployer is a backend that lists where agents are deployed
// (Capabilities.Deployments). organizationID "" lists every environment the
// token sees; agentID "" lists every agent's deployments.
type Deployer interface {
	Environments(ctx context.Context, organizationID string) ([]Environment, error)
	Deployments(ctx context.Context, agentID string) ([]Deployment, error)
}
